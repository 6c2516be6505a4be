"""
The per-task pipeline of a batch export.

Two stages, each ``concurrency`` wide, joined by a bounded queue:

- fetchers (event loop): duplicate check, resume check (a thread hop, only
  for tasks the manifest knows: manifest read, file hashes), fetch;
- writers (one thread hop per task): parse, then the one write path
  (``output.render_outputs``, ``planned_paths``, the clash and ownership
  checks, ``write_outputs`` as a unit), one manifest line.

A fetch that fails for a transient reason is queued again after a backoff
(:mod:`.requeue` decides): a timer puts the task back in the fetchers' queue,
so no fetcher waits for it. Fresh ids take a place in that queue (at most
``2 × concurrency`` wait there); requeued tasks go straight in.

Every outcome, including refused names, clashes and unexpected errors, ends
as a manifest line and a count; only a failure to write the manifest, or
the API refusing the key (401), stops the export.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import (
    AuthenticationError,
    ExportError,
    GcoreCaptionsError,
    TaskNotReady,
    WaitTimeout,
)
from ..gcore import AsyncClient, TaskProgress
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
from .report import RETRYING, ExportProgress, ExportReport, one_line
from .requeue import Requeue
from .resume import check_file

__all__ = ["Fatal", "KeyRefused", "TaskPipeline"]

ProgressCallback = Callable[[ExportProgress], object]
Outcome = tuple[Status, BaseException | None]
_T = TypeVar("_T")


class Fatal(Exception):
    """
    Stops the whole export (the manifest cannot be written).
    """


class KeyRefused(Exception):
    """
    Stops the whole export at once: the API answered 401, so every other
    request would be refused too.

    Attributes:
        error: the 401 as the client raised it.
    """

    def __init__(self, error: AuthenticationError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(eq=False, slots=True)
class _Job:
    """
    One task on its way through the fetch stage.

    Attributes:
        task_id: the task's id.
        fresh: not yet taken by a fetcher (it holds a place in the queue).
        requeues: how many times it was queued again.
        last_error: its last transient failure, in one line.
        wait_until: with ``wait``, when waiting for it ends (clock time).
        timer: the pending call that queues it again.
    """

    task_id: str
    fresh: bool = True
    requeues: int = 0
    last_error: str | None = None
    wait_until: float | None = None
    timer: asyncio.TimerHandle | None = None


# A fetched task on its way to a writer: the job, payload, or why there is none.
_Fetched = tuple[_Job, Any, BaseException | None]


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
        self.requeue = Requeue(options)
        self.started = time.monotonic()
        self._pool: ThreadPoolExecutor | None = None
        # The fetchers' queue: fresh ids (a place each in _room) and requeued
        # tasks. _open counts the jobs the fetch stage still owns (queued,
        # being fetched, waiting to be queued again); once the ids are read
        # and it drops to 0, each fetcher gets a None and stops.
        self._queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        self._room: asyncio.Semaphore | None = None
        self._open = 0
        self._ids_done = False
        self._fetchers = 0
        self._waiting: set[_Job] = set()
        # Set by the first 401: no fetcher sends another request after it.
        self._refused = False
        # File work running on the pool, by job: when the export stops
        # (401, Ctrl-C), work already running still finishes and appends its
        # manifest line, so its outcome is counted then (see run()).
        self._in_pool: dict[Future[Any], _Job] = {}

    async def run(self, ids: AsyncIterator[str], concurrency: int) -> None:
        """
        Export every id from ``ids``: ``concurrency`` fetchers keep that many
        requests in flight while ``concurrency`` writers turn the answers into
        files, so a slow disk never idles the network (and the reverse).

        Raises:
            Fatal: the manifest could not be written.
            KeyRefused: the API answered 401.
            Exception: whatever reading ``ids`` raised (listing tasks...).
        """
        fetched: asyncio.Queue[_Fetched | None] = asyncio.Queue(maxsize=concurrency)
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="gcore-export")
        self._room = asyncio.Semaphore(concurrency * 2)
        self._fetchers = concurrency
        fetchers = [
            asyncio.ensure_future(self._fetcher(fetched, self.clients[n % len(self.clients)]))
            for n in range(concurrency)
        ]
        writers = [asyncio.ensure_future(self._writer(fetched)) for _ in range(concurrency)]
        running: set[asyncio.Future[None]] = {
            asyncio.ensure_future(self._produce(ids, self._room)),
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
            for job in self._waiting:
                if job.timer is not None:
                    job.timer.cancel()
            for future in running:
                future.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            self._pool.shutdown(wait=True)
            self._count_stopped_work()

    def _count_stopped_work(self) -> None:
        """
        Count the outcomes of file work that finished after its writer was
        cancelled, so the report matches the manifest.
        """
        for future, job in self._in_pool.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                outcome = future.result()
                if isinstance(outcome, tuple):  # None: a skip check that did not skip
                    self._count(job, outcome)
        self._in_pool.clear()

    async def _produce(self, ids: AsyncIterator[str], room: asyncio.Semaphore) -> None:
        async for task_id in ids:
            await room.acquire()
            self._open += 1
            self._queue.put_nowait(_Job(task_id))
        self._ids_done = True
        self._close_if_done()

    def _settle(self) -> None:
        """
        A job left the fetch stage (to a writer, or skipped).
        """
        self._open -= 1
        self._close_if_done()

    def _close_if_done(self) -> None:
        if self._ids_done and self._open == 0:
            for _ in range(self._fetchers):
                self._queue.put_nowait(None)
            self._fetchers = 0

    async def _close_after(
        self,
        fetchers: Sequence[asyncio.Future[None]],
        fetched: asyncio.Queue[_Fetched | None],
        writers: int,
    ) -> None:
        await asyncio.gather(*fetchers)
        for _ in range(writers):
            await fetched.put(None)

    async def _fetcher(self, fetched: asyncio.Queue[_Fetched | None], client: AsyncClient) -> None:
        while (job := await self._queue.get()) is not None:
            if job.fresh:
                job.fresh = False
                if self._room is not None:
                    self._room.release()
                if not await self._first_look(job, fetched):
                    self._settle()
                    continue
            if self._refused:
                return
            try:
                payload = await self._fetch(job, client)
            except GcoreCaptionsError as error:
                if isinstance(error, AuthenticationError) and error.status_code == 401:
                    self._refused = True
                    raise KeyRefused(error) from None
                if self._requeue(job, error):
                    continue
                await fetched.put((job, None, self.requeue.final_error(error, job.requeues)))
            except Exception as error:  # one bad task must not stop thousands
                await fetched.put((job, None, _unexpected(job.task_id, error)))
            else:
                self.requeue.progressed()
                await fetched.put((job, payload, None))
            self._settle()

    async def _first_look(self, job: _Job, fetched: asyncio.Queue[_Fetched | None]) -> bool:
        """
        The checks a task id gets once: ``False`` when it needs no fetch
        (a duplicate, an empty id, complete files).
        """
        task_id = job.task_id
        if not self.claims.first_time(task_id):
            self.report.duplicates += 1
            return False
        if not task_id.strip():
            await fetched.put((job, None, ExportError("empty task id")))
            return False
        # Only a task the manifest knows can be complete: the rest skip
        # this thread hop (and a first run never makes it).
        if not self.force and task_id in self.manifest:
            skipped = await self._outcome(job, self._skip_if_complete, task_id)
            if skipped is not None:
                self._count(job, skipped)
                return False
        return True

    def _requeue(self, job: _Job, error: GcoreCaptionsError) -> bool:
        """
        Queue the task again after a backoff when its failure is transient
        and the budget allows; ``False`` when the failure is final.
        """
        delay = self.requeue.delay(error, job.requeues)
        if delay is None:
            return False
        job.requeues += 1
        job.last_error = one_line(error)
        job.timer = asyncio.get_running_loop().call_later(delay, self._requeued, job)
        self._waiting.add(job)
        self.report.requeues += 1
        self.report.retrying += 1
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.started
            update = self.report.progress(
                job.task_id, RETRYING, elapsed, error, retries=job.requeues, retry_in=delay
            )
            self.on_progress(update)
        return True

    def _requeued(self, job: _Job) -> None:
        # The backoff is over: back in the fetchers' queue, ahead of no one.
        self._waiting.discard(job)
        job.timer = None
        self.report.retrying -= 1
        self._queue.put_nowait(job)

    async def _writer(self, fetched: asyncio.Queue[_Fetched | None]) -> None:
        while (item := await fetched.get()) is not None:
            job, payload, error = item
            del item
            if error is None:
                outcome = await self._outcome(job, self._finish, job.task_id, payload, job.requeues)
            else:
                outcome = await self._outcome(job, self._fail, job.task_id, error, job.requeues)
            del payload
            self._count(job, outcome)

    def _count(self, job: _Job, outcome: Outcome) -> None:
        status, error = outcome
        task_id = job.task_id
        self.report.count(status, task_id, error, requeues=job.requeues, last_error=job.last_error)
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.started
            update = self.report.progress(task_id, status, elapsed, error, retries=job.requeues)
            self.on_progress(update)

    async def _outcome(self, job: _Job, function: Callable[..., _T], *args: Any) -> _T:
        """
        Run a job's file work on the export's pool and return its outcome.
        """
        if self._pool is None:
            raise RuntimeError("the pipeline is not running")
        future = self._pool.submit(function, *args)
        self._in_pool[future] = job
        result = await asyncio.wrap_future(future)
        del self._in_pool[future]
        return result

    async def _fetch(self, job: _Job, client: AsyncClient) -> Any:
        if self.call_bucket is not None:
            await self.call_bucket.acquire()
        if self.options.wait:
            timeout = self.options.wait_timeout
            if timeout is not None:
                # A requeued task waits only for what is left of its time.
                now = time.monotonic()
                if job.wait_until is None:
                    job.wait_until = now + timeout
                timeout = max(0.0, job.wait_until - now)
            return await client.wait_for_task(
                job.task_id,
                timeout=timeout,
                poll_interval=self.options.poll_interval,
                on_progress=self._polled,
            )
        return await client.get_task(job.task_id)

    def _polled(self, _poll: TaskProgress) -> None:
        # Every answered poll is progress for the retry budget.
        self.requeue.progressed()

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
        self._append(record.replace(status=SKIPPED, at=utc_now(), retries=0))
        return SKIPPED, None

    def _finish(self, task_id: str, payload: Any, requeues: int = 0) -> Outcome:
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
            return self._fail(task_id, error, requeues)
        except OSError as error:
            failure = ExportError(f"task {task_id}: cannot write: {error}")
            return self._fail(task_id, failure, requeues)
        except Exception as error:  # one bad task must not stop thousands
            return self._fail(task_id, _unexpected(task_id, error), requeues)
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
                retries=requeues,
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

    def _fail(self, task_id: str, error: BaseException, requeues: int = 0) -> Outcome:
        # A task still running on Gcore's side is "not finished", not failed.
        status = NOT_FINISHED if isinstance(error, (TaskNotReady, WaitTimeout)) else FAILED
        self._append(
            TaskRecord(
                task_id=task_id,
                status=status,
                recipe=self.recipe,
                error=one_line(error),
                error_type=type(error).__name__,
                retries=requeues,
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
