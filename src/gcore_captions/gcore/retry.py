"""
Which failed requests are retried, and how long to wait first: pure functions.

The policy is the official Gcore SDK's (reference §6.5): up to 2 retries;
connection errors, timeouts, 408, 409, 429 and every 5xx are retried; an
``x-should-retry: true|false`` response header overrides the status rules;
the wait doubles from 0.5 s up to 8 s, with jitter taking it to 75-100 % of
that; a server's ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP
date) is used instead when it asks for more than 0 and at most 60 s.

Two additions of ours:

* A 2xx response whose body is cut short or is not JSON is a transient fault
  (a proxy hiccup), retried like a dropped connection.
* A request that is not idempotent (cancel, create) is retried only when it
  certainly never reached the server (the connection could not be opened),
  or when the server itself says ``x-should-retry: true``.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime

__all__ = [
    "RETRYABLE_STATUSES",
    "FailureKind",
    "RetryPolicy",
    "backoff_delay",
    "is_retryable_status",
    "retryable_fault",
    "retryable_status",
    "server_delay",
]

RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""Statuses below 500 that are retried (every status >= 500 is, too)."""


class FailureKind(enum.Enum):
    """
    A request that ended without a usable HTTP answer.
    """

    NOT_SENT = "not-sent"
    """The connection could not be opened (refused, DNS, connect timeout, no
    free connection in the pool): the server never saw the request."""

    TIMEOUT = "timeout"
    """Reading or writing timed out: the server may have seen the request."""

    DISCONNECTED = "disconnected"
    """The connection dropped before an answer came back."""

    BAD_BODY = "bad-body"
    """A 2xx answer whose body was cut short or is not JSON."""


@dataclass(frozen=True)
class RetryPolicy:
    """
    How many times to retry and how long to wait in between.

    Args:
        max_retries: retries after the first attempt (``0`` disables
            retrying).
        base_delay: the first backoff wait, in seconds.
        max_delay: the longest backoff wait, in seconds.
        max_server_delay: the longest ``Retry-After`` we obey; longer (or
            zero, negative, unparsable) requests fall back to the backoff.
        sleep_scale: every wait is multiplied by this before sleeping. Tests
            use a small value (``0.001``) to keep the same decisions and
            logged delays without waiting for real.
    """

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_server_delay: float = 60.0
    sleep_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries cannot be negative, got {self.max_retries}")
        if self.base_delay < 0 or self.max_delay < 0 or self.sleep_scale < 0:
            raise ValueError("retry delays and sleep_scale cannot be negative")

    def delay_after_status(
        self,
        status: int,
        headers: Mapping[str, str],
        *,
        retries_taken: int,
        idempotent: bool = True,
        rand: float | None = None,
        now: float | None = None,
    ) -> float | None:
        """
        The wait before retrying a request answered with ``status``, or
        ``None`` when it must not be retried.

        Args:
            status: the HTTP status of the answer.
            headers: its headers (looked up case-insensitively).
            retries_taken: how many retries were already made.
            idempotent: ``False`` for cancel/create: retried only when the
                server sends ``x-should-retry: true``.
            rand: a number in ``[0, 1)`` for the jitter (random by default).
            now: the current time as a Unix timestamp, for HTTP-date
                ``Retry-After`` values (the clock by default).
        """
        if retries_taken >= self.max_retries:
            return None
        lowered = _lower(headers)
        if not retryable_status(status, lowered, idempotent=idempotent):
            return None
        asked = server_delay(lowered, now=now)
        if asked is not None and asked <= self.max_server_delay:
            return asked
        return backoff_delay(retries_taken, self, rand=rand)

    def delay_after_fault(
        self,
        fault: FailureKind,
        *,
        retries_taken: int,
        idempotent: bool = True,
        rand: float | None = None,
    ) -> float | None:
        """
        The wait before retrying a request that got no usable answer, or
        ``None`` when it must not be retried.

        A non-idempotent request is retried only after :attr:`FailureKind.NOT_SENT`.
        """
        if retries_taken >= self.max_retries:
            return None
        if not retryable_fault(fault, idempotent=idempotent):
            return None
        return backoff_delay(retries_taken, self, rand=rand)

    def sleep_seconds(self, delay: float) -> float:
        """
        How long to really sleep for a computed ``delay`` (``sleep_scale``
        applied).
        """
        return delay * self.sleep_scale


def retryable_status(status: int, headers: Mapping[str, str], *, idempotent: bool = True) -> bool:
    """
    Whether an answer with this status and headers is worth trying again
    (however many tries were made): ``x-should-retry: true|false`` decides
    when present, else the status does (:func:`is_retryable_status`), and a
    request that is not idempotent is never retried on the status alone.
    """
    forced = _lower(headers).get("x-should-retry", "").strip().lower()
    if forced in ("true", "false"):
        return forced == "true"
    return idempotent and is_retryable_status(status)


def retryable_fault(fault: FailureKind, *, idempotent: bool = True) -> bool:
    """
    Whether a request that got no usable answer is worth trying again: every
    fault for an idempotent request, only :attr:`FailureKind.NOT_SENT` for
    one that is not.
    """
    return idempotent or fault is FailureKind.NOT_SENT


def is_retryable_status(status: int) -> bool:
    """
    ``True`` for 408, 409, 429 and every status >= 500.
    """
    return status in RETRYABLE_STATUSES or status >= 500


def backoff_delay(retries_taken: int, policy: RetryPolicy, *, rand: float | None = None) -> float:
    """
    The exponential backoff wait: ``base * 2**retries_taken`` capped at
    ``max_delay``, then jittered down to 75-100 % of that.

    Args:
        retries_taken: retries already made (0 before the first retry).
        policy: gives ``base_delay`` and ``max_delay``.
        rand: a number in ``[0, 1)``; ``0`` gives the full wait, values near
            ``1`` give 75 % of it. Random by default.
    """
    nominal = min(policy.base_delay * 2.0 ** min(retries_taken, 62), policy.max_delay)
    jitter = random.random() if rand is None else rand
    return nominal * (1.0 - 0.25 * jitter)


def server_delay(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """
    The wait a server asked for, in seconds, or ``None`` when it asked for
    none, or for zero or less, or in a form we cannot read.

    ``retry-after-ms`` (milliseconds) wins over ``Retry-After``, which may be
    seconds or an HTTP date. The caller applies the upper limit.
    """
    lowered = _lower(headers)
    millis = _number(lowered.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0 if millis > 0 else None
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is None:
        try:
            moment = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:  # "-0000" zone: read it as UTC, as HTTP dates are
            moment = moment.replace(tzinfo=timezone.utc)
        seconds = moment.timestamp() - (time.time() if now is None else now)
    return seconds if seconds > 0 else None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _lower(headers: Mapping[str, str]) -> Mapping[str, str]:
    # httpx.Headers is already case-insensitive; plain dicts from tests are not.
    if hasattr(headers, "multi_items"):
        return headers
    return {key.lower(): value for key, value in headers.items()}
