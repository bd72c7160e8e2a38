"""Where an item of the events dataset comes from, and how sample data is marked.

Input: an :class:`~.model.Event`. Output: its provenance record (:class:`Origin`) and, for
sample data, the event with every contact marked as a sample. Shared by the snapshot loader and
the PTV activities, which both produce items of the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.sources.events.model import Event


@dataclass(frozen=True)
class Origin:
    """Where one item of the dataset comes from."""

    source: str
    feed: str
    fetched_at: datetime
    sample: bool
    snapshot: str | None
    """The snapshot id (events or PTV) the item was read from."""


def mark_sample(event: Event) -> Event:
    """Sample data's contacts are made up: each is marked, so no page links or dials it."""
    if not event.sample or all(contact.sample for contact in event.contacts):
        return event
    contacts = tuple(c.model_copy(update={"sample": True}) for c in event.contacts)
    return event.model_copy(update={"contacts": contacts})
