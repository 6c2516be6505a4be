"""
Reading one answer within bounds, sans-I/O: the overall time limit of a
request (:class:`Deadline`) and the size cap of its body
(:class:`BodyReader`).

httpx's timeouts apply to each read, so a server that sends one byte a
second never trips them; the deadline bounds the whole exchange. The
shells feed the raw body chunks to a :class:`BodyReader`, which decodes
``gzip``/``deflate`` itself with bounded output (a compressed "bomb" is cut
off like any other huge body) and stops at the cap or the deadline by
raising :class:`StopReading` with the reply the flow should see.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from ._flow import ACCEPT_ENCODING, DEFAULT_MAX_RESPONSE_BYTES, Reply, TooLarge, TransportFault

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "BodyReader",
    "Deadline",
    "StopReading",
    "overall_seconds",
    "send_failed",
]

_STEP = 256 * 1024
"""The most output one decompress call may make."""


def overall_seconds(timeout: float | httpx.Timeout | None) -> float | None:
    """
    The overall time limit of one request for a client's ``timeout``: the
    number itself, or the longest phase of an ``httpx.Timeout`` (120 s for
    the default); ``None`` (no limit) when a phase has none (a read allowed
    to wait for ever allows the request to).
    """
    if isinstance(timeout, httpx.Timeout):
        phases = [timeout.connect, timeout.read, timeout.write, timeout.pool]
        limits = [phase for phase in phases if phase is not None]
        return max(limits) if len(limits) == len(phases) else None
    if timeout is None:
        return None
    seconds = float(timeout)
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"a timeout must be a positive number of seconds, got {timeout!r}")
    return seconds


@dataclass(frozen=True, slots=True)
class Deadline:
    """
    When one request must be over: ``seconds`` after it was made.

    Attributes:
        seconds: the time limit (``None``: none).
        clock: a monotonic clock in seconds.
        start: when the request began, on ``clock``.
    """

    seconds: float | None
    clock: Callable[[], float] = time.monotonic
    start: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.start < 0:
            object.__setattr__(self, "start", self.clock())

    def remaining(self) -> float | None:
        """
        Seconds left (0 or less once passed); ``None`` without a limit.
        """
        if self.seconds is None:
            return None
        return self.start + self.seconds - self.clock()

    def passed(self) -> bool:
        """
        Whether the time is up.
        """
        left = self.remaining()
        return left is not None and left <= 0

    def error(self, request: httpx.Request) -> httpx.ReadTimeout:
        """
        The timeout a request that ran past this deadline ends with.
        """
        return httpx.ReadTimeout(
            f"no complete answer within {self.seconds:g} s (the time limit of one request)",
            request=request,
        )

    def fault(self, request: httpx.Request, response: httpx.Response | None = None) -> Reply:
        """
        The reply for a request that ran past this deadline.
        """
        return TransportFault(self.error(request), response)

    def explain(self, fault: TransportFault) -> TransportFault:
        """
        ``fault``, or the deadline's own timeout when the deadline is why
        it happened (so the message names the overall limit).
        """
        error = fault.error
        if self.passed() and isinstance(error, httpx.TimeoutException):
            return TransportFault(self.error(error.request), fault.response)
        return fault


def send_failed(error: Exception, request: httpx.Request, deadline: Deadline) -> Reply:
    """
    The reply for a send that raised ``error`` before any response came
    back: a transport error (named after the deadline when that is why),
    or a ``Location`` httpx cannot build a request from (it raises
    ``InvalidURL`` for ``javascript:...`` and a ``RemoteProtocolError``
    for ``http://[::1``): the server's answer, final (retrying gets it again).
    """
    unusable = isinstance(error, httpx.InvalidURL) or (
        isinstance(error, httpx.RemoteProtocolError)
        and str(error).startswith("Invalid URL in location header")
    )
    if unusable:
        fault = httpx.RemoteProtocolError(
            f"its Location header holds an unusable URL: {error}", request=request
        )
        return TransportFault(fault, final=True)
    if isinstance(error, httpx.TransportError):
        return deadline.explain(TransportFault(error))
    raise error


class StopReading(Exception):
    """
    Raised by :class:`BodyReader` to stop reading; ``reply`` is what the
    shell sends to the flow instead of the response.
    """

    def __init__(self, reply: Reply) -> None:
        super().__init__("stop reading the answer")
        self.reply = reply


class BodyReader:
    """
    Collects one response's body: decoded, at most ``max_bytes``, before
    ``deadline``.

    Args:
        response: the response, headers read, body not yet.
        max_bytes: the cap on the decoded body.
        deadline: the request's deadline.

    Raises:
        StopReading: ``Content-Length`` already promises more than the cap,
            or the body is encoded in a way we did not ask for.
    """

    def __init__(self, response: httpx.Response, *, max_bytes: int, deadline: Deadline) -> None:
        self.response = response
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._parts: list[bytes] = []
        self._size = 0
        announced = _content_length(response.headers.get("content-length"))
        if announced is not None and announced > max_bytes:
            raise StopReading(TooLarge(response, max_bytes, announced))
        self._decoder: zlib._Decompress | None = None
        self._first = True
        self._deflate = False
        self.preloaded = False
        """Whether the body was already read (an ``httpx.MockTransport``
        answer): then it is taken as it is, decoded by httpx, and the shell
        must not stream it."""
        try:
            ready = response.content
        except httpx.ResponseNotRead:
            pass
        else:
            self.preloaded = True
            self._add(ready)
            return
        coding = response.headers.get("content-encoding", "").strip().lower()
        self._deflate = coding == "deflate"
        if coding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._deflate:
            self._decoder = zlib.decompressobj()
        elif coding not in ("", "identity"):
            raise StopReading(self._unreadable(f"it is encoded as {coding!r}, not gzip or deflate"))

    def feed(self, chunk: bytes) -> None:
        """
        Take the next raw chunk of the body.

        Raises:
            StopReading: the deadline passed, the body grew past the cap, or
                its compressed data is broken.
        """
        if self.deadline.passed():
            raise StopReading(self.deadline.fault(self.response.request, self.response))
        if self._decoder is None:
            self._add(chunk)
            return
        decoder = self._decoder
        pending = chunk
        while pending:
            # At most a step of output at a time, so memory stays near the
            # cap even when a small chunk expands a thousandfold.
            step = min(self.max_bytes - self._size + 1, _STEP)
            try:
                data = decoder.decompress(pending, step)
            except zlib.error:
                if not (self._deflate and self._first):
                    raise StopReading(self._unreadable("its compressed data is broken")) from None
                # Some servers send raw deflate without the zlib header.
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                self.feed(chunk)
                return
            self._first = False
            self._add(data)
            pending = decoder.unconsumed_tail

    def finish(self) -> httpx.Response:
        """
        The response with its decoded body (``Content-Encoding`` dropped).

        Raises:
            StopReading: the compressed data ended early.
        """
        if self._decoder is not None:
            try:
                self._add(self._decoder.flush())
            except zlib.error:
                raise StopReading(self._unreadable("its compressed data is broken")) from None
            if not self._decoder.eof:
                raise StopReading(self._unreadable("its compressed data ends early"))
        headers = [
            (name, value)
            for name, value in self.response.headers.multi_items()
            if name.lower() != "content-encoding"
        ]
        return httpx.Response(
            self.response.status_code,
            headers=headers,
            content=b"".join(self._parts),
            request=self.response.request,
        )

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            raise StopReading(TooLarge(self.response, self.max_bytes, None))
        if data:
            self._parts.append(data)

    def _unreadable(self, why: str) -> Reply:
        error = httpx.RemoteProtocolError(
            f"the body cannot be read: {why}", request=self.response.request
        )
        return TransportFault(error, self.response)


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 30 else None
