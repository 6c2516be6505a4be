"""
Advanced SubStation Alpha (``.ass``): writer, style, and reader.

Text escaping (lossless with libass and our reader): a newline becomes
``\\N``; ``{`` and ``}`` become ``\\{`` and ``\\}`` (libass shows them as
literal braces, so caption text can never become an override tag); a
backslash that would form an escape with the next character (``\\N``,
``\\n``, ``\\h``, ``\\{``, ``\\}``) gets an invisible U+2060 WORD JOINER
after it, which our reader removes again. See ``docs/formats.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from ..errors import FormatError
from ..model import Transcript
from ..timecode import format_ass
from ._ass_reader import parse_ass
from ._text import cue_lines, escape_backslashes, fold, ordered
from ._writing import check_times, finish_output
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "AssOptions", "AssStyle", "parse", "render"]

NAME = "ass"
EXTENSIONS = ("ass", "ssa")

_HEX_COLOUR = re.compile(r"#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?")
_ASS_COLOUR = re.compile(r"&H([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})&?")


# A style or font name: no comma (it would shift the fields), no line break
# (it would end the line) and no other control character or lone surrogate.
_FIELD = re.compile("[^,\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]*")


def _ass_colour(value: str, field: str) -> str:
    match = _HEX_COLOUR.fullmatch(value)
    if match:
        rgb, opacity = match.group(1), match.group(2) or "FF"
        alpha = 255 - int(opacity, 16)
        return f"&H{alpha:02X}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".upper()
    match = _ASS_COLOUR.fullmatch(value)
    if match:
        return f"&H{match.group(1).rjust(8, '0')}".upper()
    raise ValueError(
        f"{field} must be '#RRGGBB', '#RRGGBBAA' (AA = opacity) or ASS '&HAABBGGRR', not {value!r}"
    )


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class AssStyle(FormatOptions):
    """
    The ASS style every cue is written with (the ``Default`` style).

    Sizes and margins are in script pixels (``PlayResX`` x ``PlayResY``,
    1920 x 1080 by default); the defaults give broadcast-like captions:
    white sans-serif text at about 1/19 of the picture height, a black
    outline and a soft shadow, bottom centre, inside a 5 % safe margin.

    Colours are ``"#RRGGBB"`` or ``"#RRGGBBAA"`` (``AA`` is opacity, as in
    CSS: ``FF`` opaque) or a raw ASS ``"&HAABBGGRR"`` value.

    Args:
        name: the style name (no commas).
        font: the font family (no commas).
        size: the font size in script pixels.
        primary_colour: the text colour.
        secondary_colour: the karaoke fill colour.
        outline_colour: the outline (border) colour.
        back_colour: the shadow colour (the box colour when
            ``border_style`` is 3).
        bold: bold text.
        italic: italic text.
        border_style: 1 for outline and shadow, 3 for an opaque box.
        outline: outline width in pixels.
        shadow: shadow distance in pixels.
        alignment: position on the numeric keypad layout (1-9; 2 is
            bottom centre, 8 top centre).
        margin_l: left margin in pixels.
        margin_r: right margin in pixels.
        margin_v: vertical margin in pixels (from the bottom for bottom
            alignments).

    Raises:
        FormatError: a field has the wrong type or cannot be written to an
            ASS style line (``FormatError`` is a ``ValueError``).
    """

    format: ClassVar[str] = "ass"

    name: str = "Default"
    font: str = "Arial"
    size: float = 56
    primary_colour: str = "#FFFFFF"
    secondary_colour: str = "#FF0000"
    outline_colour: str = "#000000"
    back_colour: str = "#00000080"
    bold: bool = False
    italic: bool = False
    border_style: int = 1
    outline: float = 3
    shadow: float = 1
    alignment: int = 2
    margin_l: int = 96
    margin_r: int = 96
    margin_v: int = 54

    def check(self) -> None:
        for name in ("name", "font"):
            value = getattr(self, name)
            if not value.strip() or not _FIELD.fullmatch(value):
                raise self.invalid(
                    name, "non-empty, without commas, line breaks or control characters"
                )
        for name in ("primary_colour", "secondary_colour", "outline_colour", "back_colour"):
            try:
                _ass_colour(getattr(self, name), name)
            except ValueError as error:
                raise FormatError(f"ass option {error}") from None
        if self.alignment not in range(1, 10):
            raise self.invalid("alignment", "1-9")
        if self.border_style not in (1, 3):
            raise self.invalid("border_style", "1 or 3")
        for name in ("size", "outline", "shadow", "margin_l", "margin_r", "margin_v"):
            if getattr(self, name) < 0:
                raise self.invalid(name, "0 or more")

    def style_line(self) -> str:
        """
        The ``Style:`` line for the ``[V4+ Styles]`` section.
        """
        colours = ",".join(
            _ass_colour(getattr(self, f), f)
            for f in ("primary_colour", "secondary_colour", "outline_colour", "back_colour")
        )
        bold = -1 if self.bold else 0
        italic = -1 if self.italic else 0
        return (
            f"Style: {self.name.strip()},{self.font.strip()},{_number(self.size)},{colours},"
            f"{bold},{italic},0,0,100,100,0,0,{self.border_style},{_number(self.outline)},"
            f"{_number(self.shadow)},{self.alignment},{self.margin_l},{self.margin_r},"
            f"{self.margin_v},1"
        )


_STYLE_FORMAT = (
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour,"
    " BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle,"
    " BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding"
)
_EVENT_FORMAT = "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def _escape_line(line: str) -> str:
    if "\\" in line:
        line = escape_backslashes(line)
    if "{" in line or "}" in line:
        line = line.replace("{", "\\{").replace("}", "\\}")
    return line


def _text(text: str) -> str:
    if "\n" in text or "\r" in text or "\\" in text or "{" in text or "}" in text:
        return "\\N".join(_escape_line(line) for line in cue_lines(text))
    return text.strip()


def _header_value(value: str) -> str:
    return fold(value)


@dataclass(frozen=True, slots=True)
class AssOptions(FormatOptions):
    """
    Options of the ASS writer.

    Args:
        style: the style for every cue (:class:`AssStyle` defaults). On
            the command line its fields are options of their own
            (``-O size=48``).
        play_res_x: the script width the style's pixels refer to.
        play_res_y: the script height.
        wrap_style: ASS ``WrapStyle``: 0 smart wrapping (top line wider),
            1 end-of-line, 2 no wrapping, 3 smart (bottom line wider).
        title: the ``Title`` in ``[Script Info]`` (the task id when
            omitted and known).

    Raises:
        FormatError: a value of the wrong type, a script size that is not
            positive, or a wrap style other than 0-3.
    """

    format: ClassVar[str] = NAME

    style: AssStyle = field(default_factory=AssStyle)
    play_res_x: int = 1920
    play_res_y: int = 1080
    wrap_style: Literal[0, 1, 2, 3] = 0
    title: str | None = None

    def check(self) -> None:
        for name in ("play_res_x", "play_res_y"):
            if getattr(self, name) <= 0:
                raise self.invalid(name, "positive")


_DEFAULTS = AssOptions()


def render(transcript: Transcript, options: AssOptions | None = None) -> str:
    """
    The transcript as an ASS script.

    Args:
        transcript: the cues to write (in start-time order; cues without
            text are left out). A cue's speaker goes into the Name field
            (commas become ``;``, as Aegisub does).
        options: the writer's options (:class:`AssOptions` defaults).

    Returns:
        ``[Script Info]``, ``[V4+ Styles]`` and ``[Events]`` sections; times
        are ``H:MM:SS.cc``, rounded to the nearest centisecond with carry,
        hours widening past 9.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    style = options.style
    title = options.title
    wrap_style = options.wrap_style
    play_res_x, play_res_y = options.play_res_x, options.play_res_y
    title = _header_value(title if title is not None else transcript.task_id or "")
    parts = ["[Script Info]\n; Script generated by gcore-captions\n"]
    if title:
        parts.append(f"Title: {title}\n")
    parts.append(
        "ScriptType: v4.00+\n"
        f"WrapStyle: {wrap_style}\n"
        "ScaledBorderAndShadow: yes\n"
        "YCbCr Matrix: None\n"
        f"PlayResX: {play_res_x}\n"
        f"PlayResY: {play_res_y}\n"
        "\n[V4+ Styles]\n"
        f"{_STYLE_FORMAT}\n{style.style_line()}\n"
        f"\n[Events]\n{_EVENT_FORMAT}\n"
    )
    append = parts.append
    style_name = style.name.strip()
    for cue in ordered(transcript.cues):
        text = _text(cue.text)
        if not text:
            continue
        name = fold(cue.speaker).replace(",", ";") if cue.speaker else ""
        append(
            f"Dialogue: 0,{format_ass(cue.start_ms)},{format_ass(cue.end_ms)},{style_name},"
            f"{name},0,0,0,,{text}\n"
        )
    return finish_output("".join(parts), transcript, NAME)


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read an ASS or SSA script, leniently as players do or, with
    ``strict=True``, refusing a malformed event: see
    :func:`gcore_captions.formats._ass_reader.parse_ass`.
    """
    return parse_ass(text, filename=filename, strict=strict)
