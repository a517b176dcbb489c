"""Content-addressed blob files: ``DIR/ab/abcdef…`` named by the sha256 of their bytes.

Files are shared between teams (the same photo is stored once); which team may read a
hash is recorded in storage, and only after that team uploaded bytes with that hash.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from app.blobs import write_atomically

SHA256_NAME = re.compile(r"[0-9a-f]{64}")


class HashMismatch(ValueError):
    pass


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        # Callers pass only names matching SHA256_NAME, so this cannot leave the root.
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        """Verify and store; storing the same bytes again is a no-op."""
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise HashMismatch(f"the body's sha256 is {actual}, not {sha256}")
        target = self.path(sha256)
        if target.exists():
            return
        # Written aside, fsynced and renamed (see ``write_atomically``): a reader never sees
        # half a file, and the file is on disk before storage records that the team has it.
        write_atomically(target, data)
