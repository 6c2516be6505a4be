"""
The word joiners (U+2060) the SRT writer puts into one line of caption text,
and their exact inverse for the reader: SRT has no escape mechanism, so
where a reader or player would see markup or structure the writer breaks
the token with an invisible joiner, and our reader takes that one away.

Each rule adds one joiner to whatever run of joiners is already there, and
the inverse takes exactly one away, so text that holds joiners of its own
round-trips too. See ``docs/formats.md`` (SRT, escaping policy).
"""

from __future__ import annotations

import re

from ._text import WJ, escape_backslashes, unescape_backslashes

__all__ = ["escape_line", "unescape_line"]

# "-->" is a timing line to many readers.
_ARROW = re.compile("--(\u2060*)>")
_ESCAPED_ARROW = re.compile("--\u2060(\u2060*)>")
# "{\" opens an ASS override block in FFmpeg, mpv and VLC (one with no "}"
# after it: the writer makes brace pairs full-width before this).
_OVERRIDE_OPEN = re.compile("\\{(\u2060*)\\\\")
_ESCAPED_OVERRIDE_OPEN = re.compile("\\{\u2060(\u2060*)\\\\")


def escape_line(line: str) -> str:
    """
    One line of caption text with a joiner after every backslash libass
    would read as an escape, inside every ``-->``, after every ``<`` (FFmpeg
    reads ``< b >`` and ``<3 x>`` as tags) and inside every ``{\\``.
    """
    if "\\" in line:
        line = escape_backslashes(line)
    if "--" in line:
        line = _ARROW.sub("--\u2060\\1>", line)
    if "<" in line:
        line = line.replace("<", "<\u2060")
    if "{" in line:
        line = _OVERRIDE_OPEN.sub("{\u2060\\1\\\\", line)
    return line


def unescape_line(line: str) -> str:
    """
    The inverse of :func:`escape_line`: one joiner fewer after every ``<``
    and backslash, and inside every ``--⁠>`` and ``{⁠\\``.
    """
    if WJ not in line:
        return line
    line = _ESCAPED_ARROW.sub("--\\1>", line)
    line = line.replace("<\u2060", "<")
    line = _ESCAPED_OVERRIDE_OPEN.sub("{\\1\\\\", line)
    return unescape_backslashes(line)
