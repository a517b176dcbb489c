"""A throwaway PostgreSQL server, for the benchmarks and the tests (never the product).

Both ``python -m bench.sync`` and pytest start PostgreSQL through :func:`throwaway_postgres`.
It lives in ``bench`` because that package is importable from both: from the repository
root, and from anywhere once the project is installed (``pip install -e .``), whereas
``tests`` is not a package the benchmarks can import. The binaries come from Debian's
``postgresql`` package (``/usr/lib/postgresql/<version>/bin``); without them this fails
with a message naming ``apt-get install postgresql`` — it never quietly does nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

DEBIAN_ROOT = Path("/usr/lib/postgresql")
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found under"
    " {root}/*/bin. Install them: apt-get install postgresql"
)


class PostgresUnavailable(RuntimeError):
    """The binaries are missing, or the server would not start; the message says which."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_bin_dir(root: Path = DEBIAN_ROOT) -> Path:
    """The newest installed version's ``bin`` directory."""
    found = sorted(root.glob("*/bin/initdb"), key=lambda path: _version(path.parent.parent))
    if not found:
        raise PostgresUnavailable(INSTALL_HINT.format(root=root))
    return found[-1].parent


def _version(directory: Path) -> tuple[int, ...]:
    """``15`` → (15,): so that 10 sorts after 9."""
    return tuple(int(part) for part in directory.name.split(".") if part.isdigit())


@contextmanager
def throwaway_postgres(*, durable: bool = True, root: Path = DEBIAN_ROOT) -> Iterator[str]:
    """Run a new PostgreSQL server in a temporary directory on a free loopback port.

    Yields its URL without a database name, ``postgresql://postgres@127.0.0.1:PORT``
    (append ``/postgres`` or a database you create). Trust authentication, for user
    ``postgres`` only, on 127.0.0.1 and a socket in the temporary directory. With
    ``durable=False`` nothing is fsynced: several times faster for tests, wrong for a
    benchmark of durable commits. The server is stopped and its files deleted on exit.
    """
    bin_dir = find_bin_dir(root)
    home = Path(tempfile.mkdtemp(prefix="crewkit-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(home, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = home / "data", free_port()
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c max_connections=200"
    init = [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    if not durable:
        options += " -c fsync=off -c full_page_writes=off"
        init.append("--no-sync")
    try:
        _run([*as_owner, *init])
        _run([*as_owner, bin_dir / "pg_ctl", "-D", data, "-l", home / "log", "-w",
              "-o", options, "start"], log=home / "log")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}"
        finally:
            _run([*as_owner, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _run(command: Sequence[object], log: Path | None = None) -> None:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode != 0:
        server_log = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise PostgresUnavailable(
            f"{' '.join(str(part) for part in command)} failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}{server_log}")
