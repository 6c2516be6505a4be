"""
The output folder as a boundary: nothing is created, written, truncated or
appended outside the folder's real path, whatever links a prepared folder
holds.

- The output folder itself is opened once, following links: passing a
  symbolic link to a folder works, and the folder it leads to (its real
  path) is the boundary.
- Below it, every folder is opened one component at a time, relative to the
  folder opened before it (``dir_fd``) and with ``O_NOFOLLOW``, and missing
  ones are made with ``os.mkdir(..., dir_fd=)``. A component that is a
  symbolic link is followed only when its real path stays inside the
  boundary, and then the walk starts again from the output folder along
  that real path, so every link in it is checked the same way; a link whose
  real path is outside (``/tmp``, ``..``) is refused. A ``..`` that goes
  out and comes back in by the folder's name (``../out/de``) stays inside.
- A file is opened with ``O_NOFOLLOW`` relative to its open folder, so a
  link at a file's name is never followed.

A refusal is a :class:`~gcore_captions.errors.FileError` naming the path
and why.

The residual race: a folder the walk has opened stays open. If someone
with write access to the output folder *moves* that folder out of it while
a write is in progress, the file lands in the moved folder (it is no
longer under the output folder, but it is the folder that was checked; no
link is followed). Closing that would need the kernel's help
(``openat2(RESOLVE_BENEATH)`` checks only while opening, too).

Where the platform has no ``dir_fd`` (Windows), the same walk runs on paths
with an ``lstat`` before each step; there the check and the use are
separate steps.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from types import TracebackType

from ..errors import FileError

__all__ = ["Folder", "open_file", "open_root", "open_under", "refused"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)
# Every call the walk makes relative to a folder descriptor.
_DIR_FD = {os.open, os.mkdir, os.stat, os.readlink, os.unlink, os.rename, os.link} <= (
    os.supports_dir_fd
)
_OPEN_FOLDER = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
# What an open with O_NOFOLLOW says of a link (FreeBSD: EMLINK), and what an
# open with O_DIRECTORY says of a file.
_NOT_FOLLOWED = frozenset({errno.ELOOP, errno.EMLINK, errno.ENOTDIR})
# Links followed in one walk, as the kernel allows (Linux: 40).
_MAX_LINKS = 40


class Folder:
    """
    An open folder inside (or being) the boundary.

    Attributes:
        shown: the path as the user would name it (for messages).
        fd: its descriptor; ``None`` where the platform has no ``dir_fd``.
    """

    __slots__ = ("_base", "_names", "_path", "fd", "shown")

    def __init__(
        self,
        path: str | None,
        shown: str,
        fd: int | None,
        *,
        base: Folder | None = None,
        names: Sequence[str] = (),
    ) -> None:
        self._path = path
        self._base = base
        self._names = tuple(names)
        self.shown = shown
        self.fd = fd

    @property
    def path(self) -> str:
        """
        The folder's real path (no links in it), worked out when first
        needed (only following a link needs it).

        Raises:
            FileError: the output folder's name now leads to another folder.
        """
        if self._path is None:
            if self._base is not None:
                self._path = os.path.join(self._base.path, *self._names)
            else:
                self._path = _real_path(self.shown, self.fd)
        return self._path

    def at(self, name: str) -> tuple[str, int | None]:
        """
        ``(name, dir_fd)`` to pass to an ``os`` call for the entry ``name``
        of this folder (a joined path and ``None`` without ``dir_fd``).
        """
        if self.fd is None:
            return os.path.join(self.path, name), None
        return name, self.fd

    def lstat(self, name: str) -> os.stat_result | None:
        """
        The entry ``name`` as it is (a link is not followed), or ``None``
        when there is none.
        """
        where, fd = self.at(name)
        try:
            return os.stat(where, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def close(self) -> None:
        """
        Close the descriptor; safe to call twice.
        """
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def open_root(
    path: str | os.PathLike[str],
    *,
    create: bool,
    action: str = "write",
    for_path: str | None = None,
) -> Folder:
    """
    Open the output folder itself (links followed; its real path is the
    boundary), making it and its parents first when ``create``.

    Args:
        path: the folder.
        create: make it (and its parents) when missing.
        action: for messages: ``"write"``, ``"read"``.
        for_path: the file it is opened for, named by errors (default: the
            folder).

    Raises:
        FileError: it cannot be made or opened, or is not a folder.
    """
    shown = os.fspath(path)
    named = for_path or shown
    try:
        if create:
            os.makedirs(shown, exist_ok=True)
        if not _DIR_FD:
            real = os.path.realpath(shown)
            if not os.path.isdir(real):
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory")
            return Folder(real, shown, None)
        fd = os.open(shown, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as error:
        if error.errno in (errno.EEXIST, errno.ENOTDIR):
            raise refused(named, action, f"{shown} is not a folder", error) from error
        raise FileError.wrap(error, named, action) from error
    return Folder(None, shown, fd)


def _real_path(shown: str, fd: int | None) -> str:
    """
    The real path of the folder ``shown`` opened as ``fd``.
    """
    try:
        real = os.path.realpath(shown)
        # The name may have been switched to another folder since the open:
        # then that real path would not be this folder's.
        if fd is not None and not os.path.samestat(os.fstat(fd), os.stat(real)):
            raise refused(shown, "use", "the folder's name now leads to another folder")
    except OSError as error:
        if isinstance(error, FileError):
            raise
        raise FileError.wrap(error, shown, "use") from error
    return real


def open_under(
    root: Folder,
    parts: Sequence[str],
    *,
    create: bool,
    action: str = "write",
    for_path: str | None = None,
) -> Folder:
    """
    Open the folder ``root/parts...`` without leaving ``root`` (see the
    module docstring), making missing folders when ``create``.

    Args:
        root: the open output folder.
        parts: the path's components below it (no ``..``, no empty ones).
        create: make missing folders (``os.mkdir`` relative to the parent).
        action: for messages: ``"write"``, ``"read"``.
        for_path: the file the folder is opened for, named by errors
            (default: the folder).

    Raises:
        FileError: a component is a file, is a link leading outside the
            output folder, or cannot be opened or made; names the path.
        FileNotFoundError: a folder is missing and ``create`` is false.
    """
    shown = os.path.join(root.shown, *parts)
    named = for_path or shown
    for part in parts:
        if part in ("", ".", "..") or "/" in part or (os.sep != "/" and os.sep in part):
            raise refused(named, action, f"{part!r} is not a folder name")
    pending = list(reversed(parts))
    names: list[str] = []
    opened: list[Folder] = []
    links = 0
    # Looks at one component: a folder made or removed by someone else in
    # between is looked at again, a bounded number of times.
    looks = 0
    try:
        while pending:
            part = pending.pop()
            here = opened[-1] if opened else root
            try:
                child = _open_folder(here, part)
            except FileNotFoundError:
                if not create:
                    raise
                looks += 1
                if looks > _MAX_LINKS:
                    raise
                where, fd = here.at(part)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(where, 0o777, dir_fd=fd)
                pending.append(part)
                continue
            except OSError as error:
                if error.errno not in _NOT_FOLLOWED:
                    raise
                info = here.lstat(part)
                component = os.path.join(root.shown, *names, part)
                if info is None:
                    looks += 1
                    if looks > _MAX_LINKS:
                        raise
                    pending.append(part)  # removed meanwhile: look again
                    continue
                if not stat.S_ISLNK(info.st_mode):
                    raise refused(named, action, f"{component} is not a folder") from None
                links += 1
                if links > _MAX_LINKS:
                    raise refused(named, action, f"{component}: too many symbolic links") from None
                where, fd = here.at(part)
                target = os.readlink(where, dir_fd=fd)
                resolved = os.path.realpath(os.path.join(here.path, target))
                inside = _relative_to(root.path, resolved)
                if inside is None:
                    raise refused(
                        named,
                        action,
                        f"{component} is a symbolic link to {resolved}, outside the output"
                        f" folder {root.path}",
                    ) from None
                # Start again from the output folder along the link's real
                # path; every component of it is checked like the rest.
                for folder in opened:
                    folder.close()
                opened.clear()
                names.clear()
                pending.extend(reversed(inside))
                continue
            looks = 0
            names.append(part)
            opened.append(Folder(None, shown, child, base=root, names=names))
        if not opened:
            return Folder(None, shown, _dup(root.fd), base=root)
        return opened.pop()
    except OSError as error:
        if isinstance(error, FileError) or (not create and isinstance(error, FileNotFoundError)):
            raise
        raise FileError.wrap(error, named, action) from error
    finally:
        for folder in opened:
            folder.close()


def open_file(folder: Folder, name: str, flags: int, mode: int = 0o666) -> int:
    """
    ``os.open`` of the entry ``name`` of ``folder``, never through a link
    (``O_NOFOLLOW``; a link raises ``OSError`` with ``ELOOP``).
    """
    where, fd = folder.at(name)
    if fd is None:
        info = folder.lstat(name)
        if info is not None and stat.S_ISLNK(info.st_mode):
            raise OSError(errno.ELOOP, "Too many levels of symbolic links")
    return os.open(where, flags | _NOFOLLOW | _CLOEXEC | _BINARY, mode, dir_fd=fd)


def _open_folder(here: Folder, name: str) -> int | None:
    where, fd = here.at(name)
    if fd is not None:
        return os.open(where, _OPEN_FOLDER, dir_fd=fd)
    info = os.stat(where, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.ELOOP, "Too many levels of symbolic links")
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory")
    return None


def _dup(fd: int | None) -> int | None:
    return None if fd is None else os.dup(fd)


def _relative_to(root: str, path: str) -> list[str] | None:
    """
    ``path``'s components below ``root`` (both real paths), or ``None``
    when it is not inside it.
    """
    if path == root:
        return []
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix):
        return None
    return [part for part in path[len(prefix) :].split(os.sep) if part]


def refused(path: str, action: str, why: str, os_error: OSError | None = None) -> FileError:
    """
    The :class:`FileError` for a path the boundary refuses: "cannot write
    out/en/a.srt: out/en is a symbolic link to /tmp, outside the output
    folder /home/me/out".
    """
    return FileError(f"cannot {action} {path}: {why}", path=path, action=action, os_error=os_error)
