"""
``ExportOptions``: how a batch export runs, as one value shared by
``export_many`` and ``aexport_many`` (what it writes is the ``OutputSpec``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ExportError

__all__ = ["ExportOptions"]

#: The slowest request rate ``max_rps`` takes: below it a run would all but
#: stop (a typo such as ``1e-300`` waits for ages between requests).
MIN_RPS = 0.001


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """
    How to run an export.

    Args:
        concurrency: tasks in flight at once (1 or more).
        max_rps: at most this many API requests per second (retries and
            list pages included; with your own client, task fetches only).
        wait: wait for unfinished tasks instead of reporting them as not
            finished.
        wait_timeout: seconds to wait per task with ``wait`` (``None``: no
            limit).
        poll_interval: with ``wait``, the first pause between polls of an
            unfinished task (it grows by half each time, up to 30 s).
        force: rewrite every task, even complete ones.
        no_clobber: leave alone every existing file the export did not
            write itself (files the manifest records as another run's
            output of the same task may still be replaced).
        request_timeout: seconds each API request may take at most, answer
            included (``None``: the client's default, 120 s); only for the
            clients the export makes itself.
        retry_for: the retry budget, in seconds. A task that fails for a
            transient reason (timeout, dropped connection, 408/409/429/5xx,
            cut-short or non-JSON body) is queued again, after a backoff,
            while the export has fetched some task successfully within the
            last ``retry_for`` seconds; once that much time passes without
            one, transient failures are final. ``0`` turns requeueing off
            (each request then gets the client's own three attempts).
        retry_delay: the wait before a task's first requeue, in seconds;
            it doubles with each further requeue of that task (jittered
            down to 75-100 %), and a server's ``Retry-After`` lengthens it
            (the client's own backoff, 0.5 s up to 8 s, by default).
        retry_max_delay: the longest backoff wait, in seconds (a longer
            ``Retry-After`` is still honoured).

    Raises:
        ExportError: a value out of range or of the wrong type.
    """

    concurrency: int = 8
    max_rps: float | None = None
    wait: bool = False
    wait_timeout: float | None = 600.0
    poll_interval: float = 2.0
    force: bool = False
    no_clobber: bool = False
    request_timeout: float | None = None
    retry_for: float = 300.0
    retry_delay: float = 0.5
    retry_max_delay: float = 8.0

    def __post_init__(self) -> None:
        if not _whole(self.concurrency) or self.concurrency < 1:
            raise ExportError(
                f"concurrency must be a whole number of 1 or more, not {self.concurrency!r}"
            )
        if self.max_rps is not None and not (_number(self.max_rps) and self.max_rps >= MIN_RPS):
            raise ExportError(
                f"max_rps must be a number of requests a second from {MIN_RPS} (one every"
                f" {1 / MIN_RPS / 60:.0f} minutes) up, not {self.max_rps!r}"
            )
        if self.wait_timeout is not None and not (
            _number(self.wait_timeout) and self.wait_timeout >= 0
        ):
            raise ExportError(f"wait_timeout must be 0 or more seconds, not {self.wait_timeout!r}")
        if not (_number(self.poll_interval) and self.poll_interval >= 0):
            raise ExportError(
                f"poll_interval must be 0 or more seconds, not {self.poll_interval!r}"
            )
        if self.request_timeout is not None and not (
            _number(self.request_timeout) and self.request_timeout > 0
        ):
            raise ExportError(
                "request_timeout must be a positive number of seconds,"
                f" not {self.request_timeout!r}"
            )
        for name in ("retry_for", "retry_delay", "retry_max_delay"):
            value = getattr(self, name)
            if not (_number(value) and value >= 0):
                raise ExportError(
                    f"{name} must be a finite number of 0 or more seconds, not {value!r}"
                )
        for name in ("wait", "force", "no_clobber"):
            if not isinstance(getattr(self, name), bool):
                raise ExportError(f"{name} must be true or false, not {getattr(self, name)!r}")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
