"""Data from outside the project: fetched nightly, stored as snapshots, read by the build.

- :mod:`pipeline.sources.store`: the generic snapshot store every source writes to (a new
  snapshot beside the current one, promoted only when complete and sane, the last good ones
  kept, one lock per store).
- :mod:`pipeline.sources.policy`: the sanity policy a new snapshot must pass to be promoted.
- :mod:`pipeline.sources.base`: the ``Source`` protocol, the answers it yields and the fetch
  errors and limits every source shares.
- :mod:`pipeline.sources.ptv`: the Suomi.fi Service Information Repository (PTV).

Everything a source returns is untrusted: it is validated field by field where it is
normalised, and a bad value is dropped or shown as text and reported, never raised.
"""
