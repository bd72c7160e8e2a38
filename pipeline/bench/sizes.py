"""How big the scale corpus is (:mod:`pipeline.bench.corpus`): a module of its own, so that
the command line knows the defaults without importing the corpus writer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    articles: int = 300
    """Standard articles per language, the committed ones included."""
    plain: int = 100
    """Plain-language versions in all, the committed ones included."""
    services: int = 400
    """PTV services per county (at least the sample's own)."""
    events: int = 40
    """Items in each county's generated calendar."""
