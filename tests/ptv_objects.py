"""Builders of v11 JSON objects for tests: moved to ``pipeline.testing.ptv_objects``."""

from pipeline.testing.ptv_objects import *  # noqa: F403
from pipeline.testing.ptv_objects import __all__ as __all__
