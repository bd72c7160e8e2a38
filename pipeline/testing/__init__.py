"""Test doubles of the PTV open API v11, shared by the tests and the sample generator.

- ``ptv_objects``: builders of v11 JSON objects (services, channels, organisations and their
  parts) in the shape and key order the real API returns, and short helpers for tests.
- ``fake_ptv``: a local stand-in for the v11 API that serves such objects over HTTP.

Nothing in the build imports this package; ``scripts/ptv_sample.py`` and ``tests/`` do.
"""
