"""``perhekeskus serve``: serve the built sites on localhost (previews, screenshots).

Input: the ``build/`` folder. Output: an HTTP server on localhost that answers a missing page
with the site's own ``404.html``, as the CDN does.
"""

from __future__ import annotations

import contextlib
import functools
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class SiteHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the console quiet
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        site = self.path.lstrip("/").split("/", 1)[0]
        page = Path(self.directory) / site / "404.html"
        if code != HTTPStatus.NOT_FOUND or not site or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(directory: Path, host: str, port: int) -> int:
    handler = functools.partial(SiteHandler, directory=str(directory))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"Serving {directory} at http://{host}:{port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
