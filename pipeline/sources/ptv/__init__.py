"""The Suomi.fi Service Information Repository (PTV): fetch, snapshots and the service model.

The stages around PTV, in the order data flows through them:

- :mod:`.source`: a ``PtvSource`` answers questions (services of a municipality,
  nationwide services, channels and organisations by id, changes since a time). ``V11Source``
  asks the v11 open API over HTTP; a v12 source can replace it behind the same interface.
- :mod:`.fetch`: runs a source for a county (or every county), records each raw answer in a
  new snapshot of the store (:mod:`pipeline.sources.store`) and promotes it when the sanity
  policy (:mod:`pipeline.sources.policy`) passes.
- :mod:`.snapshot`: reads a snapshot back into a dataset (each item with its provenance) and
  counts it for the policy.
- :mod:`.v11`: pydantic models of the v11 objects as they really arrive, read leniently.
- :mod:`.model` and :mod:`.normalise`: the internal model the rest of the pipeline uses
  (matching, pages, reports), built from the v11 objects field by field: a bad value is
  dropped or shown as text and reported with the item's id; an item is skipped only when it
  has no id or no name.
"""
