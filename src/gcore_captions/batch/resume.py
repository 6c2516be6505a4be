"""
The file-system side of resuming: checking that recorded files are still
complete, and removing temporary files an interrupted run left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat

from .records import FileRecord

__all__ = ["check_file", "remove_stale_temporaries", "sha256_file"]

# atomic.write_atomic's temporary names: "." + final name + "." + mkstemp's
# 8 random characters + ".tmp". Only these are removed.
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_CHUNK = 1 << 20


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
    ``"content changed"``, ``"not a regular file"``).
    """
    path = os.path.join(root, *file.path.split("/"))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size != file.bytes:
        return "size changed"
    try:
        digest = sha256_file(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return None if digest == file.sha256 else "content changed"


def remove_stale_temporaries(root: str) -> int:
    """
    Remove hidden ``.<name>.<random>.tmp`` files that an interrupted atomic
    write left under ``root`` (sub-folders included, symlinks not followed).

    Call this only while holding the output folder's lock, so no running
    export's temporary file is removed.

    Returns:
        How many files were removed.
    """
    removed = 0
    for folder, dirs, files in os.walk(root):
        # Output names never start with "." so hidden folders are not ours.
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if _TEMPORARY.match(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed
