"""Publishing and deployment: the output folder's releases (:mod:`.release`), the CDN files
and headers (:mod:`.cdn`), the manifest of file hashes (:mod:`.manifest`) and the targets a
site is deployed to, a folder or S3-compatible storage (:mod:`.targets`)."""


class PublishError(Exception):
    """Publishing or deploying cannot go on; the message says why in words (a file, a
    setting, another build) and the live sites stay as they were."""
