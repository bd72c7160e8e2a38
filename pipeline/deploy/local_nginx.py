"""Serve a built site with Debian's nginx and the server block the build wrote, as the CDN's
origin would: precompressed files, cache lifetimes and security headers included.

In: the output folder of a build made for ``http://127.0.0.1:<port>/<slug>/`` and a working
folder. Out: a running nginx for the time of a ``with`` block; :class:`NginxFailed` says in
words why it could not start. Used by ``perhekeskus lighthouse`` and the nginx tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.lifetime import die_with_parent

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
"""Debian's ``libnginx-mod-http-brotli-static``: the server block sends the ``.br`` files."""
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class NginxFailed(Exception):
    """nginx is missing or did not start; the message says what to do."""


def nginx_path() -> str:
    # Debian puts nginx in /usr/sbin, which is not on every user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin") or ""
    missing = [] if found else ["nginx"]
    if not BROTLI_MODULE.exists():
        missing.append(str(BROTLI_MODULE))
    if missing:
        raise NginxFailed(
            f"{', '.join(missing)} not found: apt-get install nginx libnginx-mod-http-brotli-static"
        )
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_conf(site_dir: Path, work: Path) -> str:
    """The main configuration: the site's own ``nginx.conf`` (its server block) included in a
    minimal http block whose temporary and log files stay in ``work``."""
    temps = "".join(f"    {kind}_temp_path {work}/{kind};\n" for kind in TEMP_KINDS)
    return (
        f"load_module {BROTLI_MODULE};\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n    access_log off;\n" + temps + f"    include {site_dir}/nginx.conf;\n"
        "}\n"
    )


@contextmanager
def serving(site_dir: Path, port: int, work: Path, timeout: float = 20) -> Iterator[None]:
    """nginx serving ``site_dir`` (built for port ``port``) until the block ends."""
    nginx = nginx_path()
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(site_dir.absolute(), work.absolute()), encoding="utf-8")
    log = work / "error.log"
    process = subprocess.Popen(
        [nginx, "-p", str(work), "-c", str(conf), "-e", str(log), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=die_with_parent,
    )
    try:
        _wait_for(port, process, log, timeout)
        yield
    finally:
        process.terminate()
        process.wait()


def _wait_for(port: int, process: subprocess.Popen[str], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    process.terminate()
                said = process.stderr.read() if process.stderr else ""
                logged = log.read_text(errors="replace") if log.exists() else ""
                raise NginxFailed(
                    f"nginx did not start on port {port}: {(said + logged).strip()}"
                ) from None
            time.sleep(0.2)
