"""
When a batch export tries a task again: sans-I/O decisions for the
pipeline, which does the waiting (a timer per task, so no worker waits).

Whether a failure is transient is never decided here: the client marks each
:class:`~gcore_captions.errors.APIError` ``retryable`` from its retry
policy's one classification (:mod:`gcore_captions.gcore.retry`), and the
waits are that module's :func:`~gcore_captions.gcore.retry.backoff_delay`.

The budget (``ExportOptions.retry_for``) is time without progress: a task is
queued again only when its next try comes within ``retry_for`` seconds of
the last successful answer the export got. A long export with sporadic
faults so keeps retrying to the end, while an outage stops it after
``retry_for`` seconds; when answers come back, so does requeueing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ..errors import APIError
from ..gcore.retry import RetryPolicy, backoff_delay
from .options import ExportOptions

__all__ = ["Requeue", "client_policy", "listing_policy", "transient"]

_MAX_LISTING_RETRIES = 100


def transient(error: BaseException) -> bool:
    """
    Whether trying the same request later may succeed: an API error the
    client marked ``retryable``.
    """
    return isinstance(error, APIError) and error.retryable


def client_policy(options: ExportOptions) -> RetryPolicy | None:
    """
    The retry policy of the clients an export makes for its workers: no
    retries inside the client while the export requeues (a task's wait then
    never holds a worker, and each fault costs one request); the client's
    usual policy (``None``) when ``retry_for`` is 0.
    """
    return RetryPolicy(max_retries=0) if options.retry_for > 0 else None


def listing_policy(options: ExportOptions) -> RetryPolicy:
    """
    The retry policy of the client that reads the task list (``--all``):
    a page cannot be requeued, so its client retries with the export's
    backoff for as long as the waits fit in ``retry_for`` (at least the
    usual two retries, at most 100); the usual policy when ``retry_for`` is 0.
    """
    if options.retry_for <= 0:
        return RetryPolicy()
    policy = RetryPolicy(base_delay=options.retry_delay, max_delay=options.retry_max_delay)
    retries, spent = 0, 0.0
    while retries < _MAX_LISTING_RETRIES:
        spent += backoff_delay(retries, policy, rand=0.0)
        if spent > options.retry_for:
            break
        retries += 1
    return RetryPolicy(
        max_retries=max(retries, RetryPolicy().max_retries),
        base_delay=options.retry_delay,
        max_delay=options.retry_max_delay,
    )


class Requeue:
    """
    Decides whether, and after how long, a failed task is tried again.

    Args:
        options: gives ``retry_for``, ``retry_delay`` and
            ``retry_max_delay``.
        clock: a monotonic clock in seconds (for tests).

    Attributes:
        budget: ``retry_for``, in seconds.
        spent: a transient failure was final because the budget had run out.
    """

    def __init__(
        self, options: ExportOptions, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.budget = float(options.retry_for)
        self.policy = RetryPolicy(base_delay=options.retry_delay, max_delay=options.retry_max_delay)
        self.spent = False
        self._clock = clock
        self._progress_at = clock()

    def progressed(self) -> None:
        """
        Note a successful answer: the budget counts from now again.
        """
        self._progress_at = self._clock()

    def delay(
        self, error: BaseException, requeues: int, *, rand: float | None = None
    ) -> float | None:
        """
        The seconds to wait before trying a task again, or ``None`` when
        its failure is final: permanent, requeueing is off, or the next try
        would come after the budget runs out.

        Args:
            error: why the last try failed.
            requeues: how many times the task was queued again already.
            rand: the jitter, a number in ``[0, 1)`` (random by default).
        """
        if not transient(error) or self.budget <= 0:
            return None
        wait = backoff_delay(requeues, self.policy, rand=rand)
        asked = error.retry_after if isinstance(error, APIError) else None
        if asked is not None and math.isfinite(asked) and asked > wait:
            wait = asked
        if self._clock() + wait > self._progress_at + self.budget:
            self.spent = True
            return None
        return wait

    def final_error(self, error: BaseException, requeues: int) -> BaseException:
        """
        The error to record for a task that is not tried again: a transient
        API error says that the budget ran out (keeping its class and
        fields); any other error is returned as it is.
        """
        if not isinstance(error, APIError) or not transient(error) or self.budget <= 0:
            return error
        tries = f"tried {requeues + 1} times; " if requeues else ""
        if error.retry_after is not None:
            tries += f"the server asked to wait {error.retry_after:g} s; "
        note = f"{tries}the retry budget ({self.budget:g} s without progress) ran out"
        return type(error)(
            f"{error.message} ({note})",
            status_code=error.status_code,
            request_url=error.request_url,
            retryable=error.retryable,
            retry_after=error.retry_after,
        )
