"""``python -m pipeline``: the same command line as ``perhekeskus`` (:mod:`pipeline.cli`)."""

from pipeline.cli import main

raise SystemExit(main())
