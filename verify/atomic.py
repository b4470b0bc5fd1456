"""Atomic file writes: write a temp file next to the target, fsync, then os.replace.

A reader (or a crash half-way) never sees a half-written file, and a failure before the
replace leaves the target byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; keep the target's permission bits if it exists."""
    target = Path(path)
    try:
        kind = os.stat(target).st_mode  # follows links
    except FileNotFoundError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind):
        # /dev/stdout, /dev/null, a FIFO: nothing to replace atomically (and replacing a device
        # node with a regular file would break it), so write through it
        with open(target, "wb") as handle:
            handle.write(data)
        return target
    if target.is_symlink():  # replace the file the link points to, keep the link
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        mode = target.stat().st_mode & 0o777
    else:  # what open() would give a new file (mkstemp's own 0600 would hide reports from CI)
        mask = os.umask(0o022)
        os.umask(mask)
        mode = 0o666 & ~mask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (newlines kept exactly as given)."""
    return write_bytes(path, text.encode(encoding))
