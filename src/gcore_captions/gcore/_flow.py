"""
One API call as a sans-I/O flow: build the request, read the answer, map it
to a result or a typed error, decide on retries and redirects.

A *flow* is a generator that yields actions and receives their outcomes:

* ``Send(request, timeout, max_bytes)``: the shell sends it and sends back
  the ``httpx.Response`` (body read, decoded, within ``timeout`` seconds
  overall and ``max_bytes``: see :mod:`._body`), a :class:`TransportFault`
  or :class:`TooLarge`;
* ``Sleep(seconds)``: the shell sleeps and sends back ``None``;
* ``Emit(items)``: the shell hands ``items`` to its caller (listing) and
  sends back ``None``.

The flow's return value is the call's result. ``Client`` drives flows with
``time.sleep`` and ``httpx.Client``, ``AsyncClient`` with ``asyncio.sleep``
and ``httpx.AsyncClient``; every decision lives here, once.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import httpx

from ..errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    FeatureDisabledError,
    NotFoundError,
    QueueLimitReached,
    RateLimitError,
    RequestTimeout,
    ResponseError,
    ResponseTooLarge,
    ServerError,
)
from ._secrets import REDACTED, Scrubber, guard_http_logs
from .retry import FailureKind, RetryPolicy, retryable_fault, retryable_status, server_delay

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "Action",
    "Emit",
    "Flow",
    "Reply",
    "Send",
    "Sleep",
    "TooLarge",
    "TransportFault",
]

logger = logging.getLogger("gcore_captions")

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""64 MiB: far above the largest real task payload (a few MiB for hours of speech)."""

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings the shells' body reader decodes (and the only ones we ask for)."""

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TAG = re.compile(r"<[^<>]*>")
_TEXT_LIMIT = 4096  # of an error body, read for its message
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Send:
    """
    Send this request; reply with the read response or a TransportFault.

    Attributes:
        request: the request.
        timeout: seconds the whole exchange may take, body included
            (``None``: no overall limit).
        max_bytes: the cap on the decoded body.
    """

    request: httpx.Request
    timeout: float | None = None
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


@dataclass(frozen=True, slots=True)
class Sleep:
    """
    Sleep this many seconds; reply with ``None``.
    """

    seconds: float


@dataclass(frozen=True, slots=True)
class Emit:
    """
    Hand these items to the caller (one page of a listing); reply ``None``.
    """

    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class TransportFault:
    """
    A request that got no complete answer.

    Attributes:
        error: what httpx raised.
        response: the response whose headers arrived before its body failed,
            or ``None`` when nothing arrived.
        final: the answer itself is unusable (a redirect to a URL that
            cannot be requested): not retried.
    """

    error: httpx.TransportError
    response: httpx.Response | None = None
    final: bool = False


@dataclass(frozen=True, slots=True)
class TooLarge:
    """
    An answer whose body passed the size cap; reading stopped there.

    Attributes:
        response: the response (headers only).
        limit: the cap, in bytes.
        announced: the ``Content-Length`` that promised more, if that is
            how it was known.
    """

    response: httpx.Response
    limit: int
    announced: int | None = None


Action: TypeAlias = Send | Sleep | Emit
Reply: TypeAlias = httpx.Response | TransportFault | TooLarge | None
Flow: TypeAlias = Generator[Action, Reply, _T]


@dataclass(frozen=True, slots=True)
class Call:
    """
    One API call.

    Attributes:
        method: ``GET`` or ``POST``.
        path: the path below the base URL, e.g. ``/streaming/ai/tasks/ID``.
        params: query parameters, in order.
        what: what the call is about, for messages ("task 1234").
        idempotent: ``False`` for calls that change something (cancel), so
            they are not retried once the server may have seen them.
        body: the JSON body to send (``None``: no body).
        empty_ok: a 2xx answer with an empty body is the result ``None``
            (DELETE answers), not a broken answer.
    """

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    what: str = "request"
    idempotent: bool = True
    body: Any = None
    empty_ok: bool = False


class Requester:
    """
    Builds requests for one base URL and key, and runs a :class:`Call`
    as a flow with retries and redirects.

    Every answer is scrubbed of the key (body, headers, transport error
    text) as it arrives, before anything reads it: see :mod:`._secrets`.

    Args:
        api_key: the key (sent as ``Authorization: APIKey <key>``).
        base_url: the API root.
        policy: the retry policy.
        user_agent: the ``User-Agent`` header.
        timeout: the overall time limit of one request, in seconds.
        max_bytes: the cap on one answer's decoded body.
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        policy: RetryPolicy,
        user_agent: str,
        timeout: float | None = None,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ):
        self._auth = f"APIKey {api_key}"
        self.base_url = base_url
        self.policy = policy
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.scrub = Scrubber(api_key)
        guard_http_logs(self.scrub)
        self._origin = _origin(httpx.URL(base_url))
        self._user_agent = user_agent

    def __repr__(self) -> str:
        return f"Requester(base_url={self.base_url!r})"

    def build(self, method: str, url: httpx.URL, body: Any = None) -> httpx.Request:
        """
        The request for ``url`` (with ``body`` as JSON when given); the key
        goes only to the base URL's origin.
        """
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": self._user_agent,
        }
        if _origin(url) == self._origin:
            headers["Authorization"] = self._auth
        if body is None:
            return httpx.Request(method, url, headers=headers)
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
        return httpx.Request(method, url, headers=headers, content=content)

    def url_for(self, call: Call) -> httpx.URL:
        """
        The absolute URL of a call (base URL path prefix kept).
        """
        return httpx.URL(self.base_url.rstrip("/") + call.path, params=list(call.params))

    def run(self, call: Call) -> Flow[Any]:
        """
        Run one call: send, retry what may be retried, follow GET redirects,
        and return the decoded JSON body or raise an APIError subclass.
        """
        url = self.url_for(call)
        retries = 0
        redirects = 0
        while True:
            request = self.build(call.method, url, call.body)
            logger.debug("%s %s", call.method, url)
            reply = self.received((yield Send(request, self.timeout, self.max_bytes)))
            if isinstance(reply, httpx.Response) and reply.status_code in _REDIRECTS:
                url = self._redirect_target(call, reply, redirects)
                redirects += 1
                continue
            result, error, delay = self._outcome(call, reply, retries)
            if error is None:
                return result
            if delay is None:
                if retries:
                    error = type(error)(
                        f"{error.message} (gave up after {retries + 1} attempts)",
                        status_code=error.status_code,
                        request_url=error.request_url,
                        retryable=error.retryable,
                        retry_after=error.retry_after,
                    )
                raise error from (reply.error if isinstance(reply, TransportFault) else None)
            logger.info(
                "retrying %s %s in %.2f s after %s (retry %d of %d)",
                call.method,
                url,
                delay,
                _short(error),
                retries + 1,
                self.policy.max_retries,
                extra={"retry_delay": delay, "retry_number": retries + 1},
            )
            retries += 1
            yield Sleep(self.policy.sleep_seconds(delay))

    def received(self, reply: Reply) -> Reply:
        """
        ``reply`` with the key scrubbed from all the server sent: the body,
        the header values, and the text of a transport error (h11 quotes
        malformed status lines and headers in its messages).
        """
        scrub = self.scrub
        if isinstance(reply, TransportFault):
            error = reply.error
            text = str(error)
            cleaned = scrub(text)
            if cleaned != text:
                replacement = type(error)(cleaned)
                if _has_request(error):
                    replacement.request = error.request
                error = replacement
            response = reply.response
            cleaned_response = None if response is None else self._clean(response)
            return TransportFault(error, cleaned_response, reply.final)
        if isinstance(reply, TooLarge):
            return TooLarge(self._clean(reply.response), reply.limit, reply.announced)
        if isinstance(reply, httpx.Response):
            return self._clean(reply)
        return reply

    def _clean(self, response: httpx.Response) -> httpx.Response:
        scrub = self.scrub
        pairs = response.headers.multi_items()
        headers = [(name, scrub(value)) for name, value in pairs]
        try:
            raw = response.content
        except httpx.ResponseNotRead:  # only its headers arrived
            raw = b""
        content = scrub.scrub_bytes(raw)
        if headers == pairs and content is raw:
            return response
        return httpx.Response(
            response.status_code, headers=headers, content=content, request=response.request
        )

    def _redirect_target(self, call: Call, response: httpx.Response, count: int) -> httpx.URL:
        location = response.headers.get("location")
        where = str(response.request.url)
        if call.method != "GET" or not location:
            raise APIError(
                f"unexpected redirect ({response.status_code}) for {call.what}",
                status_code=response.status_code,
                request_url=where,
            )
        if count >= MAX_REDIRECTS:
            raise APIError(
                f"too many redirects for {call.what}",
                status_code=response.status_code,
                request_url=where,
            )
        if REDACTED in location:
            # The server put the key in the target: following it would send
            # the key in a URL, perhaps to another host.
            raise APIError(
                f"the redirect for {call.what} points at a URL holding the API key; not followed",
                status_code=response.status_code,
                request_url=where,
            )
        try:
            target = response.request.url.join(location)
        except httpx.InvalidURL:
            raise APIError(
                f"the redirect for {call.what} points at an invalid URL: {location[:200]!r}",
                status_code=response.status_code,
                request_url=where,
            ) from None
        if target.scheme not in ("http", "https"):
            raise APIError(
                f"the redirect for {call.what} points at a {target.scheme or 'relative'} URL",
                status_code=response.status_code,
                request_url=where,
            )
        logger.debug("redirected %s -> %s", where, target)
        return target

    def _outcome(
        self, call: Call, reply: Reply, retries: int
    ) -> tuple[Any, APIError | None, float | None]:
        """
        ``(result, None, None)`` on success, else ``(None, error, delay)``
        where ``delay`` is ``None`` when the error is final for this call.
        The error's ``retryable`` says whether the failure is transient,
        however many retries were taken (a batch may try again later).
        """
        policy = self.policy
        if isinstance(reply, TransportFault):
            fault, error = _fault_error(call, reply)
            if fault is None:
                return None, error, None
            error.retryable = retryable_fault(fault, idempotent=call.idempotent)
            delay = policy.delay_after_fault(
                fault, retries_taken=retries, idempotent=call.idempotent
            )
            return None, error, delay
        if isinstance(reply, TooLarge):
            if reply.announced is not None:
                message = (
                    f"the answer for {call.what} announces {reply.announced} bytes, over the cap"
                    f" of {reply.limit} bytes (max_response_bytes); not read"
                )
            else:
                message = (
                    f"the answer for {call.what} is larger than the cap of {reply.limit} bytes"
                    " (max_response_bytes); reading stopped there"
                )
            return (
                None,
                ResponseTooLarge(
                    message,
                    status_code=reply.response.status_code,
                    request_url=str(reply.response.request.url),
                ),
                None,
            )
        if not isinstance(reply, httpx.Response):
            raise TypeError(f"a Send action needs a response or a TransportFault, not {reply!r}")
        where = str(reply.request.url)
        logger.debug("%s %s -> %d", call.method, where, reply.status_code)
        if 200 <= reply.status_code < 300:
            if call.empty_ok and not reply.content.strip():
                return None, None, None
            try:
                return json.loads(reply.content), None, None
            except (ValueError, RecursionError):
                error = ResponseError(
                    f"the answer for {call.what} is not JSON: {_snippet(reply.content)!r}",
                    status_code=reply.status_code,
                    request_url=where,
                )
            error.retryable = retryable_fault(FailureKind.BAD_BODY, idempotent=call.idempotent)
            delay = policy.delay_after_fault(
                FailureKind.BAD_BODY, retries_taken=retries, idempotent=call.idempotent
            )
            return None, error, delay
        delay = policy.delay_after_status(
            reply.status_code, reply.headers, retries_taken=retries, idempotent=call.idempotent
        )
        error = error_for_status(reply.status_code, reply.content, call.what, where)
        error.retryable = retryable_status(
            reply.status_code, reply.headers, idempotent=call.idempotent
        )
        error.retry_after = server_delay(reply.headers)
        return None, error, delay


def error_for_status(status: int, body: bytes, what: str, url: str | None = None) -> APIError:
    """
    The typed error for an HTTP error status, with the server's message.

    Args:
        status: the HTTP status (>= 300).
        body: the response body (the message comes from its ``error``,
            ``detail`` or ``message`` field, or from its text).
        what: what the call was about, e.g. ``"task 1234"``.
        url: the request URL, for the error's ``request_url``.
    """
    said = server_message(body)
    kind: type[APIError] = APIError
    if status in (401, 403):
        kind = AuthenticationError
        message = f"{said or 'not allowed'}; check the API key (--api-key or GCORE_API_KEY)"
    elif status == 400 and "queue limit" in said.lower():
        kind = QueueLimitReached
        message = said
    elif status == 404:
        kind = NotFoundError
        message = f"{what} not found" + (f": {said}" if said else "")
    elif status == 422:
        kind = FeatureDisabledError
        message = "AI is not enabled for this account" + (f" ({said})" if said else "")
    elif status == 429:
        kind = RateLimitError
        message = "rate limited" + (f": {said}" if said else "")
    else:
        if status >= 500:
            kind = ServerError
        message = said or f"the API refused the {what}"
    return kind(message, status_code=status, request_url=url)


def server_message(body: bytes) -> str:
    """
    The server's own words from an error body: its ``error``, ``detail`` or
    ``message`` field, else the text (tags stripped), shortened to one line.
    Time linear in the body, whatever it holds (unclosed tags, JSON nested
    too deep for Python).
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        text = body[:_TEXT_LIMIT].decode("utf-8", "replace")
        # [^<>] keeps each "<" from scanning past the next one: linear.
        return _one_line(_TAG.sub(" ", text))
    try:
        if isinstance(data, dict):
            for key in ("error", "detail", "message"):
                value = data.get(key)
                if isinstance(value, str) and value.strip():
                    return _one_line(value)
                if value:
                    return _one_line(json.dumps(value, ensure_ascii=False)[:_TEXT_LIMIT])
        return _one_line(json.dumps(data, ensure_ascii=False)[:_TEXT_LIMIT]) if data else ""
    except (ValueError, RecursionError):  # NaN is fine; nesting json.loads took may not be
        return "an error body too deeply nested to show"


def _fault_error(call: Call, reply: TransportFault) -> tuple[FailureKind | None, APIError]:
    """
    What kind of fault this is (``None``: one retrying cannot fix) and the
    error to raise for it.
    """
    exc = reply.error
    where = str(exc.request.url) if _has_request(exc) else None
    if reply.final:
        return None, ResponseError(
            f"the answer for {call.what} is unusable: {exc}", request_url=where
        )
    if reply.response is not None and not isinstance(exc, httpx.TimeoutException):
        status = reply.response.status_code
        fault = FailureKind.BAD_BODY if 200 <= status < 300 else FailureKind.DISCONNECTED
        return fault, ResponseError(
            f"the answer for {call.what} could not be read in full: {exc}",
            status_code=status,
            request_url=where,
        )
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        fault = FailureKind.NOT_SENT
    elif isinstance(exc, httpx.TimeoutException):
        fault = FailureKind.TIMEOUT
    elif isinstance(exc, (httpx.UnsupportedProtocol, httpx.ProxyError, httpx.LocalProtocolError)):
        # Retrying cannot help: the request itself or the setup is wrong.
        return None, ConnectError(f"cannot send {call.what}: {exc}", request_url=where)
    else:
        fault = FailureKind.DISCONNECTED
    kind = RequestTimeout if isinstance(exc, httpx.TimeoutException) else ConnectError
    detail = str(exc) or type(exc).__name__
    return fault, kind(f"no answer for {call.what}: {detail}", request_url=where)


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when no request is attached
    except RuntimeError:
        return False
    return True


def _short(error: APIError) -> str:
    if error.status_code is not None and not isinstance(error, ResponseError):
        return f"HTTP {error.status_code}"
    return type(error).__name__


def _snippet(body: bytes, limit: int = 80) -> str:
    return body[:limit].decode("utf-8", "replace")


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


def join_params(pairs: Sequence[tuple[str, object]]) -> tuple[tuple[str, str], ...]:
    """
    Query parameters without the ``None`` ones, as strings.
    """
    return tuple((key, str(value)) for key, value in pairs if value is not None)
