"""
The wire side of the fake API (:mod:`gcore_captions.testing`): a threading
HTTP server whose handler records each request, applies latency and
injected faults (dropped sockets, truncated bodies...), and sends answers.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ._hostile import HOSTILE_KINDS, serve_hostile, wire_answer

if TYPE_CHECKING:
    from . import FakeGcoreAPI, Fault

__all__ = ["Server"]


class Server(ThreadingHTTPServer):
    """
    Serves ``api`` on 127.0.0.1 (a free port), one thread per connection.
    """

    daemon_threads = True
    request_queue_size = 128  # concurrent clients must not see refused connects

    def __init__(self, api: FakeGcoreAPI) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out or went away is a normal event in fault tests.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server
    timeout = 30
    # Headers and body go out as two writes; without TCP_NODELAY the second
    # waits for the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is api.requests

    def _serve(self) -> None:
        api = self.server.api
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        api._record(self.command, split.path, query, self.headers, body)
        if api.latency:
            time.sleep(api.latency)
        fault = api._next_fault(split.path, self.command)
        if fault is not None and fault.kind in HOSTILE_KINDS:
            answer = api._authorized(self.headers.get("Authorization"))
            normal = wire_answer(
                *(answer or api._route(self.command, split.path, query, body)),
                close=fault.kind != "short-length",
            )
            serve_hostile(self, fault, normal)
            return
        if fault is not None and fault.kind == "lose":
            if api._authorized(self.headers.get("Authorization")) is None:
                api._route(self.command, split.path, query, body)  # applied, answer lost
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        elif fault is not None:
            self._fault(fault)
            return
        answer = api._authorized(self.headers.get("Authorization"))
        if answer is None:
            answer = api._route(self.command, split.path, query, body)
        self._send(*answer)

    def _fault(self, fault: Fault) -> None:
        if fault.kind == "drop":
            self.close_connection = True
        elif fault.kind == "truncate":
            body = b'{"task_id": "cut short", "status": "SUC'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 100))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif fault.kind == "not-json":
            self._send(200, {"Content-Type": "text/html"}, b"<html><h1>502 Bad Gateway</h1></html>")
        elif fault.kind == "redirect":
            self._send(fault.status, dict(fault.headers), {"detail": "moved"})
        else:
            self._send(fault.status, dict(fault.headers), fault.body)

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
