"""Worker processes die with the build that started them.

Input: nothing. Output: :func:`die_with_parent`, for ``ProcessPoolExecutor(initializer=...)``
and ``subprocess.run(preexec_fn=...)``: Linux sends the worker SIGKILL when its parent dies,
even by ``kill -9``, so no gate worker or Pagefind run lives on after a killed build.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getppid()
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # not allowed here: the worker still ends when its job queue closes
    if os.getppid() != parent:
        # The parent died before the request took effect.
        os._exit(1)
