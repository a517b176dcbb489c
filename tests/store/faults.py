"""Running store code in a forked child: under a file-size cap, or as an unprivileged user.

A child inherits everything already imported, so starting one costs a few milliseconds,
and whatever it does to its own limits, user or ``os`` functions dies with it.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import warnings
from collections.abc import Callable
from typing import Any

NOBODY = 65534


def fork() -> int:
    """``os.fork()``. Python 3.12 warns when other threads exist (earlier tests may have
    left idle worker threads); the child runs only store code, which takes no lock
    another thread could hold (logging re-creates its own locks in a child)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        return os.fork()


def in_child(work: Callable[..., Any], *args: Any) -> Any:
    """Run ``work(*args)`` in a forked child and return its result (or raise its error)."""
    read, write = os.pipe()
    pid = fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            outcome: tuple[str, Any] = ("ok", work(*args))
        except BaseException as error:  # handed to the parent
            outcome = ("error", error)
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(outcome, pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value


def cap_file_size(limit: int) -> None:
    """Make every write past ``limit`` bytes of a file fail, as a full disk does.

    Python ignores SIGXFSZ, so the write returns short or raises EFBIG instead of the
    process being killed."""
    assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))


def drop_privileges() -> None:
    """Run on as a user who owns nothing here (only when running as root)."""
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)
