"""
``export_many`` / ``aexport_many``: many tasks' captions to files,
concurrently and resumably.

This module checks the arguments, opens the manifest (locking the folder),
removes temporary files a killed run left, makes the client (its connection
pool sized to the concurrency, the rate cap on every request), streams the
task ids, and hands them to :class:`~.pipeline.TaskPipeline`. Only counters
and a capped failure list stay in memory, so memory does not grow with the
number of tasks beyond 16-byte fingerprints per task and file for duplicate
and clash detection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Coroutine,
    Iterable,
    Mapping,
    Sequence,
)
from typing import Any

import httpx

from .._plural import plural
from ..errors import ExportError
from ..formats import get_format
from ..gcore import AsyncClient
from .inputs import TaskQuery, aiter_ids
from .manifest import MANIFEST_NAME, Manifest
from .naming import DEFAULT_TEMPLATE, NameTemplate
from .pipeline import Fatal, ProgressCallback, Reflow, TaskPipeline
from .plan import recipe_of
from .ratelimit import TokenBucket
from .report import ExportInterrupted, ExportReport
from .resume import remove_stale_temporaries

__all__ = ["aexport_many", "export_many"]

TaskSource = Iterable[str] | AsyncIterable[str] | TaskQuery | str


def _options_fingerprint(options: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [json.dumps(options, sort_keys=True, default=repr)] if options else []


async def _query_ids(
    client: AsyncClient, query: TaskQuery, on_count: Callable[[int], object]
) -> AsyncIterator[str]:
    async for task in client.list_tasks(
        on_count=on_count,
        status=query.status,
        task_name=query.task_name,
        search=query.search,
        date_created=query.date_created,
        page_size=query.page_size,
    ):
        task_id = task.get("task_id") if isinstance(task, Mapping) else None
        if isinstance(task_id, str) and task_id:
            yield task_id


async def _own_clients(
    stack: contextlib.AsyncExitStack,
    api_key: str | None,
    base_url: str | None,
    count: int,
    bucket: TokenBucket | None,
) -> list[AsyncClient]:
    """
    ``count`` clients, each with a pool of ONE kept-alive connection, closed
    with ``stack``.

    One pool per worker rather than one shared pool: httpcore checks every
    idle connection of a pool (a system call each) whenever it hands one
    out, so a shared pool of N connections costs O(N) per request; this
    halves the client's CPU time per request at concurrency 16. They share
    one TLS context (making one takes ~70 ms) and the rate cap.
    """
    hooks: dict[str, list[Callable[..., Any]]] = {}
    if bucket is not None:

        async def throttle(request: httpx.Request) -> None:
            await bucket.acquire()

        hooks["request"] = [throttle]
    tls = httpx.create_ssl_context()
    clients = []
    for _ in range(count):
        http = httpx.AsyncClient(
            timeout=httpx.Timeout(120.0, connect=5.0),
            follow_redirects=False,
            verify=tls,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            event_hooks=hooks,
        )
        stack.push_async_callback(http.aclose)
        clients.append(AsyncClient(api_key, base_url=base_url, http_client=http))
    return clients


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
    poll_interval: float = 2.0,
    force: bool = False,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
    reflow: Reflow | None = None,
    format_options: Mapping[str, Mapping[str, Any]] | None = None,
    newline: str = "\n",
    bom: bool = False,
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
        poll_interval: with ``wait``, the first pause between polls of an
            unfinished task (it grows by half each time, up to 30 s).
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
        newline: ``"\\n"`` (default) or ``"\\r\\n"`` line ends in the files.
        bom: start each file with a UTF-8 byte order mark.
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
        asyncio.CancelledError: the export was cancelled (or interrupted:
            also ``KeyboardInterrupt``); the exception's ``report`` attribute
            holds the :class:`ExportReport` so far, ``interrupted`` set.
    """
    if client is not None and not isinstance(client, AsyncClient):
        raise TypeError(f"client must be an AsyncClient, not {type(client).__name__}")
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
    if newline not in ("\n", "\r\n"):
        raise ExportError(f"newline must be '\\n' or '\\r\\n', not {newline!r}")
    options = {get_format(k).name: dict(v) for k, v in (format_options or {}).items()}
    passes = [getattr(reflow, "__qualname__", repr(reflow))] if reflow else []
    encoding = [f"newline={newline!r}", f"bom={bom}"]
    recipe = recipe_of(
        [f.name for f in chosen], name_template, passes + _options_fingerprint(options) + encoding
    )
    if isinstance(tasks, str):
        tasks = [tasks]
    if total is None and isinstance(tasks, (list, tuple)):
        total = len(tasks)

    root = os.path.abspath(os.fspath(output_dir))
    manifest = await asyncio.to_thread(Manifest.open, root)
    report = ExportReport(output_dir=root, manifest=manifest.path, total_hint=total)
    report.notes.extend(manifest.notes)
    stack = contextlib.AsyncExitStack()
    clean = False
    opened = time.monotonic()
    try:
        removed = await asyncio.to_thread(remove_stale_temporaries, root)
        if removed:
            report.notes.append(
                f"removed {plural(removed, 'temporary file')} left by an interrupted run in {root}"
            )
        bucket = (
            TokenBucket(max_rps, burst=max(1.0, min(max_rps, concurrency))) if max_rps else None
        )
        listing = isinstance(tasks, TaskQuery)
        if client is None:
            # One client per worker, plus one for the list query.
            clients = await _own_clients(stack, api_key, base_url, concurrency + listing, bucket)
            call_bucket = None
        else:
            clients = [client]
            call_bucket = bucket
        if isinstance(tasks, TaskQuery):

            def learn_total(count: int) -> None:
                # The list's own count gives the progress bar a total and an ETA.
                if report.total_hint is None:
                    report.total_hint = count

            ids = _query_ids(clients[-1], tasks, learn_total)
        else:
            ids = aiter_ids(tasks)
        export = TaskPipeline(
            root=root,
            formats=chosen,
            template=template,
            recipe=recipe,
            format_options=options,
            newline=newline,
            bom=bom,
            force=force,
            wait=wait,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            clients=clients[:concurrency],
            call_bucket=call_bucket,
            manifest=manifest,
            report=report,
            on_progress=on_progress,
            reflow=reflow,
        )
        try:
            await export.run(ids, concurrency)
        except Fatal as error:
            raise ExportError(str(error)) from None
        report.elapsed = time.monotonic() - export.started
        # Free the run's indexes before compaction builds its own.
        del export
        clean = True
    except (asyncio.CancelledError, KeyboardInterrupt) as stop:
        # Ctrl-C or a cancel: hand back what was done (export_many raises it
        # as ExportInterrupted); the manifest is still closed below.
        report.interrupted = True
        report.elapsed = time.monotonic() - opened
        stop.report = report  # type: ignore[union-attr]
        raise
    finally:
        await stack.aclose()
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
    poll_interval: float = 2.0,
    force: bool = False,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
    reflow: Reflow | None = None,
    format_options: Mapping[str, Mapping[str, Any]] | None = None,
    newline: str = "\n",
    bom: bool = False,
    total: int | None = None,
) -> ExportReport:
    """
    The blocking form of :func:`aexport_many` (same arguments), for code
    without an event loop. Runs its own loop with ``asyncio.run``.

    Raises:
        ExportInterrupted: Ctrl-C (a ``KeyboardInterrupt``) stopped it; its
            ``report`` says what was done until then.
    """
    return _run(
        aexport_many(
            tasks,
            output_dir,
            formats=formats,
            name_template=name_template,
            concurrency=concurrency,
            max_rps=max_rps,
            wait=wait,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            force=force,
            client=client,
            api_key=api_key,
            base_url=base_url,
            on_progress=on_progress,
            reflow=reflow,
            format_options=format_options,
            newline=newline,
            bom=bom,
            total=total,
        )
    )


def _run(export: Coroutine[Any, Any, ExportReport]) -> ExportReport:
    """
    ``asyncio.run(export)``, with Ctrl-C raised as :class:`ExportInterrupted`
    carrying the report so far.
    """

    async def interruptible() -> ExportReport:
        try:
            return await export
        except (asyncio.CancelledError, KeyboardInterrupt) as stop:
            report = getattr(stop, "report", None)
            if isinstance(report, ExportReport):
                raise ExportInterrupted(report) from None
            raise

    return asyncio.run(interruptible())
