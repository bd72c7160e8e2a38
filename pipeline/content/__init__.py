"""Our own input: ``mkdocs.yml``, the vocabulary, the articles, info pages and counties.

Read into frozen pydantic models (``load``), checked for writers (``lint``), followed across
languages (``translations``) and started from templates (``scaffold``). Problems are collected
and reported together as ``path:line: message``; invalid content stops the build.
"""
