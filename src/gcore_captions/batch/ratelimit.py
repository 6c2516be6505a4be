"""
A small async rate cap for ``--max-rps``: a token bucket kept as one number.

The bucket is the generic cell rate algorithm: it remembers the
*theoretical arrival time* of the next request. Each :meth:`acquire`
reserves a slot at once (so concurrent callers on one event loop get
distinct slots without a lock) and then sleeps until that slot. ``burst``
requests may go at once after a quiet spell; after that they are spaced
``1 / rate`` seconds apart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """
    At most ``rate`` acquisitions per second, with bursts of up to ``burst``.

    Args:
        rate: acquisitions per second (> 0).
        burst: how many may go back to back after a quiet spell (>= 1).
        clock: a monotonic clock in seconds (for tests).
        sleep: the coroutine used to wait (for tests).

    Raises:
        ValueError: ``rate`` is not positive or ``burst`` is below 1.
    """

    def __init__(
        self,
        rate: float,
        burst: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, not {rate!r}")
        if not burst >= 1:
            raise ValueError(f"burst must be at least 1, not {burst!r}")
        self.rate = float(rate)
        self.burst = float(burst)
        self._interval = 1.0 / self.rate
        self._tolerance = (self.burst - 1.0) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._next = clock()

    def reserve(self) -> float:
        """
        Reserve the next slot; return how many seconds to wait for it.
        """
        now = self._clock()
        arrival = max(self._next, now)
        self._next = arrival + self._interval
        return max(0.0, arrival - self._tolerance - now)

    async def acquire(self) -> None:
        """
        Wait for the next slot.
        """
        delay = self.reserve()
        if delay > 0:
            await self._sleep(delay)
