"""
Atomic file writes: a reader sees the old file or the whole new one, never a
part, whatever happens to this process (SIGKILL included).

Policy, the same for every command and the library:

- Each file is written to a hidden temporary file in its own folder
  (``.<name>.<random>.tmp``), flushed to disk (fsync), then renamed over the
  destination.
- A file that is replaced keeps its permission bits; a new file gets the
  permissions the umask gives any new file.
- A destination that is a symbolic link is replaced by the new file: the
  link goes, its target is never written or truncated.
- Several files written together (:func:`write_files`) are a unit: all are
  written to temporary files first, and only when every one succeeded are
  they renamed into place, so a full disk leaves the old files, not a mix.
- With ``clobber=False`` an existing destination (a file, a link, anything)
  is left alone; the check and the creation are one step (a hard link), so
  a file appearing meanwhile is not overwritten either.
- Errors are :class:`~gcore_captions.errors.FileError` (also an
  ``OSError``) naming the destination, never the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Container, Iterator, Sequence
from typing import BinaryIO

from ..errors import FileError

__all__ = ["atomic_writer", "write_atomic", "write_files"]

# mkstemp creates files readable by the owner only; caption files should get
# the permissions any other new file would, so apply the process umask.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

# Hard links are how a no-clobber write is made atomic; where a file system
# has none, the fallback checks first (a small race, documented).
_NO_LINKS = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})


def write_atomic(
    path: str | os.PathLike[str], data: bytes, *, fsync: bool = True, clobber: bool = True
) -> bool:
    """
    Write ``data`` to ``path`` through a temporary file in the same folder,
    then rename it over ``path`` (see the module docstring for the policy).
    Missing parent folders are created.

    Returns:
        ``True`` when written; ``False`` when ``clobber`` is false and
        ``path`` already existed (it is left as it was).

    Raises:
        FileError: the file cannot be written (names ``path``).
    """
    return bool(write_files([(os.fspath(path), data)], fsync=fsync, clobber=clobber))


def write_files(
    files: Sequence[tuple[str, bytes]],
    *,
    fsync: bool = True,
    clobber: bool | Container[str] = True,
) -> list[str]:
    """
    Write several files as a unit: every temporary file first, then the
    renames (see the module docstring).

    Args:
        files: ``(path, data)`` pairs.
        fsync: flush each file to disk before it is renamed.
        clobber: replace existing files (default); with ``False`` existing
            destinations are left alone and not returned; a container of
            paths allows replacing just those.

    Returns:
        The paths written, in order.

    Raises:
        FileError: a file cannot be written; no destination has been touched
            unless a rename itself failed (then the ones before it are in
            place and the rest are not).
    """
    staged: list[tuple[str, str]] = []
    try:
        for path, data in files:
            tmp = _stage(path, fsync)
            staged.append((path, tmp))
            try:
                with open(tmp, "wb") as handle:
                    handle.write(data)
                    if fsync:
                        handle.flush()
                        os.fsync(handle.fileno())
            except OSError as error:
                raise FileError.wrap(error, path, "write") from error
        written = []
        for path, tmp in staged:
            replace = clobber if isinstance(clobber, bool) else path in clobber
            if _place(tmp, path, replace):
                written.append(path)
        return written
    finally:
        for _, tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, fsync: bool = True) -> Iterator[BinaryIO]:
    """
    A binary file to write ``path`` piece by piece, atomically.

    Everything written goes to a hidden temporary file in the same folder,
    which replaces ``path`` only when the ``with`` block ends without an
    exception; on an exception the temporary file is removed and ``path`` is
    untouched. For content too large to hold in memory at once.

    Raises:
        FileError: the file cannot be written (names ``path``).
    """
    target = os.fspath(path)
    tmp = _stage(target, fsync)
    try:
        try:
            handle = open(tmp, "wb")  # noqa: SIM115 (closed below, before the rename)
        except OSError as error:
            raise FileError.wrap(error, target, "write") from error
        with handle:
            yield handle
            try:
                if fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as error:
                raise FileError.wrap(error, target, "write") from error
        _place(tmp, target, clobber=True)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _stage(target: str, fsync: bool) -> str:
    """
    An empty temporary file beside ``target`` with the mode the result
    should have: the mode of the file it replaces, else the umask's.
    """
    folder = os.path.dirname(target) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
        )
    except OSError as error:
        raise FileError.wrap(error, target, "write") from error
    os.close(fd)
    mode = 0o666 & ~_UMASK
    with contextlib.suppress(OSError):
        info = os.lstat(target)
        if stat.S_ISREG(info.st_mode):
            mode = stat.S_IMODE(info.st_mode)
    # Best effort: some file systems (FAT, SMB shares) refuse chmod, and the
    # caption file is still worth writing there.
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)
    return tmp


def _place(tmp: str, target: str, clobber: bool) -> bool:
    """
    Rename ``tmp`` to ``target``; without ``clobber``, only if ``target``
    does not exist. ``True`` when placed.
    """
    try:
        if clobber:
            os.replace(tmp, target)
            return True
        try:
            os.link(tmp, target, follow_symlinks=False)
            return True
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            if os.path.lexists(target):
                return False
            os.replace(tmp, target)
            return True
    except OSError as error:
        raise FileError.wrap(error, target, "write") from error
