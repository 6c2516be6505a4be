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
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable, Mapping
from typing import Any

import httpx

from .._plural import plural
from ..errors import AuthenticationError, ExportError
from ..gcore import DEFAULT_TIMEOUT, AsyncClient
from ..gcore.retry import RetryPolicy
from ..output import OutputSpec
from ..output.naming import NameTemplate
from .inputs import TaskQuery, aiter_ids
from .manifest import MANIFEST_NAME, Manifest
from .options import ExportOptions
from .pipeline import Fatal, KeyRefused, ProgressCallback, TaskPipeline
from .ratelimit import TokenBucket
from .report import ExportInterrupted, ExportReport
from .requeue import client_policy, listing_policy
from .resume import remove_stale_temporaries

__all__ = ["aexport_many", "export_many"]

TaskSource = Iterable[str] | AsyncIterable[str] | TaskQuery | str

_DEFAULT_SPEC = OutputSpec.parse("srt")
_DEFAULT_OPTIONS = ExportOptions()


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
    policies: list[RetryPolicy | None],
    bucket: TokenBucket | None,
    timeout: float | None = None,
) -> list[AsyncClient]:
    """
    One client per retry policy given (``None``: the client's default),
    each with a pool of ONE kept-alive connection, closed with ``stack``.

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
    limit: float | httpx.Timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    for policy in policies:
        http = httpx.AsyncClient(
            timeout=limit,
            follow_redirects=False,
            verify=tls,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            event_hooks=hooks,
        )
        stack.push_async_callback(http.aclose)
        clients.append(
            AsyncClient(
                api_key, base_url=base_url, http_client=http, timeout=limit, retry_policy=policy
            )
        )
    return clients


async def aexport_many(
    tasks: TaskSource,
    output_dir: str | os.PathLike[str],
    spec: OutputSpec | None = None,
    *,
    options: ExportOptions | None = None,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
    total: int | None = None,
) -> ExportReport:
    """
    Export many tasks' captions to files, concurrently and resumably.

    Each task becomes one file per output of ``spec`` under ``output_dir``,
    named by ``spec.name``, written atomically as a unit, and one line in
    ``output_dir/manifest.jsonl``. Rerunning skips tasks whose files are
    complete and were made from the same spec (its
    :attr:`~gcore_captions.OutputSpec.fingerprint`), and redoes the rest.

    Args:
        tasks: task ids (any iterable or async iterable; a ``str`` is one
            id), or a :class:`TaskQuery` to export every task the list
            endpoint finds (by default every finished transcription).
        output_dir: the output folder (created if missing).
        spec: what to write: outputs and their options, passes, encoding,
            name template (``OutputSpec.parse("srt")`` by default). The
            name fields are ``{task_id}``, ``{language}``, ``{lang3}``,
            ``{ext}``, ``{client_user_id}``, ``{client_entity_data}``,
            ``{url_stem}``; ``/`` makes sub-folders.
        options: how to run: concurrency, rate cap, waiting, force,
            no-clobber, retry budget (:class:`ExportOptions` defaults). A
            task that fails for a transient reason is queued again with
            backoff while the budget lasts; a permanent answer is final.
        client: an :class:`AsyncClient` to use (not closed); by default one
            is made from ``api_key`` / ``base_url`` (or ``GCORE_API_KEY`` /
            ``GCORE_BASE_URL``).
        api_key: the API key when no ``client`` is given.
        base_url: the API root when no ``client`` is given.
        on_progress: called with an :class:`ExportProgress` after each task.
        total: the number of tasks, when the caller knows it (for progress
            only); taken from ``len(tasks)`` for lists and tuples.

    Returns:
        The report: counts, failures (capped), elapsed time.

    Raises:
        ExportError: bad arguments (a name template without ``{ext}`` for
            several outputs, or with no field), the folder is in use by
            another export or cannot be written, or the manifest cannot be
            written.
        APIError: listing tasks failed (for a :class:`TaskQuery`), or no
            API key is available.
        AuthenticationError: the API refused the key (401) during the
            export, which then stopped at once; its ``report`` attribute
            holds the :class:`ExportReport` so far (``interrupted`` set),
            and the manifest records every task finished until then.
        asyncio.CancelledError: the export was cancelled (or interrupted:
            also ``KeyboardInterrupt``); the exception's ``report`` attribute
            holds the :class:`ExportReport` so far, ``interrupted`` set.
    """
    spec = spec or _DEFAULT_SPEC
    options = options or _DEFAULT_OPTIONS
    if client is not None and not isinstance(client, AsyncClient):
        raise TypeError(f"client must be an AsyncClient, not {type(client).__name__}")
    if not isinstance(spec, OutputSpec):
        raise TypeError(f"spec must be an OutputSpec, not {type(spec).__name__}")
    if not isinstance(options, ExportOptions):
        raise TypeError(f"options must be ExportOptions, not {type(options).__name__}")
    template = NameTemplate(spec.name, reserved=frozenset({MANIFEST_NAME}))
    if not template.fields:
        raise ExportError(
            f"name template {spec.name!r} has no field; every task would get the same name"
            " (use e.g. {task_id}.{ext})"
        )
    if len(spec.formats) > 1 and "ext" not in template.fields:
        raise ExportError(
            f"name template {spec.name!r} has no {{ext}}, so every format of a task would"
            " get the same file name"
        )
    concurrency = options.concurrency
    max_rps = options.max_rps
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
            policies = [client_policy(options)] * concurrency
            if listing:
                policies.append(listing_policy(options))
            clients = await _own_clients(
                stack, api_key, base_url, policies, bucket, options.request_timeout
            )
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
            spec=spec,
            template=template,
            options=options,
            clients=clients[:concurrency],
            call_bucket=call_bucket,
            manifest=manifest,
            report=report,
            on_progress=on_progress,
        )
        try:
            await export.run(ids, concurrency)
        except Fatal as error:
            raise ExportError(str(error)) from None
        except KeyRefused as stop:
            raise _key_refused(stop.error, report, time.monotonic() - opened) from None
        finally:
            if export.requeue.spent:
                report.notes.append(
                    f"the retry budget ran out ({options.retry_for:g} s without a successful"
                    " answer): tasks that failed for a transient reason after that were not"
                    " tried again; rerun the same command to retry them"
                )
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


def _key_refused(error: AuthenticationError, report: ExportReport, elapsed: float) -> Exception:
    """
    The one error that ends an export whose key the API refused: what the
    API said, that the export stopped, and how to continue; it carries the
    report so far as ``report``.
    """
    report.interrupted = True
    report.elapsed = elapsed
    report.notes.append("stopped at once: the API refused the key (HTTP 401)")
    stopped = AuthenticationError(
        f"{error.message}; the export stopped at once ({plural(report.total, 'task')} done"
        f" are in {report.manifest}; run it again with a valid key to continue)",
        status_code=error.status_code,
        request_url=error.request_url,
    )
    stopped.report = report  # type: ignore[attr-defined]
    return stopped


def export_many(
    tasks: Iterable[str] | TaskQuery | str,
    output_dir: str | os.PathLike[str],
    spec: OutputSpec | None = None,
    *,
    options: ExportOptions | None = None,
    client: AsyncClient | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    on_progress: ProgressCallback | None = None,
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
            spec,
            options=options,
            client=client,
            api_key=api_key,
            base_url=base_url,
            on_progress=on_progress,
            total=total,
        )
    )


def _run(export: Coroutine[Any, Any, ExportReport]) -> ExportReport:
    """
    ``asyncio.run(export)``, with Ctrl-C raised as :class:`ExportInterrupted`
    carrying the report so far.

    A second Ctrl-C while the first one is stopping the export makes
    ``asyncio.run`` raise ``KeyboardInterrupt`` and finish the export in its
    clean-up; its :class:`ExportInterrupted` is then raised here (asyncio
    would print it as "Task exception was never retrieved", a traceback).
    """
    main: list[asyncio.Task[ExportReport]] = []

    async def interruptible() -> ExportReport:
        task = asyncio.current_task()
        if task is not None:
            main.append(task)
            task.add_done_callback(_retrieve)
        try:
            return await export
        except (asyncio.CancelledError, KeyboardInterrupt) as stop:
            report = getattr(stop, "report", None)
            if isinstance(report, ExportReport):
                raise ExportInterrupted(report) from None
            raise

    try:
        return asyncio.run(interruptible())
    except KeyboardInterrupt:
        if main and main[0].done() and not main[0].cancelled():
            error = main[0].exception()
            if isinstance(error, ExportInterrupted):
                raise error from None
        raise


def _retrieve(task: asyncio.Future[Any]) -> None:
    """
    Mark the task's exception as seen (it is raised by :func:`_run`).
    """
    if not task.cancelled():
        task.exception()
