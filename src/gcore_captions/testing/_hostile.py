"""
The hostile faults of the fake API (:mod:`gcore_captions.testing`): answers
that echo the ``Authorization`` header, trickle a byte at a time, or never
end. Each writes straight to the handler's socket.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from . import Fault
    from ._http import _Handler

__all__ = ["HOSTILE_KINDS", "serve_hostile", "wire_answer"]

HOSTILE_KINDS = frozenset({"echo", "trickle", "huge", "short-length"})
_CHUNK = 64 * 1024
_FILLER = b'{"task_id": "huge", "status": "SUCCESS", "filler": "' + b"x" * (_CHUNK - 52)


def wire_answer(status: int, headers: dict[str, str], body: Any, *, close: bool = True) -> bytes:
    """
    A whole HTTP/1.1 answer as bytes (JSON body unless ``body`` is bytes);
    ``close``: it says ``Connection: close`` (the server hangs up after it,
    and a client must not send the next request on that connection).
    """
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    lines = [f"HTTP/1.1 {status} {'OK' if status < 400 else 'Error'}"]
    headers = {"Content-Type": "application/json", **headers, "Content-Length": str(len(data))}
    if close:
        headers["Connection"] = "close"
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


def serve_hostile(handler: _Handler, fault: Fault, normal: bytes) -> None:
    """
    Answer with a hostile fault; ``normal`` is the answer the request would
    have had (for ``trickle``).
    """
    handler.close_connection = fault.kind != "short-length"
    if fault.kind == "echo":
        _echo(handler, fault)
    elif fault.kind == "trickle":
        _trickle(handler, normal, fault.seconds, headers_too=fault.part == "headers")
    elif fault.kind == "huge":
        _huge(handler, fault)
    elif fault.kind == "short-length":
        _short_length(handler, normal, fault.size or 1)


def _shown(value: str, form: str) -> str:
    if form == "url":
        return quote(value, safe="")
    if form == "plus":
        return quote_plus(value)
    if form == "lower":
        return value.lower()
    if form == "upper":
        return value.upper()
    if form == "json":
        return json.dumps(value)[1:-1].replace("/", "\\/")
    return value


def _echo(handler: _Handler, fault: Fault) -> None:
    header = handler.headers.get("Authorization") or ""
    form = str(fault.body)
    value = _shown(header, form)
    where = fault.part
    out = handler.wfile

    def error(text: str) -> bytes:
        # A JSON error; the "json" form is already escaped, as a server's
        # own encoder would have written it (PHP writes "/" as "\/").
        quoted = f'"{text}"' if form == "json" else json.dumps(text)
        return f'{{"error": {quoted}}}'.encode()

    if where == "body":
        out.write(wire_answer(fault.status, {}, error(f"invalid header Authorization: {value}")))
    elif where == "html":
        page = f"<html><body><h1>Proxy error</h1><p>Authorization: {value}</p></body></html>"
        out.write(wire_answer(200, {"Content-Type": "text/html"}, page.encode()))
    elif where == "location":
        target = f"http://127.0.0.1:9/login?auth={quote(header, safe='')}&echo={value}"
        out.write(wire_answer(302, {"Location": target}, error(f"moved; you sent {value}")))
    elif where == "header":
        out.write(wire_answer(fault.status, {"X-Echo": value}, error(f"rejected: {value}")))
    elif where == "reason":
        raw = b'{"error": "see the reason phrase"}'
        head = (
            f"HTTP/1.1 {fault.status} Bad header {value}\r\nConnection: close\r\n"
            f"Content-Length: {len(raw)}\r\n\r\n"
        )
        out.write(head.encode("latin-1") + raw)
    else:  # status-line: not HTTP at all
        out.write(f"HTTP/1.1 BAD {value}\r\n\r\n".encode("latin-1"))
    out.flush()


def _trickle(handler: _Handler, answer: bytes, seconds: float, *, headers_too: bool) -> None:
    split = answer.index(b"\r\n\r\n") + 4
    start = 0
    if not headers_too:
        handler.wfile.write(answer[:split])
        handler.wfile.flush()
        start = split
    for index in range(start, len(answer)):
        time.sleep(seconds)
        handler.wfile.write(answer[index : index + 1])
        handler.wfile.flush()


def _huge(handler: _Handler, fault: Fault) -> None:
    out = handler.wfile
    size = fault.size
    announced = fault.headers.get("Content-Length")
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", "Connection: close"]
    if size is None:
        head.append("Transfer-Encoding: chunked")
        out.write(("\r\n".join(head) + "\r\n\r\n").encode())
        while True:  # until the client hangs up (the write then fails)
            out.write(b"%x\r\n%s\r\n" % (len(_FILLER), _FILLER))
        return
    chunks: Iterator[bytes] = _filler(size)
    if fault.part == "gzip":
        chunks = _gzipped(chunks)
        head.append("Content-Encoding: gzip")
        body = b"".join(chunks)
        head.append(f"Content-Length: {announced or len(body)}")
        out.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        return
    head.append(f"Content-Length: {announced or size}")
    out.write(("\r\n".join(head) + "\r\n\r\n").encode())
    for chunk in chunks:
        out.write(chunk)


def _filler(size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        piece = _FILLER[: min(left, _CHUNK)]
        left -= len(piece)
        yield piece


def _gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"0" * _CHUNK
    first = True
    for chunk in chunks:
        yield packer.compress(chunk if first else zeros[: len(chunk)])
        first = False
    yield packer.flush()


def _short_length(handler: _Handler, answer: bytes, missing: int) -> None:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = [
        line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-length:")
    ]
    lines.append(b"Content-Length: %d" % max(len(body) - missing, 0))
    handler.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    handler.wfile.flush()
