"""
The per-task pipeline of a batch export.

Two stages, each ``concurrency`` wide, joined by a bounded queue:

- fetchers (event loop): duplicate check, resume check (a thread hop, only
  for tasks the manifest knows: manifest read, file hashes), fetch;
- writers (one thread hop per task): parse, then the one write path
  (``output.render_outputs``, ``planned_paths``, the clash and ownership
  checks, ``write_outputs`` as a unit), one manifest line.

Every outcome, including refused names, clashes and unexpected errors, ends
as a manifest line and a count; only a failure to write the manifest stops
the export.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import ExportError, GcoreCaptionsError, TaskNotReady, WaitTimeout
from ..gcore import AsyncClient
from ..model import Transcript
from ..output import OutputSpec, RenderedOutput, render_outputs, write_outputs
from ..output.naming import NameTemplate
from ..output.write import name_fields, planned_paths
from ..task import parse_task
from .manifest import Manifest
from .options import ExportOptions
from .plan import ClaimRegistry, decide
from .ratelimit import TokenBucket
from .records import (
    FAILED,
    NOT_FINISHED,
    SKIPPED,
    WRITTEN,
    FileRecord,
    Status,
    TaskRecord,
    utc_now,
    warning_lines,
)
from .report import ExportProgress, ExportReport, one_line
from .resume import check_file

__all__ = ["Fatal", "TaskPipeline"]

ProgressCallback = Callable[[ExportProgress], object]
Outcome = tuple[Status, BaseException | None]
# A fetched task on its way to a writer: id, payload, or why there is none.
_Fetched = tuple[str, Any, BaseException | None]
_T = TypeVar("_T")


class Fatal(Exception):
    """
    Stops the whole export (the manifest cannot be written).
    """


class TaskPipeline:
    """
    Exports tasks in two stages; see the module docstring. Built by
    :func:`~gcore_captions.batch.runner.aexport_many`.

    Each fetcher has its own client (``clients[i % len(clients)]``), so with
    clients made by the export every fetcher keeps one connection of its
    own; each writer runs its file work on a thread of the export's own
    pool (one per writer), so no writer waits for another's ``fsync``.
    """

    def __init__(
        self,
        *,
        root: str,
        spec: OutputSpec,
        template: NameTemplate,
        options: ExportOptions,
        clients: Sequence[AsyncClient],
        call_bucket: TokenBucket | None,
        manifest: Manifest,
        report: ExportReport,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.root = root
        self.spec = spec
        self.template = template
        self.recipe = spec.fingerprint
        self.options = options
        self.force = options.force
        self.clients = clients
        self.call_bucket = call_bucket
        self.manifest = manifest
        self.report = report
        self.on_progress = on_progress
        self.claims = ClaimRegistry()
        self.started = time.monotonic()
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, ids: AsyncIterator[str], concurrency: int) -> None:
        """
        Export every id from ``ids``: ``concurrency`` fetchers keep that many
        requests in flight while ``concurrency`` writers turn the answers into
        files, so a slow disk never idles the network (and the reverse).

        Raises:
            Fatal: the manifest could not be written.
            Exception: whatever reading ``ids`` raised (listing tasks...).
        """
        ids_queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=concurrency * 2)
        fetched: asyncio.Queue[_Fetched | None] = asyncio.Queue(maxsize=concurrency)
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="gcore-export")
        fetchers = [
            asyncio.ensure_future(
                self._fetcher(ids_queue, fetched, self.clients[n % len(self.clients)])
            )
            for n in range(concurrency)
        ]
        writers = [asyncio.ensure_future(self._writer(fetched)) for _ in range(concurrency)]
        running: set[asyncio.Future[None]] = {
            asyncio.ensure_future(self._produce(ids, ids_queue, concurrency)),
            asyncio.ensure_future(self._close_after(fetchers, fetched, concurrency)),
            *fetchers,
            *writers,
        }
        try:
            while running:
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_EXCEPTION)
                for future in done:
                    future.result()
        finally:
            for future in running:
                future.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            self._pool.shutdown(wait=True)

    async def _produce(
        self, ids: AsyncIterator[str], queue: asyncio.Queue[str | None], fetchers: int
    ) -> None:
        async for task_id in ids:
            await queue.put(task_id)
        for _ in range(fetchers):
            await queue.put(None)

    async def _close_after(
        self,
        fetchers: Sequence[asyncio.Future[None]],
        fetched: asyncio.Queue[_Fetched | None],
        writers: int,
    ) -> None:
        await asyncio.gather(*fetchers)
        for _ in range(writers):
            await fetched.put(None)

    async def _fetcher(
        self,
        queue: asyncio.Queue[str | None],
        fetched: asyncio.Queue[_Fetched | None],
        client: AsyncClient,
    ) -> None:
        while (task_id := await queue.get()) is not None:
            if not self.claims.first_time(task_id):
                self.report.duplicates += 1
                continue
            if not task_id.strip():
                await fetched.put((task_id, None, ExportError("empty task id")))
                continue
            # Only a task the manifest knows can be complete: the rest skip
            # this thread hop (and a first run never makes it).
            if not self.force and task_id in self.manifest:
                skipped = await self._thread(self._skip_if_complete, task_id)
                if skipped is not None:
                    self._count(task_id, skipped)
                    continue
            try:
                payload = await self._fetch(task_id, client)
            except GcoreCaptionsError as error:
                await fetched.put((task_id, None, error))
            except Exception as error:  # one bad task must not stop thousands
                await fetched.put((task_id, None, _unexpected(task_id, error)))
            else:
                await fetched.put((task_id, payload, None))

    async def _writer(self, fetched: asyncio.Queue[_Fetched | None]) -> None:
        while (item := await fetched.get()) is not None:
            task_id, payload, error = item
            del item
            if error is None:
                outcome = await self._thread(self._finish, task_id, payload)
            else:
                outcome = await self._thread(self._fail, task_id, error)
            del payload
            self._count(task_id, outcome)

    def _count(self, task_id: str, outcome: Outcome) -> None:
        status, error = outcome
        self.report.count(status, task_id, error)
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.started
            self.on_progress(self.report.progress(task_id, status, elapsed, error))

    async def _thread(self, function: Callable[..., _T], *args: Any) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, function, *args)

    async def _fetch(self, task_id: str, client: AsyncClient) -> Any:
        if self.call_bucket is not None:
            await self.call_bucket.acquire()
        if self.options.wait:
            return await client.wait_for_task(
                task_id,
                timeout=self.options.wait_timeout,
                poll_interval=self.options.poll_interval,
            )
        return await client.get_task(task_id)

    # Everything below runs on the export's threads.

    def _skip_if_complete(self, task_id: str) -> Outcome | None:
        record = self.manifest.lookup(task_id)
        decision = decide(
            record,
            recipe=self.recipe,
            force=self.force,
            check_file=lambda file: check_file(self.root, file),
        )
        if not decision.skip or record is None:
            return None
        clash = self.claims.claim(task_id, [f.path for f in record.files])
        if clash is not None:
            return self._fail(task_id, _clash_error(task_id, clash))
        self._append(record.replace(status=SKIPPED, at=utc_now()))
        return SKIPPED, None

    def _finish(self, task_id: str, payload: Any) -> Outcome:
        try:
            transcript, paths, rendered = self._build(task_id, payload)
            del payload
            clash = self.claims.claim(task_id, paths)
            if clash is not None:
                raise _clash_error(task_id, clash)
            records = write_outputs(
                transcript,
                self.spec,
                self.root,
                clobber=self._replaceable(task_id, paths),
                rendered=rendered,
                paths=paths,
            )
        except GcoreCaptionsError as error:
            return self._fail(task_id, error)
        except OSError as error:
            return self._fail(task_id, ExportError(f"task {task_id}: cannot write: {error}"))
        except Exception as error:  # one bad task must not stop thousands
            return self._fail(task_id, _unexpected(task_id, error))
        files = tuple(
            FileRecord(path=r.path, format=r.format, bytes=r.bytes, sha256=r.sha256)
            for r in records
            if r.written
        )
        warnings = warning_lines(transcript.warnings)
        left = [r.path for r in records if not r.written]
        if left:
            warnings = (*warnings, f"left alone (--no-clobber): {', '.join(left)}")
        self._append(
            TaskRecord(
                task_id=task_id,
                status=WRITTEN,
                files=files,
                recipe=self.recipe,
                cues=len(transcript.cues),
                language=transcript.language,
                languages=transcript.languages,
                warnings=warnings,
            )
        )
        return WRITTEN, None

    def _build(
        self, task_id: str, payload: Any
    ) -> tuple[Transcript, list[str], list[RenderedOutput]]:
        transcript = parse_task(payload)
        fields = name_fields(transcript, task_id=task_id)
        paths = planned_paths(self.spec, fields, what=f"task {task_id}", template=self.template)
        for path in paths:
            owner = self.manifest.owner(path)
            if owner is not None and owner != task_id:
                raise ExportError(
                    f"task {task_id}: output name {path!r} belongs to task {owner} (see the"
                    " manifest); not overwritten, choose a more specific --name"
                )
        return transcript, paths, render_outputs(transcript, self.spec, names=paths)

    def _replaceable(self, task_id: str, paths: Sequence[str]) -> bool | frozenset[str]:
        """
        With ``no_clobber``, the files this export may replace: the ones the
        manifest records as this task's own.
        """
        if not self.options.no_clobber:
            return True
        return frozenset(
            os.path.join(self.root, *path.split("/"))
            for path in paths
            if self.manifest.owner(path) == task_id
        )

    def _fail(self, task_id: str, error: BaseException) -> Outcome:
        # A task still running on Gcore's side is "not finished", not failed.
        status = NOT_FINISHED if isinstance(error, (TaskNotReady, WaitTimeout)) else FAILED
        self._append(
            TaskRecord(
                task_id=task_id,
                status=status,
                recipe=self.recipe,
                error=one_line(error),
                error_type=type(error).__name__,
            )
        )
        return status, error

    def _append(self, record: TaskRecord) -> None:
        try:
            self.manifest.append(record)
        except OSError as error:
            raise Fatal(f"cannot write the manifest {self.manifest.path}: {error}") from None


def _unexpected(task_id: str, error: Exception) -> ExportError:
    return ExportError(f"task {task_id}: unexpected {type(error).__name__}: {error}")


def _clash_error(task_id: str, path: str) -> ExportError:
    return ExportError(
        f"task {task_id}: output name {path!r} is already taken by another task in this export;"
        " not overwritten, choose a more specific --name (e.g. with {task_id})"
    )
