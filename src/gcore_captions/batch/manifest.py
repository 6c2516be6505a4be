"""
``manifest.jsonl``: the record of every task an export handled, in the
output folder, one JSON line per task outcome.

- Appending: each line goes out in one ``write`` followed by ``fsync``, so a
  run killed at any moment (SIGKILL, power loss) leaves at most one torn last
  line. The next run drops that torn tail (with a note) before appending.
- Reading: the LAST line for a task wins. Lines that are not valid records
  are ignored with a note.
- Memory: the index keeps, per task, a 64-bit fingerprint of its id and the
  byte position of its last line (32 bytes in a flat table), never the
  records; a record is read back from disk when a task needs it.
- Compaction: a run that finishes cleanly rewrites the manifest atomically
  with only the last line per task.
- Locking: the output folder is locked (``flock`` on the folder itself; no
  lock file) for the run, so two exports never write the same folder at once.
- The boundary: the output folder is opened once (a link to a folder is
  followed) and the manifest is opened relative to it with ``O_NOFOLLOW``.
  A ``manifest.jsonl`` that is a symbolic link, has other hard links, or is
  not a regular file (a FIFO, a folder) is refused before anything is read
  or written: the export stops with one error naming it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from collections.abc import Iterator

from .._plural import plural
from ..errors import ExportError, FileError
from ..output.atomic import atomic_writer
from ..output.boundary import Folder, open_file, open_root
from ..output.naming import clash_key
from .fingerprints import FingerprintMap, fingerprint
from .records import TaskRecord

__all__ = ["MANIFEST_NAME", "Manifest"]

MANIFEST_NAME = "manifest.jsonl"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]


# A line's place in the file, packed in 64 bits: 40 for the offset (1 TiB),
# 24 for the length (16 MiB; records cap their warnings far below that).
_LENGTH_BITS = 24


def _pack(offset: int, length: int) -> int:
    if length >> _LENGTH_BITS or offset >> (64 - _LENGTH_BITS):
        raise ValueError("manifest line out of range")
    return (offset << _LENGTH_BITS) | length


def _unpack(location: int) -> tuple[int, int]:
    return location >> _LENGTH_BITS, location & ((1 << _LENGTH_BITS) - 1)


class Manifest:
    """
    The manifest of one output folder, open for one run.

    Use :meth:`open`; call :meth:`close` (or :meth:`compact` on a clean
    finish) when done. :meth:`append` and the lookups are safe to call from
    several threads.

    Attributes:
        path: the manifest file.
        notes: what was noticed while reading it (torn or invalid lines).
    """

    def __init__(self, root: Folder) -> None:
        self.folder = root.shown
        self.path = os.path.join(root.shown, MANIFEST_NAME)
        self.notes: list[str] = []
        self._root: Folder | None = root
        self._lock = threading.Lock()
        self._tasks = FingerprintMap()
        self._paths = FingerprintMap()
        self._read_fd: int | None = None
        self._append_fd: int | None = None

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> Manifest:
        """
        Lock ``folder`` (creating it if needed), repair a torn last line and
        index the manifest.

        Raises:
            ExportError: another export holds the folder, it cannot be
                created or read, or its ``manifest.jsonl`` is a symbolic
                link, has other hard links or is not a regular file
                (nothing is read or written then).
        """
        shown = os.fspath(folder)
        try:
            root = open_root(shown, create=True)
        except FileError as error:
            why = error.strerror or error
            raise ExportError(f"cannot use output folder {shown}: {why}") from None
        try:
            _lock_folder(root)
        except BaseException:
            root.close()
            raise
        manifest = cls(root)
        try:
            manifest._load()
        except BaseException:
            manifest.close()
            raise
        return manifest

    def __len__(self) -> int:
        return len(self._tasks)

    def __contains__(self, task_id: object) -> bool:
        """
        Whether the manifest (as read at the start of the run) has a record
        for ``task_id``; a fingerprint check, no disk read.
        """
        return isinstance(task_id, str) and fingerprint(task_id) in self._tasks

    def _load(self) -> None:
        assert self._root is not None
        fd = _open_manifest(self._root, self.path)
        self._append_fd = fd
        self._read_fd = os.dup(fd)
        self._repair_tail(fd)
        bad = 0
        first_bad = 0
        for number, (offset, line) in enumerate(_lines(self._read_fd), start=1):
            try:
                record = TaskRecord.from_line(line)
            except (ValueError, KeyError, TypeError):
                bad += 1
                first_bad = first_bad or number
                continue
            try:
                location = _pack(offset, len(line))
            except ValueError:
                bad += 1
                first_bad = first_bad or number
                continue
            self._tasks[fingerprint(record.task_id)] = location
            for file in record.files:
                self._paths[fingerprint(clash_key(file.path))] = location
        if bad:
            what = "is not a valid record" if bad == 1 else "are not valid records"
            self.notes.append(
                f"{self.path}: ignored {plural(bad, 'line')} that {what}"
                f" (first: line {first_bad}); those tasks are redone"
            )

    def _repair_tail(self, fd: int) -> None:
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        # Find the start of the last line, reading backwards in blocks.
        start = size
        while start > 0:
            step = min(65536, start)
            block = os.pread(fd, step, start - step)
            cut = block.rfind(b"\n")
            if cut >= 0:
                start = start - step + cut + 1
                break
            start -= step
        tail = os.pread(fd, size - start, start)
        try:
            TaskRecord.from_line(tail)
        except (ValueError, KeyError, TypeError):
            os.ftruncate(fd, start)
            os.fsync(fd)
            self.notes.append(
                f"{self.path}: ignored a torn last line (an interrupted run); its task is redone"
            )
        else:
            os.write(fd, b"\n")
            os.fsync(fd)

    def lookup(self, task_id: str) -> TaskRecord | None:
        """
        The task's last record from before this run, or ``None``.
        """
        location = self._tasks.get(fingerprint(task_id))
        if location is None:
            return None
        record = self._read(location)
        return record if record is not None and record.task_id == task_id else None

    def owner(self, relative_path: str) -> str | None:
        """
        The task whose last record (from before this run) lists this file,
        or ``None``.
        """
        location = self._paths.get(fingerprint(clash_key(relative_path)))
        if location is None:
            return None
        record = self._read(location)
        if record is None or self._tasks.get(fingerprint(record.task_id)) != location:
            return None
        key = clash_key(relative_path)
        return record.task_id if any(clash_key(f.path) == key for f in record.files) else None

    def _read(self, location: int) -> TaskRecord | None:
        assert self._read_fd is not None, "manifest is closed"
        offset, length = _unpack(location)
        try:
            return TaskRecord.from_line(os.pread(self._read_fd, length, offset))
        except (ValueError, KeyError, TypeError):
            return None

    def append(self, record: TaskRecord) -> None:
        """
        Append one record durably (one ``write``, then ``fsync``). A line
        the disk took only part of is cut off again.

        Raises:
            OSError: the line could not be written.
        """
        line = record.to_line()
        with self._lock:
            assert self._append_fd is not None, "manifest is closed"
            start = os.fstat(self._append_fd).st_size
            view = memoryview(line)
            try:
                while view:
                    written = os.write(self._append_fd, view)
                    view = view[written:]
                os.fsync(self._append_fd)
            except OSError:
                # A full disk may take part of the line: cut it off, so the
                # manifest stays whole for the rest of this run and the next.
                if len(view) < len(line):
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._append_fd, start)
                raise

    def compact(self) -> None:
        """
        Rewrite the manifest atomically with only the last line per task,
        in the order those lines were written, then close it (also when the
        rewrite fails, which leaves the manifest as it was).
        """
        try:
            with self._lock:
                assert self._read_fd is not None, "manifest is closed"
                assert self._root is not None, "manifest is closed"
                last = FingerprintMap()
                for offset, line in _lines(self._read_fd):
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        last[fingerprint(TaskRecord.from_line(line).task_id)] = offset
                with atomic_writer(MANIFEST_NAME, folder=self._root) as out:
                    for offset, line in _lines(self._read_fd):
                        try:
                            record = TaskRecord.from_line(line)
                        except (ValueError, KeyError, TypeError):
                            continue
                        if last.get(fingerprint(record.task_id)) == offset:
                            out.write(line if line.endswith(b"\n") else line + b"\n")
        finally:
            self.close()

    def close(self) -> None:
        """
        Close the manifest and release the folder lock. Safe to call twice.
        """
        for name in ("_append_fd", "_read_fd"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                with contextlib.suppress(OSError):
                    os.close(fd)
        root, self._root = self._root, None
        if root is not None:
            # Closing the folder's descriptor releases the flock on it.
            with contextlib.suppress(OSError):
                root.close()


def _open_manifest(root: Folder, shown: str) -> int:
    """
    The manifest opened for appending and reading, never through a link;
    refuses a link, a file with other hard links (appending would change
    the file behind its other names) and anything but a regular file.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = open_file(root, MANIFEST_NAME, flags, 0o666)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):
            raise ExportError(
                f"refusing {shown}: it is a symbolic link; the manifest is never written"
                " through a link (remove it, or choose another output folder)"
            ) from None
        raise ExportError(f"cannot open {shown}: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        why = None
        if not stat.S_ISREG(info.st_mode):
            why = "it is not a regular file"
        elif info.st_nlink > 1:
            why = (
                f"it has {info.st_nlink} hard links, and appending would change the file"
                " behind its other names too"
            )
        if why is not None:
            raise ExportError(f"refusing {shown}: {why} (remove it, or choose another folder)")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _lines(fd: int) -> Iterator[tuple[int, bytes]]:
    """
    Every line of the open file ``fd`` with its offset, read with
    ``pread`` in 1 MiB blocks (so nothing depends on the file position).
    Linear in the file's size, however long a line is (each byte is copied
    at most twice).
    """
    position = 0
    line_start = 0
    pending = bytearray()
    while block := os.pread(fd, 1 << 20, position):
        position += len(block)
        start = 0
        while (end := block.find(b"\n", start)) >= 0:
            if pending:
                pending += block[start : end + 1]
                line = bytes(pending)
                pending.clear()
            else:
                line = block[start : end + 1]
            yield line_start, line
            line_start += len(line)
            start = end + 1
        pending += block[start:]
    if pending:
        yield line_start, bytes(pending)


def _lock_folder(root: Folder) -> None:
    """
    ``flock`` the open output folder for the run (released when its
    descriptor is closed).

    Raises:
        ExportError: another export holds it.
    """
    if fcntl is None or root.fd is None:  # pragma: no cover - Windows
        return
    try:
        fcntl.flock(root.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ExportError(
            f"another export is writing to {root.shown}; wait for it to finish or choose another"
            " output folder"
        ) from None
    except OSError:
        # Some file systems do not support locks; run unlocked there.
        return
