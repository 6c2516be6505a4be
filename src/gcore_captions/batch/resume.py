"""
The file-system side of resuming: checking that recorded files are still
complete, and removing temporary files an interrupted run left behind.

Both stay inside the output folder the way writing does
(:mod:`gcore_captions.output.boundary`): folders are opened relative to the
folder before them, a link is followed only while it stays inside, and a
file is never read through a link.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator

from ..errors import FileError
from ..output.atomic import is_temporary_name
from ..output.boundary import open_file, open_root, open_under
from .records import FileRecord

__all__ = ["check_file", "remove_stale_temporaries", "sha256_file"]

_CHUNK = 1 << 20
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
# What opening a link with O_NOFOLLOW says (FreeBSD: EMLINK).
_LINK_ERRORS = frozenset({errno.ELOOP, errno.EMLINK})


def sha256_file(path: str) -> str:
    """
    The hex SHA-256 of a file's bytes, read in 1 MiB chunks.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(root: str, file: FileRecord) -> str | None:
    """
    ``None`` when ``root/file.path`` exists with the recorded size and
    SHA-256; otherwise what is wrong (``"missing"``, ``"size changed"``,
    ``"content changed"``, ``"not a regular file"``, ``"is a symbolic
    link"``, or why its folder is refused: a link leading outside ``root``).
    A file is never opened through a link, and a FIFO is never waited on.
    """
    *parents, name = file.path.split("/")
    try:
        with (
            open_root(root, create=False, action="read") as top,
            open_under(top, parents, create=False, action="read") as folder,
        ):
            fd = open_file(folder, name, _READ)
    except FileNotFoundError:
        return "missing"
    except FileError as error:
        return error.strerror or str(error)
    except OSError as error:
        if error.errno in _LINK_ERRORS:
            return "is a symbolic link"
        return f"cannot be read ({error.strerror})"
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size != file.bytes:
            return "size changed"
        digest = hashlib.sha256()
        try:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        except OSError as error:
            return f"cannot be read ({error.strerror})"
    return None if digest.hexdigest() == file.sha256 else "content changed"


def remove_stale_temporaries(root: str) -> int:
    """
    Remove the temporary files an interrupted atomic write left under
    ``root``: only regular files whose name is this library's temporary
    name (``.gcore-captions-<16 hex digits>.tmp``,
    :func:`~gcore_captions.output.atomic.is_temporary_name`), in ``root``
    and its sub-folders; links are not followed, hidden folders skipped.

    Call this only while holding the output folder's lock, so no running
    export's temporary file is removed.

    Returns:
        How many files were removed.
    """
    removed = 0
    with open_root(root, create=False, action="clean up") as top:
        walk: Iterator[tuple[str, list[str], list[str], int | None]]
        if top.fd is None:  # pragma: no cover - no dir_fd (Windows)
            walk = ((d, n, f, None) for d, n, f in os.walk(top.path))
        else:
            walk = os.fwalk(".", dir_fd=top.fd)
        for folder, dirs, files, dir_fd in walk:
            # Output names never start with "." so hidden folders are not ours.
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if not is_temporary_name(name):
                    continue
                where = name if dir_fd is not None else os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    info = os.stat(where, dir_fd=dir_fd, follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        os.unlink(where, dir_fd=dir_fd)
                        removed += 1
    return removed
