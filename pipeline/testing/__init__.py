"""Test doubles of the PTV open API v11, and the set-up of the tests' tools.

- ``ptv_objects``: builders of v11 JSON objects (services, channels, organisations and their
  parts) in the shape and key order the real API returns, and short helpers for tests.
- ``fake_ptv``: a local stand-in for the v11 API that serves such objects over HTTP.
- ``setup``: what the sessions and the tests need outside Python (Debian packages, the pinned
  npm tools of the audit), installed when allowed; ``noxfile.py`` and ``tests/conftest.py``
  run it.

Nothing in the build imports this package; ``scripts/ptv_sample.py``, ``noxfile.py`` and
``tests/`` do.
"""
