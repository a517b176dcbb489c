"""Why a store cannot be opened or written, in one sentence a person can act on."""

from __future__ import annotations

import errno
from pathlib import Path


class StoreUnavailable(RuntimeError):
    """The store cannot be opened (or can no longer be written); ``str()`` is one
    sentence meant for the screen."""


class StoreLocked(StoreUnavailable):
    pass


_REASONS = {
    errno.EROFS: "it is on a read-only disk",
    errno.EACCES: "Crewkit is not allowed to write there",
    errno.EPERM: "Crewkit is not allowed to write there",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the disk is full",
    errno.ENOTDIR: "part of that path is a file, not a folder",
    errno.EEXIST: "that path is a file, not a folder",
}


def unwritable(directory: Path, error: OSError) -> StoreUnavailable:
    reason = _REASONS.get(error.errno or 0) or (error.strerror or str(error)).lower()
    return StoreUnavailable(f"Crewkit cannot open its data folder {directory}: {reason}.")
