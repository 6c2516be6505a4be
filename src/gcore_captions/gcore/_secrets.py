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

import logging
import re
import threading
import weakref

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

# Between the scheme and the key: a space, URL-encoded once or twice, as
# ``+``, or as an HTML or JSON escape.
_GAP = r"(?:\s|%(?:25)*20|\+|&#0*32;?|&#x0*20;?|&nbsp;?|\\+u0020)+"
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")
_MIN_PROBE = 6


class Scrubber:
    """
    Replaces an API key, and a whole ``APIKey <key>`` header value, with
    ``<redacted>``: as written, URL-encoded (once or more, ``%20`` or
    ``+`` for the space), JSON- or HTML-escaped (named or numeric
    entities), backslash-escaped, in any letter case, with escapes mixed.
    Letters and digits are matched as written: an echo that escapes
    those too (every byte as ``%31``, base64, hex) is not recognised.

    >>> scrub = Scrubber("123$abcdef")
    >>> scrub("echo: Authorization: apikey 123%24ABCDEF")
    'echo: Authorization: <redacted>'
    """

    def __init__(self, secret: str) -> None:
        # One pattern, character by character: each character that is not
        # a letter, digit or ``_.~-`` may be written in any escape a server
        # or proxy uses (and escapes may be mixed in one echo).
        key = "".join(_any_escape(char) for char in secret)
        self._pattern = re.compile(rf"(?:apikey{_GAP})?{key}", re.IGNORECASE)
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

    @staticmethod
    def scrub_live(text: str) -> str:
        """
        ``text`` scrubbed of the key of every live client: for text of
        unknown origin, such as an unexpected error's message, whose key
        may have come from anywhere (an option, a variable, code).
        """
        for scrub in list(_FILTER.scrubbers):
            text = scrub(text)
        return text

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


# The named HTML entities ``html.escape`` and others write.
_ENTITIES = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}


def _any_escape(char: str) -> str:
    """
    A pattern for one character of the key as written or escaped: URL
    (``%24``, encoded again ``%2524``; each UTF-8 byte), HTML (``&#36;``,
    ``&#x24;``, ``&amp;``), JSON (``\\u0024``, ``\\/``) or by a backslash,
    each backslash possibly doubled by a ``repr()`` (or two).
    """
    if _UNRESERVED.fullmatch(char):
        return re.escape(char)
    code = ord(char)
    url = "".join(f"%(?:25)*{byte:02x}" for byte in char.encode("utf-8"))
    forms = [
        re.escape(char),
        url,
        rf"&#0*{code};?",
        rf"&#x0*{code:x};?",
        rf"\\+{re.escape(char)}",
    ]
    if code <= 0xFFFF:
        forms.append(rf"\\+u{code:04x}")
    else:
        units = char.encode("utf-16-be")
        high, low = units[:2].hex(), units[2:].hex()
        forms.append(rf"\\+u{high}\\+u{low}")
    if char in _ENTITIES:
        forms.append(f"&{_ENTITIES[char]};")
    if char == " ":
        forms.append(r"\+")
    return "(?:" + "|".join(forms) + ")"


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
