"""The sanity policy: when a new snapshot may replace the current one.

Input: the :class:`Census` of the current snapshot and of the new one (items per area, items
that could not be read, ids asked for and missing), and the :class:`SanityPolicy` of the source
(``mkdocs.yml`` ``extra.<source>.sanity``). Output: the reasons to refuse, one line each, in
words the county's staff understand (``PTV area 18 Kainuu: 212 services yesterday, 0 today:
refused``). Pure functions.

The defaults follow the Helsinki Service Map importer: more than 40 % fewer items in an area is
a broken answer, not a night of changes. A person who has looked can promote anyway
(``--force``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field


class SanityPolicy(BaseModel):
    """When a new snapshot is refused (every threshold is a fraction, 0.4 = 40 %)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    max_drop: float = Field(default=0.40, ge=0, le=1)
    """Refuse when an area has lost more than this share of its items since the current
    snapshot."""
    max_parse_failures: float = Field(default=0.05, ge=0, le=1)
    """Refuse when more than this share of the items fetched cannot be read."""
    max_missing_ids: float = Field(default=0.05, ge=0, le=1)
    """Refuse when more than this share of the ids that listings named are missing from the
    detail answers."""


@dataclass(frozen=True)
class Census:
    """What the policy compares, counted by the source from one snapshot."""

    noun: str = "items"
    """What the items are called in messages (``services``)."""
    areas: dict[str, int] = field(default_factory=dict)
    """Items per area, keyed by the area's name as staff know it (``PTV area 18 Kainuu``)."""
    fetched: int = 0
    """Items in the answers of this fetch (not carried over)."""
    unreadable: int = 0
    """Of those, items that could not be read at all."""
    requested: int = 0
    """Ids that listings named and this fetch asked for by id."""
    missing: int = 0
    """Of those, ids the detail answers did not contain."""
    total: int = 0
    """Items in the whole snapshot after reading."""


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %"


def refusals(previous: Census | None, new: Census, policy: SanityPolicy) -> list[str]:
    """Why ``new`` must not replace ``previous``; an empty list means it may."""
    reasons: list[str] = []
    noun = new.noun
    if previous is not None:
        for area, before in sorted(previous.areas.items()):
            now = new.areas.get(area, 0)
            if before > 0 and (before - now) / before > policy.max_drop:
                reasons.append(
                    f"{area}: {before} {noun} in the current snapshot, {now} in the new one "
                    f"(a drop of {_share(before - now, before)}, more than "
                    f"{policy.max_drop:.0%}): refused"
                )
    if new.total == 0:
        reasons.append(f"the new snapshot has no {noun} at all: refused")
    if new.fetched and new.unreadable / new.fetched > policy.max_parse_failures:
        reasons.append(
            f"{new.unreadable} of {new.fetched} items fetched could not be read "
            f"({_share(new.unreadable, new.fetched)}, more than "
            f"{policy.max_parse_failures:.0%}; has the API changed?): refused"
        )
    if new.requested and new.missing / new.requested > policy.max_missing_ids:
        reasons.append(
            f"{new.missing} of {new.requested} ids named by the listings are missing from the "
            f"detail answers ({_share(new.missing, new.requested)}, more than "
            f"{policy.max_missing_ids:.0%}): refused"
        )
    return reasons
