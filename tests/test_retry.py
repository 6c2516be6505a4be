"""
The retry policy as pure functions: what is retried, and how long to wait.
"""

from __future__ import annotations

from email.utils import formatdate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.gcore.retry import (
    FailureKind,
    RetryPolicy,
    backoff_delay,
    is_retryable_status,
    server_delay,
)

POLICY = RetryPolicy()


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(status: int) -> None:
    """408, 409, 429 and every 5xx are retried, as in the official SDK."""
    assert is_retryable_status(status)
    assert POLICY.delay_after_status(status, {}, retries_taken=0, rand=0.0) == 0.5


@pytest.mark.parametrize("status", [400, 401, 403, 404, 412, 422])
def test_other_client_errors_are_final(status: int) -> None:
    """Any other 4xx raises at once."""
    assert not is_retryable_status(status)
    assert POLICY.delay_after_status(status, {}, retries_taken=0) is None


def test_backoff_doubles_from_half_a_second_to_eight() -> None:
    """Without jitter the waits are 0.5, 1, 2, 4, 8, 8 seconds."""
    waits = [backoff_delay(n, POLICY, rand=0.0) for n in range(6)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0.0, max_value=0.999999))
def test_jitter_stays_between_75_and_100_percent(retries: int, rand: float) -> None:
    """Jitter only ever shortens the wait, to no less than 75 % of it."""
    nominal = min(0.5 * 2.0 ** min(retries, 62), 8.0)
    wait = backoff_delay(retries, POLICY, rand=rand)
    assert 0.75 * nominal < wait <= nominal <= 8.0


def test_retries_stop_after_max_retries() -> None:
    """Two retries by default; max_retries=0 disables retrying."""
    assert POLICY.delay_after_status(503, {}, retries_taken=1) is not None
    assert POLICY.delay_after_status(503, {}, retries_taken=2) is None
    assert RetryPolicy(max_retries=0).delay_after_status(503, {}, retries_taken=0) is None
    assert (
        RetryPolicy(max_retries=0).delay_after_fault(FailureKind.NOT_SENT, retries_taken=0) is None
    )


def test_x_should_retry_header_overrides_the_status() -> None:
    """``x-should-retry: false`` forbids a retry; ``true`` forces one, even for a 400."""
    assert POLICY.delay_after_status(503, {"X-Should-Retry": "false"}, retries_taken=0) is None
    forced = POLICY.delay_after_status(400, {"x-should-retry": "true"}, retries_taken=0, rand=0)
    assert forced == 0.5


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "0"}, None),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"retry-after-ms": "0", "Retry-After": "4"}, None),
        ({}, None),
    ],
)
def test_server_delay_reads_both_headers(headers: dict[str, str], expected: float | None) -> None:
    """``retry-after-ms`` wins over ``Retry-After``; zero, negative or junk asks for nothing."""
    assert server_delay(headers) == expected


def test_server_delay_reads_an_http_date() -> None:
    """``Retry-After`` may be an HTTP date: the wait is the time until then."""
    now = 1_700_000_000.0
    header = formatdate(now + 30, usegmt=True)
    assert server_delay({"Retry-After": header}, now=now) == pytest.approx(30.0)
    assert server_delay({"Retry-After": formatdate(now - 5, usegmt=True)}, now=now) is None


def test_server_delay_is_obeyed_only_up_to_a_minute() -> None:
    """0 < delay <= 60 s is obeyed; a longer request falls back to the backoff."""
    assert POLICY.delay_after_status(429, {"Retry-After": "60"}, retries_taken=0) == 60.0
    fallback = POLICY.delay_after_status(429, {"Retry-After": "61"}, retries_taken=0, rand=0)
    assert fallback == 0.5
    now = 1_700_000_000.0
    date = {"Retry-After": formatdate(now + 3600, usegmt=True)}
    assert POLICY.delay_after_status(429, date, retries_taken=1, rand=0, now=now) == 1.0


def test_server_delay_applies_even_to_the_status_it_came_with() -> None:
    """A 503 with ``Retry-After: 3`` waits 3 s, not the backoff."""
    assert POLICY.delay_after_status(503, {"Retry-After": "3"}, retries_taken=0) == 3.0


@pytest.mark.parametrize("fault", list(FailureKind))
def test_idempotent_requests_retry_every_fault(fault: FailureKind) -> None:
    """A GET is retried after any fault: not sent, timeout, dropped, bad body."""
    assert POLICY.delay_after_fault(fault, retries_taken=0, rand=0.0) == 0.5


@pytest.mark.parametrize(
    "fault", [FailureKind.TIMEOUT, FailureKind.DISCONNECTED, FailureKind.BAD_BODY]
)
def test_non_idempotent_requests_are_not_retried_once_they_may_have_arrived(
    fault: FailureKind,
) -> None:
    """A cancel/create that may have reached the server is never sent twice."""
    assert POLICY.delay_after_fault(fault, retries_taken=0, idempotent=False) is None


def test_non_idempotent_requests_retry_when_never_sent_or_when_told() -> None:
    """A cancel is retried if the connection never opened, or on ``x-should-retry: true``."""
    assert (
        POLICY.delay_after_fault(FailureKind.NOT_SENT, retries_taken=0, idempotent=False)
        is not None
    )
    assert POLICY.delay_after_status(503, {}, retries_taken=0, idempotent=False) is None
    told = POLICY.delay_after_status(
        503, {"x-should-retry": "true"}, retries_taken=0, idempotent=False
    )
    assert told is not None


def test_sleep_scale_shrinks_only_the_real_sleep() -> None:
    """``sleep_scale`` keeps the decision and the computed delay, and shortens the sleep."""
    fast = RetryPolicy(sleep_scale=0.001)
    delay = fast.delay_after_status(429, {"Retry-After": "2"}, retries_taken=0)
    assert delay == 2.0
    assert fast.sleep_seconds(delay) == pytest.approx(0.002)


def test_policy_rejects_negative_settings() -> None:
    """A negative retry count or wait is a programming error, caught at once."""
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(sleep_scale=-1)
