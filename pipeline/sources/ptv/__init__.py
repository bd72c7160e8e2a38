"""The Suomi.fi Service Information Repository (PTV): fetch, snapshots and the service model.

The stages around PTV, in the order data flows through them:

- :mod:`.source`: a ``PtvSource`` answers questions (services of a municipality,
  nationwide services, channels and organisations by id, changes since a time). ``V11Source``
  asks the v11 open API over HTTP; a v12 source can replace it behind the same interface.
- :mod:`.fetch`: runs a source for a county (or every county) and records each raw
  answer in a new snapshot.
- :mod:`.snapshot`: stores raw answers gzip-compressed with the request and fetch
  time, promotes a complete snapshot to current, and reads the current one back.
- :mod:`.v11`: pydantic models of the v11 objects as they really arrive.
- :mod:`.model` and :mod:`.normalise`: the internal model the rest of
  the pipeline uses (matching, pages, reports), built from the v11 objects one item at a time
  so one bad item is reported and skipped, never the whole snapshot.
"""
