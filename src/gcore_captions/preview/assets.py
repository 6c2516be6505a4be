"""
The page's HTML, CSS and JavaScript, shipped as package data and inlined at
render time so the output is one file that needs nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

__all__ = ["content_security_policy", "fill", "read_asset"]

_SLOT = re.compile(r"\{\{(\w+)\}\}")


@cache
def read_asset(name: str) -> str:
    """
    The text of one of the page's files (``page.html``, ``preview.css``,
    ``preview.js``).
    """
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """
    A Content-Security-Policy that lets only the page's own inline script
    and style run (by hash) and lets the media load from the web, disk,
    ``data:`` and ``blob:`` URLs; nothing else is fetched.

    Even if some caption text ever slipped into the page as markup, an
    injected ``<script>`` or ``onerror=`` handler would not run.
    """
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {_sha256(script)}",
            f"style-src {_sha256(style)}",
            "media-src http: https: file: data: blob:",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def fill(template: str, values: Mapping[str, str]) -> str:
    """
    Replace each ``{{name}}`` in ``template`` with ``values[name]``, in one
    pass, so text that is put in is never scanned for slots again.

    Values must already be escaped for where their slot sits.

    Raises:
        KeyError: the template names a slot with no value.
    """
    return _SLOT.sub(lambda match: values[match.group(1)], template)
