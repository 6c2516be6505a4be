"""
The text a viewer sees is the text: our SRT and WebVTT files go through
FFmpeg to ASS (``ffmpeg -i ours.srt out.ass``, the path mpv, burn-in and
many TV stacks take), and each Dialogue's text, read the way libass shows
it (``\\N`` a line break, ``\\h`` a no-break space, ``{...}`` hidden), is
the cue's text as the format carries it (docs/formats.md).

Each Hypothesis example batches many cues into one file, so an example costs
one FFmpeg run per format. Skipped with a reason when ffmpeg is missing;
``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from _formats_support import HOSTILE, WJ, libass_text, srt_shown, visible_lines
from gcore_captions import Cue, Transcript, render
from gcore_captions.formats import WriterWarning
from gcore_captions.timecode import format_ass

pytestmark = pytest.mark.player

FFMPEG = os.environ.get("GCORE_CAPTIONS_FFMPEG") or shutil.which("ffmpeg")

# What FFmpeg's SRT and WebVTT decoders and libass treat specially, with
# inner spaces, backslash escapes, HTML-like tags, entities and braces.
TRICKS = [
    "a < b > c",
    "< i >",
    "< /i >",
    "<  s  >",
    "< font color=red>",
    "<b>",
    "</b>",
    "<br>",
    "<br/>",
    "<3 you>",
    "<foo>",
    "<<",
    ">>",
    "<",
    ">",
    "\\N",
    "\\n",
    "\\h",
    "\\{",
    "\\}",
    "\\\\N",
    "\\",
    "{",
    "}",
    "{x}",
    "{\\an8}",
    "{\\b1}",
    "{y:i}",
    "&amp;",
    "&lt;",
    "&gt;",
    "&nbsp;",
    "&lrm;",
    "&rlm;",
    "&#45;",
    "&",
    "-->",
    "--",
    "1",
    "-5",
    "+3",
    "00:00:01,000 --> 00:00:02,000",
    "12:30:45.5",
    "NOTE",
    "WEBVTT",
    "\x00",
    "\ud800",
    "\t",
    "\u2028",
    "\ufeff",
    "\u00a0",
]
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_chunk = st.one_of(st.sampled_from(HOSTILE + TRICKS), st.text(_chars, max_size=5))
_line = st.lists(_chunk, max_size=5).map("".join)
cue_text = st.lists(_line, min_size=1, max_size=3).map("\n".join)
speaker = st.one_of(st.none(), st.sampled_from(["Bob", "--", "a--", "<v x>", "&amp;"]), _line)


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed: apt-get install ffmpeg (see the README, Development)")
    return FFMPEG


def shown_by_libass(ffmpeg: str, path: Path) -> dict[str, str]:
    """Each Dialogue of FFmpeg's ASS conversion of ``path``: start time -> text libass shows."""
    out = path.with_suffix(".out.ass")
    result = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(path), str(out)],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, (result.stderr.decode(errors="replace"), path.read_bytes())
    shown = {}
    for line in out.read_text(encoding="utf-8").split("\n"):
        if line.startswith("Dialogue: "):
            fields = line.split(",", 9)
            shown[fields[1]] = libass_text(fields[9]).replace(WJ, "")
    return shown


_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def carried(text: str) -> str:
    """The cue text a caption writer carries (NUL and lone surrogates become U+FFFD)."""
    return visible_lines(_UNSAFE.sub("\ufffd", text))


# Bounded for CI: six files of up to 40 cues, two FFmpeg runs each, and
# no shrinking (each step would run FFmpeg again); the assertion names the
# cues that differ.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(st.lists(st.tuples(cue_text, speaker), min_size=1, max_size=40))
def test_ffmpeg_and_libass_show_our_text(
    ffmpeg: str, tmp_path_factory: pytest.TempPathFactory, items: list[tuple[str, str | None]]
) -> None:
    """SRT and WebVTT (and our ASS) through FFmpeg to libass show exactly the text we
    meant."""
    folder = tmp_path_factory.mktemp("players")
    # Cue k from k s to k.5 s: distinct ASS start times to match Dialogues by.
    # The last cue always has text: FFmpeg refuses an empty file.
    items = [*items, ("end", None)]
    cues = tuple(
        Cue(k * 1000, k * 1000 + 500, text, speaker=who) for k, (text, who) in enumerate(items)
    )
    transcript = Transcript(cues)
    wanted = {format_ass(c.start_ms): carried(c.text) for c in cues if carried(c.text)}
    for fmt, shown in (("srt", srt_shown), ("vtt", lambda text: text), ("ass", lambda text: text)):
        path = folder / f"cues.{fmt}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WriterWarning)
            path.write_text(render(transcript, fmt), encoding="utf-8")
        got = shown_by_libass(ffmpeg, path)
        expected = {start: shown(text).replace(WJ, "") for start, text in wanted.items()}
        differ = {
            start: (cues[int(start[5:7]) + 60 * int(start[2:4])], got.get(start))
            for start in expected.keys() | got.keys()
            if got.get(start) != expected.get(start)
        }
        assert not differ, (fmt, differ)


KNOWN = [
    "a < b > c",
    "< i >italic?< /i >",
    "<3 you>",
    "x <foo> y",
    "\\N \\n \\h",
    "c:\\new\\hat",
    "\\{not an escape\\}",
    "{\\b1}bold?{\\b0}",
    "{x}",
    "1984",
    "Hello\n42 apples",
]


def test_known_cases_show_as_written(ffmpeg: str, tmp_path: Path) -> None:
    """The cases found by hand (issue 11) show verbatim, braces in SRT full-width with a
    warning naming their cues."""
    transcript = Transcript(tuple(Cue(k * 1000, k * 1000 + 500, t) for k, t in enumerate(KNOWN)))
    for fmt in ("srt", "vtt"):
        path = tmp_path / f"x.{fmt}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            path.write_text(render(transcript, fmt), encoding="utf-8")
        expected = [srt_shown(t) if fmt == "srt" else t for t in KNOWN]
        assert [str(w.message) for w in caught] == (
            [
                "srt: cues 7, 8, 9: a brace pair {...} written with full-width braces"
                " \uff5b...\uff5d (players that use libass hide {...} in SRT text)"
                " [full-width-braces]"
            ]
            if fmt == "srt"
            else []
        )
        shown = shown_by_libass(ffmpeg, path)
        assert shown == {format_ass(k * 1000): text for k, text in enumerate(expected)}
