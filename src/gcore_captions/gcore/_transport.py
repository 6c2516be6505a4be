"""
The overall deadline for ``Client``'s blocking requests, at the socket.

A blocking read cannot be interrupted from outside, and httpx's timeouts
apply to each read, so a server that trickles its status line and headers
one byte a second would hold a request for hours. The transport ``Client``
makes for itself therefore uses a network backend whose every connect, read
and write waits at most until the current request's :class:`Deadline` (set
by ``Client`` around each request, in a context variable) and fails with a
timeout once it has passed. The body is bounded again, chunk by chunk, by
:class:`~._body.BodyReader`, which also covers an ``http_client`` of yours.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from ._body import Deadline

__all__ = ["DeadlineTransport", "deadline_for_requests"]

_CURRENT: ContextVar[Deadline | None] = ContextVar("gcore_captions_deadline", default=None)


@contextmanager
def deadline_for_requests(deadline: Deadline) -> Iterator[None]:
    """
    Make ``deadline`` bound every socket operation of
    :class:`DeadlineTransport` in this context.
    """
    token = _CURRENT.set(deadline)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _within(timeout: float | None, error: type[Exception]) -> float | None:
    """
    ``timeout`` shortened to what is left of the current deadline.

    Raises:
        error: the deadline has passed.
    """
    deadline = _CURRENT.get()
    left = None if deadline is None else deadline.remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise error("the request's overall time limit passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within(timeout, httpcore.ConnectTimeout)
        return _Stream(
            self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """
    httpx's own transport (the same pool settings), over a network backend
    that keeps every socket operation within the current request's deadline.
    """

    def __init__(self, *, verify: ssl.SSLContext) -> None:
        super().__init__(verify=verify)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=verify,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
