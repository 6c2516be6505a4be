"""
Atomic file writes: a reader sees the old file or the whole new one, never a
part, whatever happens to this process (SIGKILL included).

Policy, the same for every command and the library:

- Each file is written to a hidden temporary file in its own folder, named
  ``.gcore-captions-<16 hex digits>.tmp`` (a fixed 36 bytes, whatever the
  destination's name, so a 255-byte name still works; :func:`is_temporary_name`
  recognises exactly these), flushed to disk (fsync), then renamed over the
  destination.
- A file that is replaced keeps its permission bits; a new file gets the
  permissions the umask gives any new file.
- A destination that is a symbolic link is replaced by the new file: the
  link goes, its target is never written or truncated. A destination with
  other hard links is replaced by a new file too: the other names keep the
  old content. A destination that is a folder, a FIFO, a socket or a device
  is refused (a :class:`~gcore_captions.errors.FileError`), never replaced.
- :func:`write_under` writes below an output folder and never leaves it
  (see :mod:`.boundary`): the folder may be reached through a link, but
  below it no folder is created or used through a link that leads out.
- Several files written together (:func:`write_files`, :func:`write_under`)
  are a unit: all are written to temporary files first, and only when every
  one succeeded are they renamed into place, so a full disk leaves the old
  files, not a mix.
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
import re
import secrets
import stat
from collections.abc import Callable, Container, Iterator, Sequence
from typing import BinaryIO

from ..errors import FileError
from .boundary import Folder, open_file, open_root, open_under, refused

__all__ = ["atomic_writer", "is_temporary_name", "write_atomic", "write_files", "write_under"]

# mkstemp-style private files would be owner-only; caption files should get
# the permissions any other new file would, so apply the process umask.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

# Hard links are how a no-clobber write is made atomic; where a file system
# has none, the fallback checks first (a small race, documented).
_NO_LINKS = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})

# The one temporary-name scheme: nothing else produces these names, and the
# start-up cleanup of an export removes only files named so.
_TEMPORARY_PREFIX = ".gcore-captions-"
_TEMPORARY = re.compile(r"\.gcore-captions-[0-9a-f]{16}\.tmp")
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL

# A located destination: its open folder, its name there, the path to show.
_Where = tuple[Folder, str, str]


def is_temporary_name(name: str) -> bool:
    """
    Whether ``name`` (a file name, no folder) is one of this library's
    temporary files: ``.gcore-captions-`` + 16 hex digits + ``.tmp``.
    """
    return _TEMPORARY.fullmatch(name) is not None


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
    renames (see the module docstring). Each path's folders are the
    caller's own (created when missing, links in them followed); the file's
    own name is never followed.

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
    with contextlib.ExitStack() as stack:
        folders: dict[str, Folder] = {}

        def locate(path: str) -> _Where:
            parent, name = os.path.split(path)
            if not name:
                raise refused(path, "write", "it names a folder, not a file")
            parent = parent or "."
            if parent not in folders:
                folders[parent] = stack.enter_context(open_root(parent, create=True, for_path=path))
            return folders[parent], name, path

        return _write_unit(files, locate, clobber, fsync)


def write_under(
    folder: str | os.PathLike[str],
    files: Sequence[tuple[str, bytes]],
    *,
    fsync: bool = True,
    clobber: bool | Container[str] = True,
) -> list[str]:
    """
    Write several files below ``folder`` as a unit, never outside it: the
    folder itself may be a link (its real path is the boundary), but every
    sub-folder is opened or made without following a link that leads out,
    and no file is opened through a link (see :mod:`.boundary`).

    Args:
        folder: the output folder (created when missing).
        files: ``(relative path, data)`` pairs; paths are ``/``-separated,
            without ``..``, ``.`` or empty components.
        fsync: flush each file to disk before it is renamed.
        clobber: replace existing files (default); ``False`` leaves them
            alone; a container of relative paths allows replacing just
            those.

    Returns:
        The relative paths written, in order.

    Raises:
        FileError: a file cannot be written or its path is refused (names
            the path and why); nothing of this call is in place unless a
            rename itself failed.
    """
    with open_root(folder, create=True) as root, contextlib.ExitStack() as stack:
        folders: dict[tuple[str, ...], Folder] = {(): root}

        def locate(relative: str) -> _Where:
            parts = relative.split("/")
            shown = os.path.join(root.shown, *parts)
            if relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
                raise refused(shown, "write", "the path does not stay inside the output folder")
            parent = tuple(parts[:-1])
            if parent not in folders:
                folders[parent] = stack.enter_context(
                    open_under(root, parent, create=True, for_path=shown)
                )
            return folders[parent], parts[-1], shown

        return _write_unit(files, locate, clobber, fsync)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, fsync: bool = True, folder: Folder | None = None
) -> Iterator[BinaryIO]:
    """
    A binary file to write ``path`` piece by piece, atomically.

    Everything written goes to a hidden temporary file in the same folder,
    which replaces ``path`` only when the ``with`` block ends without an
    exception; on an exception the temporary file is removed and ``path`` is
    untouched. For content too large to hold in memory at once.

    Args:
        path: the destination; with ``folder``, a name in that folder.
        fsync: flush the file to disk before it is renamed.
        folder: an open folder (see :mod:`.boundary`) the file goes in.

    Raises:
        FileError: the file cannot be written (names ``path``).
    """
    target = os.fspath(path)
    with contextlib.ExitStack() as stack:
        if folder is None:
            parent, name = os.path.split(target)
            folder = stack.enter_context(open_root(parent or ".", create=True))
            shown = target
        else:
            name, shown = target, os.path.join(folder.shown, target)
        mode = _destination_mode(folder, name, shown, replace=True)
        fd, tmp = _create_temporary(folder, shown)
        try:
            _set_mode(fd, mode)
            with os.fdopen(fd, "wb") as handle:
                yield handle
                try:
                    handle.flush()
                    if fsync:
                        os.fsync(handle.fileno())
                except OSError as error:
                    raise FileError.wrap(error, shown, "write") from error
            _place(folder, tmp, name, shown, replace=True)
        finally:
            _discard(folder, tmp)


def _write_unit(
    files: Sequence[tuple[str, bytes]],
    locate: Callable[[str], _Where],
    clobber: bool | Container[str],
    fsync: bool,
) -> list[str]:
    """
    Stage every file (temporary file written and flushed), then place them;
    returns the keys (as given in ``files``) that were placed.
    """
    staged: list[tuple[str, Folder, str, str, str, bool]] = []
    try:
        for key, data in files:
            folder, name, shown = locate(key)
            replace = clobber if isinstance(clobber, bool) else key in clobber
            mode = _destination_mode(folder, name, shown, replace=replace)
            fd, tmp = _create_temporary(folder, shown)
            staged.append((key, folder, name, shown, tmp, replace))
            try:
                _set_mode(fd, mode)
                _write_all(fd, data)
                if fsync:
                    os.fsync(fd)
            except OSError as error:
                raise FileError.wrap(error, shown, "write") from error
            finally:
                os.close(fd)
        return [
            key
            for key, folder, name, shown, tmp, replace in staged
            if _place(folder, tmp, name, shown, replace=replace)
        ]
    finally:
        for _, folder, _, _, tmp, _ in staged:
            _discard(folder, tmp)


def _write_all(fd: int, data: bytes) -> None:
    """
    Write all of ``data`` to ``fd`` (``os.write`` may write less).
    """
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _destination_mode(folder: Folder, name: str, shown: str, *, replace: bool) -> int:
    """
    The mode the new file should get (the replaced file's, else the
    umask's); refuses, when replacing, a destination that is not a file or
    a link.
    """
    try:
        info = folder.lstat(name)
    except OSError as error:
        raise FileError.wrap(error, shown, "write") from error
    if info is None:
        return 0o666 & ~_UMASK
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    if replace and not stat.S_ISLNK(info.st_mode):
        raise refused(shown, "write", f"it is {_kind(info.st_mode)}, not a file; not replaced")
    return 0o666 & ~_UMASK


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _create_temporary(folder: Folder, shown: str) -> tuple[int, str]:
    """
    A new, empty temporary file in ``folder`` (owner-only until its mode is
    set): its descriptor and name.
    """
    for _ in range(100):
        name = f"{_TEMPORARY_PREFIX}{secrets.token_hex(8)}.tmp"
        try:
            return open_file(folder, name, _NEW, 0o600), name
        except FileExistsError:
            continue
        except OSError as error:
            raise FileError.wrap(error, shown, "write") from error
    raise refused(shown, "write", "no free temporary file name")  # pragma: no cover


def _set_mode(fd: int, mode: int) -> None:
    # Best effort: some file systems (FAT, SMB shares) refuse chmod, and the
    # caption file is still worth writing there.
    with contextlib.suppress(OSError, NotImplementedError):
        os.fchmod(fd, mode)


def _place(folder: Folder, tmp: str, name: str, shown: str, *, replace: bool) -> bool:
    """
    Rename ``tmp`` to ``name`` in ``folder``; without ``replace``, only if
    ``name`` does not exist. ``True`` when placed.
    """
    source, fd = folder.at(tmp)
    target, _ = folder.at(name)
    try:
        if replace:
            os.replace(source, target, src_dir_fd=fd, dst_dir_fd=fd)
            return True
        try:
            os.link(source, target, src_dir_fd=fd, dst_dir_fd=fd)
            return True
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            if folder.lstat(name) is not None:
                return False
            os.replace(source, target, src_dir_fd=fd, dst_dir_fd=fd)
            return True
    except OSError as error:
        raise FileError.wrap(error, shown, "write") from error


def _discard(folder: Folder, tmp: str) -> None:
    where, fd = folder.at(tmp)
    with contextlib.suppress(OSError):
        os.unlink(where, dir_fd=fd)
