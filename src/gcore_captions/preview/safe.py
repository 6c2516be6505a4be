"""
Putting untrusted text into the page without letting it become markup or
script: JSON for ``<script type="application/json">`` blocks, ``data:`` URLs
and media sources.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import FormatError

__all__ = ["MEDIA_SCHEMES", "media_src", "script_json", "vtt_data_url"]

# Inside a <script> element the HTML parser only looks for "</script", "<!--"
# and "<script"; escaping every "<" and ">" (and "&", for XHTML-minded
# tools) as JSON \u escapes defeats all three while the JSON stays equal.
# U+2028/U+2029 are valid in JSON strings but were line terminators in
# older JavaScript, so they are escaped too.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")

#: URL schemes a ``<video src>`` may use; anything else (``javascript:``,
#: ``vbscript:``...) is refused.
MEDIA_SCHEMES = frozenset({"http", "https", "file", "data", "blob"})

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def script_json(value: Any) -> str:
    """
    ``value`` as JSON that is safe to place between ``<script
    type="application/json">`` and ``</script>``.

    The result parses (``JSON.parse``) to exactly ``value``; it contains no
    ``<``, ``>``, ``&``, U+2028 or U+2029 characters, so no cue text can end
    the element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


def vtt_data_url(vtt_text: str) -> str:
    """
    A ``data:`` URL holding a WebVTT file, for ``<track src>``.

    Base64 keeps the URL free of quotes, spaces and ``<``, so it can sit in
    an attribute unchanged; Chromium loads ``data:`` tracks from pages
    opened via ``file://`` (a ``file://`` track would be blocked as
    cross-origin).
    """
    payload = base64.b64encode(vtt_text.encode("utf-8")).decode("ascii")
    return f"data:text/vtt;charset=utf-8;base64,{payload}"


def media_src(video: str | os.PathLike[str]) -> str:
    """
    The ``src`` for the ``<video>`` element.

    Args:
        video: a URL (``https://...``, ``file://...``), or a local file path
            (made absolute and given as a ``file://`` URL, so the page works
            from any folder while the media stays where it is).

    Returns:
        The URL, percent-encoded where a path needs it.

    Raises:
        FormatError: the URL's scheme is not one a video may load from.
    """
    if not isinstance(video, str):
        return Path(video).expanduser().resolve().as_uri()
    text = video.strip()
    match = _SCHEME_RE.match(text)
    # A one-letter "scheme" is a Windows drive ("C:\\clips\\a.mp4").
    if match and len(match.group(1)) > 1:
        scheme = match.group(1).lower()
        if scheme not in MEDIA_SCHEMES:
            raise FormatError(
                f"a video cannot load from a {scheme}: URL; give an http(s) URL or a file"
            )
        return text
    return Path(text).expanduser().resolve().as_uri()
