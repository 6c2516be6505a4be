"""
Atomic file writes: a reader sees the old file or the whole new one, never a
part, whatever happens to this process (SIGKILL included).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["atomic_writer", "write_atomic"]

# mkstemp creates files readable by the owner only; caption files should get
# the permissions any other new file would, so apply the process umask.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | os.PathLike[str], data: bytes, *, fsync: bool = True) -> None:
    """
    Write ``data`` to ``path`` through a temporary file in the same folder,
    then rename it over ``path``.

    The temporary file is named ``.<name>.<random>.tmp`` so an interrupted
    write leaves at most a hidden temporary file, never a partial ``path``.
    Missing parent folders are created.
    """
    with atomic_writer(path, fsync=fsync) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, fsync: bool = True) -> Iterator[BinaryIO]:
    """
    A binary file to write ``path`` piece by piece, atomically.

    Everything written goes to a hidden ``.<name>.<random>.tmp`` in the same
    folder, which replaces ``path`` only when the ``with`` block ends without
    an exception; on an exception the temporary file is removed and ``path``
    is untouched. For content too large to hold in memory at once.
    """
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            # Best effort: some file systems (FAT, SMB shares) refuse chmod,
            # and the caption file is still worth writing there.
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o666 & ~_UMASK)
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
