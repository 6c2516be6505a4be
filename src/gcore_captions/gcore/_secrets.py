"""
Keeping the API key out of everything a server sends back.

A server (or a proxy in front of it) may echo the request's
``Authorization`` header in an error body, an HTML page, a redirect target,
a header or a malformed status line. :class:`Scrubber` is the one function
that removes it; :class:`~._flow.Requester` applies it to every piece of
server text as it arrives (body, headers, transport error text), so nothing
built from an answer (exceptions, logs, payloads, manifests, reports, saved
files) can hold the key.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, quote_plus

__all__ = ["REDACTED", "Scrubber"]

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
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        self._pattern = re.compile(rf"(?:apikey{_GAP})?(?:{alternatives})", re.IGNORECASE)
        # The longest run of characters no encoding changes is in every form:
        # a quick test before the regex (most answers never hold the key).
        runs = _UNRESERVED.findall(secret)
        probe = max(runs, key=len).lower() if runs else ""
        self._probe = probe if len(probe) >= _MIN_PROBE else ""
        self._probe_bytes = self._probe.encode("ascii")

    def __repr__(self) -> str:
        return "Scrubber(<redacted>)"

    def __call__(self, text: str) -> str:
        """
        ``text`` with every form of the key replaced.
        """
        if self._probe and self._probe not in text.lower():
            return text
        return self._pattern.sub(REDACTED, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        """
        :meth:`__call__` for bytes: any bytes come back byte for byte except
        the key (undecodable bytes are kept as they are).
        """
        if self._probe_bytes and self._probe_bytes not in data.lower():
            return data
        text = data.decode("utf-8", "surrogateescape")
        cleaned = self(text)
        return data if cleaned == text else cleaned.encode("utf-8", "surrogateescape")
