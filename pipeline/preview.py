"""``perhekeskus serve``: a writer's preview of one site, rebuilt and reloaded on every save.

Input: the project folder, the site to show (a county or the national site) and a language.
Output: the site in ``build/<slug>/`` served on localhost. A watcher polls the articles'
folder (``docs_dir`` of ``mkdocs.yml``, ``content/`` by default), ``regions/``, ``themes/`` and
``mkdocs.yml``; on a save the content is loaded and rendered
again (the PTV snapshot, the slow part, is loaded once), and only the pages whose HTML changed
are written. Open pages reload themselves through a small server-sent-events script the server
adds to every HTML answer (it is never written to the built files). Problems are printed in
the terminal and shown at the top of every page until they are fixed.
"""

from __future__ import annotations

import functools
import gc
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipeline.build import read_events
from pipeline.cache import BuildCache
from pipeline.content.config import docs_dir_of
from pipeline.content.lint import LintMessage, text_messages
from pipeline.content.load import ArticleMemo, load_project
from pipeline.deploy.fingerprint import fingerprints, write_fingerprinted
from pipeline.problems import InvalidInput, Problems
from pipeline.quality.evidence import helsinki_date
from pipeline.serve import SiteHandler
from pipeline.site import carry
from pipeline.site.carry import SiteRecord
from pipeline.site.render import NationalRender, Renderer
from pipeline.site.specialise import Specialiser, site_for
from pipeline.sources.ptv.snapshot import Dataset

WATCHED = ("regions", "themes", "mkdocs.yml")
"""What the preview watches besides the articles' folder (``docs_dir``)."""
EMPTY_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview</title>'
    "</head><body></body></html>"
)
RELOAD_SCRIPT = """<script>
(function () {
  var source = new EventSource("/__reload");
  source.onmessage = function () { location.reload(); };
})();
</script>"""


def watched(docs_dir: str) -> tuple[str, ...]:
    """The files and folders a save in which rebuilds the preview."""
    return (docs_dir, *WATCHED)


def snapshot_times(root: Path, names: tuple[str, ...]) -> dict[Path, float]:
    """Modification times of every file in ``names`` (files and folders under ``root``)."""
    times: dict[Path, float] = {}
    for name in names:
        target = root / name
        paths = [target] if target.is_file() else (p for p in target.rglob("*") if p.is_file())
        for path in paths:
            try:
                times[path] = path.stat().st_mtime
            except OSError:
                continue
    return times


@dataclass
class Preview:
    """Builds one site for the preview and keeps what is needed to rebuild it quickly."""

    root: Path
    out_dir: Path
    slug: str
    base_url: str
    """The preview address of every site, ``{slug}`` standing for the site."""
    say: Callable[[str], None] = print
    version: int = 0
    problems: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    services: Dataset | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)
    assets_dir: Path | None = None
    """The theme's assets, read again at every rebuild."""
    docs_dir: str = field(init=False)
    """The articles' folder, read from ``mkdocs.yml`` at every rebuild."""
    cache: BuildCache = field(init=False)
    """The build cache: an unchanged article is not rendered again."""
    record: tuple[str, SiteRecord] | None = None
    """The site's key and what the last rebuild made of it: when the key is the same, the
    pages whose national HTML did not change are kept (:mod:`pipeline.site.carry`)."""
    lint_memo: dict[tuple[str, str, str], list[LintMessage]] = field(default_factory=dict)
    """The text checks of each file as it was (only a changed file is checked again)."""
    articles: ArticleMemo = field(default_factory=dict)
    """Each article file as read (only a changed file is read again)."""
    matched: tuple[Any, Any] | None = None
    """The site's matched services and events of the last rebuild, kept with its key."""

    def __post_init__(self) -> None:
        self.docs_dir = docs_dir_of(self.root)
        self.cache = BuildCache(self.root)

    def rebuild(self) -> int:
        """Build the site again; return how many pages changed (written)."""
        start = time.perf_counter()
        messages: list[str] = []
        self.docs_dir = docs_dir_of(self.root)
        try:
            project = load_project(
                self.root,
                [] if self.slug == "national" else [self.slug],
                self.services,
                self.articles,
            )
            if self.services is None:
                # What the first load read lives as long as the preview (the PTV dataset, the
                # articles): the collector need not walk it again on every save's rebuild
                # (a third of a second at national scale), as in a build.
                gc.collect()
                gc.freeze()
            self.services = project.services
            self.assets_dir = project.root / project.config.theme.custom_dir / "assets"
            renderer = Renderer(project)
            rendered = renderer.render_national(self.cache)
            if rendered.problems.errors:
                raise InvalidInput(rendered.problems)
            today = helsinki_date(datetime.now(UTC))
            events, rules = read_events(project, today)
            specialiser = Specialiser(project, renderer, rendered, self.base_url, events, rules)
            pages, site_problems, record = self._site_pages(specialiser, rendered)
            if site_problems.errors:
                raise InvalidInput(site_problems)
            self.record = record
            messages += [str(p) for p in (*project.warnings, *rendered.problems.warnings)]
        except InvalidInput as exc:
            messages += [str(p) for p in exc.problems]
            self.record = None  # the pages kept are not the ones made from the inputs
            pages = self.pages
        texts = text_messages(self.root, self.docs_dir, memo=self.lint_memo)
        messages += [str(m) for m in texts if _is_problem(m)]
        written = self._write(pages)
        self.pages = pages
        with self.changed:
            self.problems = sorted(set(messages))
            self.version += 1
            self.changed.notify_all()
        for line in self.problems:
            self.say(line)
        self.say(
            f"Rebuilt {self.slug} in {time.perf_counter() - start:.1f} s: "
            f"{written} pages changed, {len(self.problems)} problems."
        )
        return written

    def _site_pages(
        self, specialiser: Specialiser, rendered: NationalRender
    ) -> tuple[dict[str, str], Problems, tuple[str, SiteRecord] | None]:
        """The site's pages, those the last rebuild made from the same inputs kept, and the
        record of this rebuild."""
        site = site_for(specialiser.project, self.slug, self.base_url)
        hashes = carry.national_hashes(rendered)
        key = None
        data = carry.SiteData("", "", {})
        if self.cache.on:
            data = specialiser.site_data(site)
            project_key = carry.project_key(
                self.cache, specialiser.renderer, specialiser.project, self.base_url
            )
            key = project_key and specialiser.site_key(project_key, site)
        kept = None
        if key is not None and self.record is not None and self.record[0] == key:
            # The same key and data: the same matches (the articles' filters, the county,
            # the PTV dataset and the events).
            last = self.record[1]
            if self.matched is not None and (last.events, last.services) == (
                data.events,
                data.services,
            ):
                specialiser.adopt_matches(site, *self.matched)
            always = {
                info.output_path
                for info, compiled in specialiser.compiled
                if any(name in compiled.slots for name in carry.ALWAYS_MADE)
            }
            kept = carry.carried(last, hashes, always, self.pages.__getitem__, data)
            kept = kept and specialiser.settle(site, kept)
        filled: dict[str, tuple[str, ...]] = {}
        try:
            made, problems = specialiser.site_pages(site, filled, kept)
            pages = dict(made)  # held as they are: the next rebuild carries from these
        except KeyError:  # a page the last rebuild had is missing: make everything
            filled.clear()
            kept = None
            made, problems = specialiser.site_pages(site, filled)
            pages = dict(made)
        self.matched = specialiser.matches_of(site)
        if key is None:
            return pages, problems, None
        record = carry.record_of("", hashes, made, filled, kept, problems, data)
        return pages, problems, (key, record)

    def _write(self, pages: dict[str, str]) -> int:
        site = self.out_dir / self.slug
        if self.assets_dir is not None:
            # Pages load the assets at their fingerprinted addresses, new after each change.
            write_fingerprinted(self.assets_dir, site, fingerprints(self.assets_dir))
        written = 0
        for rel, content in pages.items():
            if self.pages.get(rel) == content and (site / rel).exists():
                continue
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            written += 1
        return written

    def watch(self, interval: float = 0.1, stop: threading.Event | None = None) -> None:
        """Poll the watched files and rebuild after a save (until ``stop`` is set)."""
        seen = snapshot_times(self.root, watched(self.docs_dir))
        while not (stop and stop.is_set()):
            time.sleep(interval)
            now = snapshot_times(self.root, watched(self.docs_dir))
            if now != seen:
                seen = now
                self.rebuild()

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until a rebuild after version ``seen`` (or the timeout); return the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version

    def overlay(self) -> str:
        """The problems box added at the top of every page while there are problems."""
        if not self.problems:
            return ""
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in self.problems[:50])
        return (
            '<div role="alert" style="background:#fff3f3;border:3px solid #a3123c;padding:1rem;'
            'margin:0;font:15px/1.4 system-ui,sans-serif;color:#1a1a1a">'
            f"<strong>{len(self.problems)} problems in the content</strong><ul>{items}</ul></div>"
        )


def _is_problem(message: LintMessage) -> bool:
    return message.severity == "error"


class _PreviewHandler(SiteHandler):
    preview: Preview

    def do_GET(self) -> None:
        if self.path == "/__reload":
            self._events()
            return
        path = self.translate_path(self.path)
        target = Path(path) / "index.html" if Path(path).is_dir() else Path(path)
        if not target.exists() and self.preview.problems:
            # Nothing built yet (the first build failed): show the problems instead of a 404.
            body = EMPTY_PAGE
        elif target.suffix == ".html" and target.is_file():
            body = target.read_text(encoding="utf-8")
        else:
            body = ""
        if body:
            if "</body>" in body:
                head, tail = body.rsplit("</body>", 1)
                body = head + RELOAD_SCRIPT + "</body>" + tail
            marker = body.find(">", body.find("<body")) + 1
            body = body[:marker] + self.preview.overlay() + body[marker:]
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        with preview.changed:
            seen = preview.version
        try:
            while True:
                current = preview.wait(seen, timeout=15)
                if current != seen:
                    self.wfile.write(f"data: {current}\n\n".encode())
                    seen = current
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    handler: Any = type("Handler", (_PreviewHandler,), {"preview": preview})
    server = ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(preview.out_dir))
    )
    server.daemon_threads = True
    return server


def serve_preview(
    root: Path,
    out_dir: Path,
    slug: str,
    lang: str,
    host: str,
    port: int,
    say: Callable[[str], None],
) -> int:
    base = f"http://{host}:{port}/{{slug}}/"
    preview = Preview(root, out_dir, slug, base, say)
    preview.rebuild()
    server = make_server(preview, host, port)
    threading.Thread(target=preview.watch, daemon=True).start()
    say(
        f"Preview of {slug} at http://{host}:{port}/{slug}/{lang}/ (rebuilds on save; Ctrl+C stops)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


__all__ = ["Preview", "make_server", "serve_preview"]
