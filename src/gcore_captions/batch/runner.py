"""
Run a batch export: many tasks, fetched concurrently, each written to its
caption files and recorded in the manifest.

One producer streams task ids into a bounded queue; ``concurrency`` workers
take them one at a time. Per task: resume check (thread) -> fetch (event
loop) -> parse, passes, names, render (thread) -> clash check (event loop)
-> atomic writes and a manifest line (thread). Only counters and a capped
failure list stay in memory, so memory does not grow with the number of
tasks beyond a ~100-byte fingerprint per task for duplicate and clash
detection.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ..api import encode, render
from ..atomic import write_atomic
from ..client import AsyncClient
from ..errors import (
    ExportError,
    GcoreCaptionsError,
    TaskNotReady,
    WaitTimeout,
)
from ..formats import Format, get_format
from ..languages import to_bcp47
from ..model import Transcript
from ..task import parse_task
from .inputs import TaskQuery, aiter_ids
from .manifest import MANIFEST_NAME, Manifest
from .naming import DEFAULT_TEMPLATE, NameTemplate, task_fields
from .plan import ClaimRegistry, decide, recipe_of
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
from .resume import check_file, remove_stale_temporaries

__all__ = ["aexport_many", "export_many"]

TaskSource = Iterable[str] | AsyncIterable[str] | TaskQuery | str
ProgressCallback = Callable[[ExportProgress], object]
Reflow = Callable[[Transcript], Transcript]


@dataclass(frozen=True, slots=True)
class _Built:
    transcript: Transcript
    outputs: tuple[tuple[str, Format, bytes], ...]


class _Fatal(Exception):
    """
    Stops the whole export (the manifest cannot be written).
    """


class _Export:
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
                self.on_progress(self.report.progress(task_id, status, elapsed))

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
            return await self.client.wait_for_task(task_id, timeout=self.wait_timeout)
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
            raise _Fatal(f"cannot write the manifest {self.manifest.path}: {error}") from None


def _clash_error(task_id: str, path: str) -> ExportError:
    return ExportError(
        f"task {task_id}: output name {path!r} is already taken by another task in this export;"
        " not overwritten, choose a more specific --name (e.g. with {task_id})"
    )


def _options_fingerprint(options: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [json.dumps(options, sort_keys=True, default=repr)] if options else []


async def _query_ids(client: AsyncClient, query: TaskQuery) -> AsyncIterator[str]:
    async for task in client.list_tasks(
        status=query.status,
        task_name=query.task_name,
        search=query.search,
        date_created=query.date_created,
        page_size=query.page_size,
    ):
        task_id = task.get("task_id") if isinstance(task, Mapping) else None
        if isinstance(task_id, str) and task_id:
            yield task_id


async def _own_client(
    api_key: str | None, base_url: str | None, concurrency: int, bucket: TokenBucket | None
) -> tuple[AsyncClient, httpx.AsyncClient]:
    hooks: dict[str, list[Callable[..., Any]]] = {}
    if bucket is not None:

        async def throttle(request: httpx.Request) -> None:
            await bucket.acquire()

        hooks["request"] = [throttle]
    # One kept-alive connection per worker (plus the lister): no worker waits
    # for a socket and none is opened twice.
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(120.0, connect=5.0),
        follow_redirects=False,
        limits=httpx.Limits(
            max_connections=concurrency + 1, max_keepalive_connections=concurrency + 1
        ),
        event_hooks=hooks,
    )
    try:
        return AsyncClient(api_key, base_url=base_url, http_client=http), http
    except BaseException:
        await http.aclose()
        raise


async def aexport_many(
    tasks: TaskSource,
    output_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = ("srt",),
    name_template: str = DEFAULT_TEMPLATE,
    concurrency: int = 8,
    max_rps: float | None = None,
    wait: bool = False,
    wait_timeout: float | None = 600.0,
    force: bool = False,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
    reflow: Reflow | None = None,
    format_options: Mapping[str, Mapping[str, Any]] | None = None,
    total: int | None = None,
) -> ExportReport:
    """
    Export many tasks' captions to files, concurrently and resumably.

    Each task becomes one file per format under ``output_dir``, named by
    ``name_template``, written atomically, and one line in
    ``output_dir/manifest.jsonl``. Rerunning skips tasks whose files are
    complete and unchanged and redoes the rest.

    Args:
        tasks: task ids (any iterable or async iterable; a ``str`` is one
            id), or a :class:`TaskQuery` to export every task the list
            endpoint finds (by default every finished transcription).
        output_dir: the output folder (created if missing).
        formats: format names, e.g. ``("srt", "vtt")``.
        name_template: the file name template; fields ``{task_id}``,
            ``{language}``, ``{lang3}``, ``{ext}``, ``{client_user_id}``,
            ``{client_entity_data}``, ``{url_stem}``; ``/`` makes
            sub-folders.
        concurrency: tasks in flight at once.
        max_rps: at most this many API requests per second (retries and
            list pages included; with your own ``client``, task fetches
            only).
        wait: wait for unfinished tasks instead of reporting them as not
            finished.
        wait_timeout: seconds to wait per task with ``wait`` (``None``: no
            limit).
        force: rewrite every task, even complete ones.
        client: an :class:`AsyncClient` to use (not closed); by default one
            is made from ``api_key`` / ``base_url`` (or ``GCORE_API_KEY`` /
            ``GCORE_BASE_URL``).
        api_key: the API key when no ``client`` is given.
        base_url: the API root when no ``client`` is given.
        on_progress: called with an :class:`ExportProgress` after each task.
        reflow: a pass applied to each transcript before rendering (for
            example a reflow preset); its name is part of the recipe, so a
            rerun with another pass redoes the tasks.
        format_options: writer options per format name, e.g.
            ``{"txt": {"timestamps": True}}``.
        total: the number of tasks, when the caller knows it (for progress
            only); taken from ``len(tasks)`` for lists and tuples.

    Returns:
        The report: counts, failures (capped), elapsed time.

    Raises:
        ExportError: bad arguments (unknown field in the template, no
            formats), the folder is in use by another export or cannot be
            written, or the manifest cannot be written.
        FormatError: an unknown format.
        APIError: listing tasks failed (for a :class:`TaskQuery`), or no
            API key is available.
    """
    if concurrency < 1:
        raise ExportError(f"concurrency must be at least 1, not {concurrency}")
    if max_rps is not None and not max_rps > 0:
        raise ExportError(f"max_rps must be positive, not {max_rps}")
    chosen = [get_format(name) for name in formats]
    if not chosen:
        raise ExportError("name at least one format")
    if len({f.name for f in chosen}) != len(chosen):
        raise ExportError("a format is named twice")
    template = NameTemplate(name_template, reserved=frozenset({MANIFEST_NAME}))
    if len(chosen) > 1 and "ext" not in template.fields:
        raise ExportError(
            f"name template {name_template!r} has no {{ext}}, so every format of a task would"
            " get the same file name"
        )
    options = {get_format(k).name: dict(v) for k, v in (format_options or {}).items()}
    passes = [getattr(reflow, "__qualname__", repr(reflow))] if reflow else []
    recipe = recipe_of(
        [f.name for f in chosen], name_template, passes + _options_fingerprint(options)
    )
    if isinstance(tasks, str):
        tasks = [tasks]
    if total is None and isinstance(tasks, (list, tuple)):
        total = len(tasks)

    root = os.path.abspath(os.fspath(output_dir))
    manifest = await asyncio.to_thread(Manifest.open, root)
    report = ExportReport(output_dir=root, manifest=manifest.path, total_hint=total)
    report.notes.extend(manifest.notes)
    owned_http: httpx.AsyncClient | None = None
    clean = False
    try:
        removed = await asyncio.to_thread(remove_stale_temporaries, root)
        if removed:
            report.notes.append(
                f"removed {removed} temporary file(s) left by an interrupted run in {root}"
            )
        bucket = (
            TokenBucket(max_rps, burst=max(1.0, min(max_rps, concurrency))) if max_rps else None
        )
        if client is None:
            client, owned_http = await _own_client(api_key, base_url, concurrency, bucket)
            call_bucket = None
        else:
            call_bucket = bucket
        ids = _query_ids(client, tasks) if isinstance(tasks, TaskQuery) else aiter_ids(tasks)
        export = _Export(
            root=root,
            formats=chosen,
            template=template,
            recipe=recipe,
            format_options=options,
            force=force,
            wait=wait,
            wait_timeout=wait_timeout,
            client=client,
            call_bucket=call_bucket,
            manifest=manifest,
            report=report,
            on_progress=on_progress,
            reflow=reflow,
        )
        try:
            await export.run(ids, concurrency)
        except _Fatal as error:
            raise ExportError(str(error)) from None
        report.elapsed = time.monotonic() - export.started
        clean = True
    finally:
        if owned_http is not None:
            await owned_http.aclose()
        if clean:
            await asyncio.to_thread(manifest.compact)
        else:
            manifest.close()
    return report


def export_many(
    tasks: Iterable[str] | TaskQuery | str,
    output_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = ("srt",),
    name_template: str = DEFAULT_TEMPLATE,
    concurrency: int = 8,
    max_rps: float | None = None,
    wait: bool = False,
    wait_timeout: float | None = 600.0,
    force: bool = False,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
    reflow: Reflow | None = None,
    format_options: Mapping[str, Mapping[str, Any]] | None = None,
    total: int | None = None,
) -> ExportReport:
    """
    The blocking form of :func:`aexport_many` (same arguments), for code
    without an event loop. Runs its own loop with ``asyncio.run``.
    """
    return asyncio.run(
        aexport_many(
            tasks,
            output_dir,
            formats=formats,
            name_template=name_template,
            concurrency=concurrency,
            max_rps=max_rps,
            wait=wait,
            wait_timeout=wait_timeout,
            force=force,
            client=client,
            api_key=api_key,
            base_url=base_url,
            on_progress=on_progress,
            reflow=reflow,
            format_options=format_options,
            total=total,
        )
    )
