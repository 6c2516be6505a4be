"""
Creating many transcription tasks for a batch export: the jobs (one per
URL, or per URL and target language), the folder's record of the tasks
they made (``transcribe.jsonl``), and the stream of task ids that
``aexport_many`` reads, created ahead while the batch owns fewer unfinished
tasks than the queue limit.

A rerun finds each job's task in the record and creates nothing; a job the
record lacks (its line was lost, or the task was made by another machine)
is still found by the create's tag look-up (see
:meth:`~gcore_captions.AsyncClient.create_transcription`).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass

from ..errors import (
    AuthenticationError,
    FeatureDisabledError,
    FileError,
    GcoreCaptionsError,
)
from ..gcore import AsyncClient
from .report import ExportProgress

__all__ = ["JOBS_NAME", "CreateFailure", "CreatingSource", "Job", "JobLog", "plan_jobs"]

JOBS_NAME = "transcribe.jsonl"
"""The record of created tasks, next to the manifest in the output folder."""

# Failures that no other job could escape: stop the whole batch.
_FATAL = (AuthenticationError, FeatureDisabledError)


@dataclass(frozen=True, slots=True)
class Job:
    """
    One task to create: a media URL and its languages (ISO 639-2/B, as
    checked by the client; ``None``: detected / not translated).
    """

    url: str
    audio_language: str | None = None
    subtitles_language: str | None = None

    def key(self) -> tuple[str, str, str]:
        """
        The job as a key of the record.
        """
        return (self.url, self.audio_language or "", self.subtitles_language or "")


def plan_jobs(urls: Iterable[str], language: str | None, targets: Sequence[str] = ()) -> list[Job]:
    """
    One job per URL, or per URL and target language; a URL given twice is
    one job.
    """
    jobs: dict[tuple[str, str, str], Job] = {}
    for url in urls:
        for target in targets or (None,):
            job = Job(url, language, target)
            jobs.setdefault(job.key(), job)
    return list(jobs.values())


class JobLog:
    """
    ``transcribe.jsonl``: one JSON line per created task (``url``,
    ``audio_language``, ``subtitles_language``, ``task_id``), appended and
    flushed to disk before the task is exported, so a killed run's tasks are
    found by the next one. A line that cannot be read is skipped.

    Args:
        root: the output folder (it must exist).
    """

    def __init__(self, root: str) -> None:
        self.path = os.path.join(root, JOBS_NAME)
        self._tasks: dict[tuple[str, str, str], str] = {}
        try:
            descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with open(descriptor, encoding="utf-8") as handle:
                for line in handle:
                    self._read(line)
        except FileNotFoundError:
            pass
        except (OSError, UnicodeDecodeError) as error:
            raise FileError(f"cannot read {self.path}: {error}", path=self.path) from None

    def _read(self, line: str) -> None:
        try:
            item = json.loads(line)
        except ValueError:
            return
        if not isinstance(item, dict) or not isinstance(item.get("task_id"), str):
            return
        job = Job(
            str(item.get("url", "")),
            item.get("audio_language") or None,
            item.get("subtitles_language") or None,
        )
        self._tasks[job.key()] = item["task_id"]

    def task_for(self, job: Job) -> str | None:
        """
        The task recorded for ``job``, if any.
        """
        return self._tasks.get(job.key())

    def record(self, job: Job, task_id: str) -> None:
        """
        Append ``job``'s task and flush it to disk.

        Raises:
            FileError: the line cannot be written.
        """
        line = json.dumps(
            {
                "url": job.url,
                "audio_language": job.audio_language,
                "subtitles_language": job.subtitles_language,
                "task_id": task_id,
            },
            ensure_ascii=False,
        )
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            # Never through a symbolic link planted in the folder.
            descriptor = os.open(self.path, flags, 0o644)
            with open(descriptor, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise FileError(f"cannot write {self.path}: {error}", path=self.path) from None
        self._tasks[job.key()] = task_id


@dataclass(frozen=True, slots=True)
class CreateFailure:
    """
    A job whose task could not be created.

    Attributes:
        job: the job.
        error: why, in one line.
    """

    job: Job
    error: str


class CreatingSource:
    """
    The task ids of ``jobs`` for ``aexport_many``: recorded tasks first
    looked up in ``log``, the others created with ``client``, ahead of the
    export, while the batch owns fewer than ``queue_limit`` unfinished
    tasks. Pass :meth:`finished` as (part of) ``on_progress``: a task the
    export is done with frees its place.

    Args:
        jobs: what to create.
        client: the client that creates.
        log: the folder's record.
        queue_limit: the most tasks the batch has created (or reused) and
            the export has not finished, at once.
        queue_timeout: passed to ``create_transcription``.

    Attributes:
        failures: the jobs that could not be created (filled as it runs).
        created: how many tasks were created or found by tag (not recorded).
        reused: how many came from the record.
    """

    def __init__(
        self,
        jobs: Sequence[Job],
        client: AsyncClient,
        log: JobLog,
        *,
        queue_limit: int = 100,
        queue_timeout: float | None = 600.0,
    ) -> None:
        if not isinstance(queue_limit, int) or isinstance(queue_limit, bool) or queue_limit < 1:
            raise ValueError(
                f"queue_limit must be a whole number of 1 or more, not {queue_limit!r}"
            )
        self.jobs = jobs
        self.client = client
        self.log = log
        self.queue_limit = queue_limit
        self.queue_timeout = queue_timeout
        self.failures: list[CreateFailure] = []
        self.created = 0
        self.reused = 0
        self._owned: set[str] = set()
        self._slots: asyncio.Semaphore | None = None

    def __repr__(self) -> str:
        return f"CreatingSource({len(self.jobs)} jobs, queue_limit={self.queue_limit})"

    def finished(self, progress: ExportProgress) -> None:
        """
        The export is done with ``progress.task_id``: its place is free.
        """
        if progress.task_id in self._owned and self._slots is not None:
            self._owned.discard(progress.task_id)
            self._slots.release()

    async def ids(self) -> AsyncIterator[str]:
        """
        Each job's task id, created as places free up.

        Raises:
            AuthenticationError, FeatureDisabledError: no job could be
                created; the batch stops.
            FileError: the record cannot be written.
        """
        self._slots = asyncio.Semaphore(self.queue_limit)
        ready: asyncio.Queue[str | None] = asyncio.Queue()
        producer = asyncio.ensure_future(self._produce(ready))
        try:
            while (task_id := await ready.get()) is not None:
                yield task_id
            await producer
        finally:
            producer.cancel()

    async def _produce(self, ready: asyncio.Queue[str | None]) -> None:
        assert self._slots is not None
        try:
            for job in self.jobs:
                await self._slots.acquire()
                task_id = self.log.task_for(job)
                if task_id is None:
                    try:
                        task_id = await self.client.create_transcription(
                            job.url,
                            audio_language=job.audio_language,
                            subtitles_language=job.subtitles_language,
                            queue_timeout=self.queue_timeout,
                        )
                    except _FATAL:
                        raise
                    except GcoreCaptionsError as error:
                        self.failures.append(CreateFailure(job, str(error)))
                        self._slots.release()
                        continue
                    self.log.record(job, task_id)
                    self.created += 1
                else:
                    self.reused += 1
                if task_id in self._owned:  # two jobs, one task: one place
                    self._slots.release()
                self._owned.add(task_id)
                await ready.put(task_id)
        finally:
            await ready.put(None)
