"""
Atomic file writes: a reader sees the old file or the whole new one, never a
part, whatever happens to this process (SIGKILL included).
"""

from __future__ import annotations

import contextlib
import os
import tempfile

__all__ = ["write_atomic"]

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
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
