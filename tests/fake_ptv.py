"""The local PTV stand-in: moved to ``pipeline.testing.fake_ptv`` (edit it there)."""

from pipeline.testing.fake_ptv import *  # noqa: F403
from pipeline.testing.fake_ptv import __all__ as __all__
