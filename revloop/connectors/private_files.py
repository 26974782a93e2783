"""Files at rest that hold addresses, tokens or positions are the owner's alone (mode 0600).

SQLite creates its -wal and -journal files with the database file's own mode, so a
database made private here stays private with them.
"""
from __future__ import annotations

import logging
import os
import stat

log = logging.getLogger("revloop.private_files")

PRIVATE = 0o600


def private_file(path: str | os.PathLike) -> str:
    """Create ``path`` empty with mode 0600 if it does not exist, tighten it to 0600 if it does;
    return it. The directory is created (0700) when missing."""
    path = os.fspath(path)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        if mode != PRIVATE:
            os.fchmod(fd, PRIVATE)
            log.warning("%s had mode %o; now 0600 (it holds addresses or secrets)", path, mode)
    finally:
        os.close(fd)
    return path


def open_to_others(path: str | os.PathLike) -> bool:
    """True when group or others may read or write the file."""
    return bool(os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO))
