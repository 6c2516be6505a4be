"""
The per-task pipeline of a batch export, run by N workers off a bounded
queue.

Per task: resume check (thread: manifest read, file hashes) -> fetch (event
loop) -> parse, passes, names, render (thread) -> clash check (event loop)
-> atomic writes (thread) -> one manifest line (thread). Every outcome,
including refused names, clashes and unexpected errors, ends as a manifest
line and a count; only a failure to write the manifest stops the export.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..api import encode, render
from ..atomic import write_atomic
from ..client import AsyncClient
from ..errors import ExportError, GcoreCaptionsError, TaskNotReady, WaitTimeout
from ..formats import Format
from ..languages import to_bcp47
from ..model import Transcript
from ..task import parse_task
from .manifest import Manifest
from .naming import NameTemplate, task_fields
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
)
from .report import ExportProgress, ExportReport
from .resume import check_file

__all__ = ["Fatal", "TaskPipeline"]

ProgressCallback = Callable[[ExportProgress], object]
Reflow = Callable[[Transcript], Transcript]


@dataclass(frozen=True, slots=True)
class _Built:
    transcript: Transcript
    outputs: tuple[tuple[str, Format, bytes], ...]


class Fatal(Exception):
    """
    Stops the whole export (the manifest cannot be written).
    """


class TaskPipeline:
    """
    Exports tasks one by one on ``concurrency`` workers; see the module
    docstring. Built by :func:`~gcore_captions.batch.runner.aexport_many`.
    """

    def __init__(
        self,
        *,
        root: str,
        formats: Sequence[Format],
        template: NameTemplate,
        recipe: str,
        format_options: Mapping[str, Mapping[str, Any]],
        force: bool,
        wait: bool,
        wait_timeout: float | None,
        poll_interval: float,
        client: AsyncClient,
        call_bucket: TokenBucket | None,
        manifest: Manifest,
        report: ExportReport,
        on_progress: ProgressCallback | None,
        reflow: Reflow | None,
    ) -> None:
        self.root = root
        self.formats = formats
        self.template = template
        self.recipe = recipe
        self.format_options = format_options
        self.force = force
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.poll_interval = poll_interval
        self.client = client
        self.call_bucket = call_bucket
        self.manifest = manifest
        self.report = report
        self.on_progress = on_progress
        self.reflow = reflow
        self.claims = ClaimRegistry()
        self.started = time.monotonic()

    async def run(self, ids: AsyncIterator[str], concurrency: int) -> None:
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=concurrency * 2)
        workers = [asyncio.ensure_future(self._worker(queue)) for _ in range(concurrency)]
        producer = asyncio.ensure_future(self._produce(ids, queue, concurrency))
        running: set[asyncio.Future[None]] = {producer, *workers}
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

    async def _produce(
        self, ids: AsyncIterator[str], queue: asyncio.Queue[str | None], workers: int
    ) -> None:
        async for task_id in ids:
            await queue.put(task_id)
        for _ in range(workers):
            await queue.put(None)

    async def _worker(self, queue: asyncio.Queue[str | None]) -> None:
        while (task_id := await queue.get()) is not None:
            if not self.claims.first_time(task_id):
                self.report.duplicates += 1
                continue
            status, error = await self._export(task_id)
            self.report.count(status, task_id, error)
            if self.on_progress is not None:
                elapsed = time.monotonic() - self.started
                self.on_progress(self.report.progress(task_id, status, elapsed, error))

    async def _export(self, task_id: str) -> tuple[Status, BaseException | None]:
        if not task_id.strip():
            return await self._record_failure(task_id, ExportError("empty task id"))
        if not self.force:
            kept = await asyncio.to_thread(self._complete_record, task_id)
            if kept is not None:
                clash = self.claims.claim(task_id, [f.path for f in kept.files])
                if clash is None:
                    await self._append(kept)
                    return SKIPPED, None
                return await self._record_failure(task_id, _clash_error(task_id, clash))
        try:
            payload = await self._fetch(task_id)
            built = await asyncio.to_thread(self._build, task_id, payload)
            del payload
            paths = [path for path, _, _ in built.outputs]
            clash = self.claims.claim(task_id, paths)
            if clash is not None:
                raise _clash_error(task_id, clash)
            files = await asyncio.to_thread(self._write, built.outputs)
        except (TaskNotReady, WaitTimeout) as error:
            return await self._record_failure(task_id, error, NOT_FINISHED)
        except GcoreCaptionsError as error:
            return await self._record_failure(task_id, error)
        except OSError as error:
            failure = ExportError(f"task {task_id}: cannot write: {error}")
            return await self._record_failure(task_id, failure)
        except Exception as error:  # one bad task must not stop thousands
            failure = ExportError(f"task {task_id}: unexpected {type(error).__name__}: {error}")
            return await self._record_failure(task_id, failure)
        transcript = built.transcript
        await self._append(
            TaskRecord(
                task_id=task_id,
                status=WRITTEN,
                files=files,
                recipe=self.recipe,
                cues=len(transcript.cues),
                language=transcript.language,
                languages=transcript.languages,
                warnings=tuple(str(w) for w in transcript.warnings),
            )
        )
        return WRITTEN, None

    def _complete_record(self, task_id: str) -> TaskRecord | None:
        record = self.manifest.lookup(task_id)
        decision = decide(
            record,
            recipe=self.recipe,
            force=self.force,
            check_file=lambda file: check_file(self.root, file),
        )
        if not decision.skip or record is None:
            return None
        return record.replace(status=SKIPPED, at=utc_now())

    async def _fetch(self, task_id: str) -> Any:
        if self.call_bucket is not None:
            await self.call_bucket.acquire()
        if self.wait:
            return await self.client.wait_for_task(
                task_id, timeout=self.wait_timeout, poll_interval=self.poll_interval
            )
        return await self.client.get_task(task_id)

    def _build(self, task_id: str, payload: Any) -> _Built:
        transcript = parse_task(payload)
        if self.reflow is not None:
            transcript = self.reflow(transcript)
        language = None
        if transcript.language:
            try:
                language = to_bcp47(transcript.language)
            except ValueError:
                language = transcript.language
        fields = task_fields(
            task_id=transcript.task_id or task_id,
            lang3=transcript.language,
            language=language,
            task_data=transcript.metadata,
        )
        outputs = []
        for fmt in self.formats:
            path = self.template.render({**fields, "ext": fmt.extension}, task_id=task_id)
            owner = self.manifest.owner(path)
            if owner is not None and owner != task_id:
                raise ExportError(
                    f"task {task_id}: output name {path!r} belongs to task {owner} (see the"
                    " manifest); not overwritten, choose a more specific --name"
                )
            text = render(transcript, fmt.name, **self.format_options.get(fmt.name, {}))
            outputs.append((path, fmt, encode(text)))
        return _Built(transcript, tuple(outputs))

    def _write(self, outputs: Sequence[tuple[str, Format, bytes]]) -> tuple[FileRecord, ...]:
        records = []
        for path, fmt, data in outputs:
            write_atomic(os.path.join(self.root, *path.split("/")), data)
            digest = hashlib.sha256(data).hexdigest()
            records.append(FileRecord(path=path, format=fmt.name, bytes=len(data), sha256=digest))
        return tuple(records)

    async def _record_failure(
        self, task_id: str, error: BaseException, status: Status = FAILED
    ) -> tuple[Status, BaseException]:
        message = " ".join(str(error).split()) or type(error).__name__
        await self._append(
            TaskRecord(
                task_id=task_id,
                status=status,
                recipe=self.recipe,
                error=message,
                error_type=type(error).__name__,
            )
        )
        return status, error

    async def _append(self, record: TaskRecord) -> None:
        try:
            await asyncio.to_thread(self.manifest.append, record)
        except OSError as error:
            raise Fatal(f"cannot write the manifest {self.manifest.path}: {error}") from None


def _clash_error(task_id: str, path: str) -> ExportError:
    return ExportError(
        f"task {task_id}: output name {path!r} is already taken by another task in this export;"
        " not overwritten, choose a more specific --name (e.g. with {task_id})"
    )
