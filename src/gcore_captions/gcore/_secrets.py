"""
Keeping the API key out of everything a server sends back.

A server (or a proxy in front of it) may echo the request's
``Authorization`` header in an error body, an HTML page, a redirect target,
a header or a malformed status line. :class:`Scrubber` is the one function
that removes it; :class:`~._flow.Requester` applies it to every piece of
server text as it arrives (body, headers, transport error text), so nothing
built from an answer (exceptions, logs, payloads, manifests, reports, saved
files) can hold the key.

httpx and httpcore log what the server sent too (the reason phrase at
INFO, the headers at DEBUG), before any of our code sees the answer:
:func:`guard_http_logs` adds a filter to their loggers that scrubs each
record with the scrubbers of every live client.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import weakref
from urllib.parse import quote, quote_plus

__all__ = ["HTTP_LOGGERS", "REDACTED", "Scrubber", "guard_http_logs"]

HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
"""The loggers httpx and httpcore write answers to (a logger's filters do
not apply to its children, so each is named)."""

REDACTED = "<redacted>"
"""What a key (or a whole ``Authorization`` value) is replaced with."""

# Between the scheme and the key: a space, or the space URL-encoded once or twice.
_GAP = r"(?:\s|%20|%2520|\+)+"
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")
_MIN_PROBE = 6


class Scrubber:
    """
    Replaces an API key, and a whole ``APIKey <key>`` header value, with
    ``<redacted>``: as written, URL-encoded (once or twice, ``%20`` or
    ``+`` for the space), JSON- or HTML-escaped, in any letter case.

    >>> scrub = Scrubber("123$abcdef")
    >>> scrub("echo: Authorization: apikey 123%24ABCDEF")
    'echo: Authorization: <redacted>'
    """

    def __init__(self, secret: str) -> None:
        once = quote(secret, safe="")
        forms = {
            secret,
            once,
            quote(secret),
            quote_plus(secret),
            quote(once, safe=""),
            json.dumps(secret)[1:-1],
            json.dumps(secret)[1:-1].replace("/", "\\/"),
            html.escape(secret),
        }
        forms.discard("")
        alternatives = "|".join(_loose(form) for form in sorted(forms, key=len, reverse=True))
        self._pattern = re.compile(rf"(?:apikey{_GAP})?(?:{alternatives})", re.IGNORECASE)
        # The longest run of characters no encoding changes is in every form:
        # a quick test before the regex (most answers never hold the key).
        # As written, lower-cased or upper-cased: the case changes a proxy
        # or a log really makes (the regex itself ignores case throughout).
        runs = _UNRESERVED.findall(secret)
        probe = max(runs, key=len) if runs else ""
        self._probes = (
            tuple({probe, probe.lower(), probe.upper()}) if len(probe) >= _MIN_PROBE else ()
        )
        self._probes_bytes = tuple(p.encode("ascii") for p in self._probes)

    def __repr__(self) -> str:
        return "Scrubber(<redacted>)"

    def __call__(self, text: str) -> str:
        """
        ``text`` with every form of the key replaced.
        """
        if self._probes and not any(probe in text for probe in self._probes):
            return text
        return self._pattern.sub(REDACTED, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        """
        :meth:`__call__` for bytes: any bytes come back byte for byte except
        the key (undecodable bytes are kept as they are).
        """
        if self._probes_bytes and not any(probe in data for probe in self._probes_bytes):
            return data
        text = data.decode("utf-8", "surrogateescape")
        cleaned = self(text)
        return data if cleaned == text else cleaned.encode("utf-8", "surrogateescape")


def _loose(form: str) -> str:
    """
    A pattern for ``form`` where each backslash may be any run of them: a
    JSON-escaped key quoted again by a ``repr()`` (or two) doubles them.
    """
    return "".join(r"\\+" if char == "\\" else re.escape(char) for char in form)


class _LogFilter(logging.Filter):
    """
    Scrubs every record of the HTTP loggers with each live client's key.
    """

    def __init__(self) -> None:
        super().__init__("gcore_captions")
        self.scrubbers: weakref.WeakSet[Scrubber] = weakref.WeakSet()

    def filter(self, record: logging.LogRecord) -> bool:
        scrubbers = list(self.scrubbers)
        if not scrubbers:
            return True
        text = original = record.getMessage()
        for scrub in scrubbers:
            text = scrub(text)
        if text != original:
            record.msg, record.args = text, None
        return True


_FILTER = _LogFilter()
_INSTALLED = threading.Lock()
_installed = False


def guard_http_logs(scrub: Scrubber) -> None:
    """
    Scrub ``scrub``'s key from httpx's and httpcore's log records for as
    long as ``scrub`` lives (the filter is added to their loggers once).
    """
    global _installed
    with _INSTALLED:
        if not _installed:
            for name in HTTP_LOGGERS:
                logging.getLogger(name).addFilter(_FILTER)
            _installed = True
        _FILTER.scrubbers.add(scrub)
