"""
SCC (CEA-608 pop-on, 29.97 fps drop-frame): our writer read back by ttconv
(the reference reader) within two frames and by FFmpeg; the 608 policy (32 x
4, characters, 24 h, frames) enforced and reported; only typed errors.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ttconv import model as tt_model
from ttconv.scc import reader as scc_reader

from gcore_captions import Cue, Transcript, load, loads, render, save
from gcore_captions.errors import FormatError, GcoreCaptionsError
from gcore_captions.formats import WriterWarning, scc
from gcore_captions.formats._text import cue_lines

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"
TWO_FRAMES_MS = 2 * 1001 / 30

# Everything CEA-608 can show, and words of it.
_SHOWN = sorted({*scc._BASIC, *scc._SPECIAL, *scc._EXTENDED} - {" "})
_WORD = st.lists(st.sampled_from(_SHOWN), min_size=1, max_size=8).map("".join)
# ttconv's reader names three extended characters by look-alikes.
_TTCONV_SPELLING = str.maketrans(
    {"━": "—", "ʌ": "^", "┃": "¦", "┏": "┌", "┓": "┐", "┗": "└", "┛": "┘"}
)


def _quiet(t: Transcript, **options: object) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        return render(t, "scc", **options)


def _ttconv_cues(text: str) -> list[tuple[float, float, str]]:
    """Each paragraph ttconv reads: its times in ms and its lines."""
    document = scc_reader.to_model(text)
    cues = []
    for div in document.get_body():
        for p in div:
            lines: list[str] = []
            current = ""
            for element in p.dfs_iterator():
                if isinstance(element, tt_model.Text):
                    current += element.get_text()
                elif isinstance(element, tt_model.Br):
                    lines.append(current)
                    current = ""
            lines.append(current)
            shown = "\n".join(line.strip() for line in lines if line.strip())
            cues.append(
                (
                    float(p.get_begin()) * 1000,
                    float(p.get_end()) * 1000,
                    shown.translate(_TTCONV_SPELLING),
                )
            )
    return cues


def _load_ms(text: str) -> float:
    """How long loading the cue takes: a frame a word, and 4 for EOC and EDM."""
    words, _ = scc._load_words(text.split("\n"), "bottom")
    return (len(words) + 4) * 1001 / 30


@st.composite
def captions(draw: st.DrawFn) -> Transcript:
    """Cues 608 can show as they are, spaced so each can be loaded in time."""
    cues: list[Cue] = []
    end = 0
    for _ in range(draw(st.integers(1, 8))):
        line = st.lists(_WORD, min_size=1, max_size=4).map(lambda words: " ".join(words)[:32])
        text = "\n".join(draw(st.lists(line, min_size=1, max_size=4)))
        start = end + int(_load_ms(text)) + 1 + draw(st.integers(0, 10_000))
        if start > 23 * 3_600_000:
            start = draw(st.integers(start, 23 * 3_600_000 + 3_500_000)) if not cues else start
        end = start + draw(st.integers(1_000, 6_000))
        if end >= 24 * 3_600_000:
            break
        cues.append(Cue(start, end, text))
        end = max(end, start)
        if draw(st.booleans()):
            end += draw(st.integers(0, 20 * 3_600_000 - end)) if end < 20 * 3_600_000 else 0
    return Transcript(tuple(cues))


@settings(max_examples=40)
@given(captions())
def test_ttconv_reads_every_caption_within_two_frames(t: Transcript) -> None:
    read = _ttconv_cues(_quiet(t))
    assert len(read) == len(t.cues)
    for cue, (start, end, text) in zip(t.cues, read, strict=True):
        assert text == "\n".join(cue_lines(cue.text))
        assert abs(start - cue.start_ms) <= TWO_FRAMES_MS
        assert abs(end - cue.end_ms) <= TWO_FRAMES_MS


@settings(max_examples=40)
@given(captions())
def test_our_reader_reads_back_within_two_frames(t: Transcript) -> None:
    back = loads(_quiet(t), format="scc")
    assert [c.text for c in back.cues] == ["\n".join(cue_lines(c.text)) for c in t.cues]
    for cue, got in zip(t.cues, back.cues, strict=True):
        assert abs(got.start_ms - cue.start_ms) <= TWO_FRAMES_MS
        assert abs(got.end_ms - cue.end_ms) <= TWO_FRAMES_MS


@pytest.mark.player
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_ffmpeg_shows_every_caption(tmp_path: Path) -> None:
    """FFmpeg's SCC demuxer and CEA-608 decoder show each cue's text."""
    t = Transcript(
        (
            Cue(2_000, 4_000, "Héllo «ça» ♪ {x} ü"),
            Cue(6_000, 8_000, "two lines\ncentred ¿sí?"),
            Cue(10_000, 12_500, "ß Å ñ ç é"),
        )
    )
    path = tmp_path / "t.scc"
    path.write_text(_quiet(t), encoding="utf-8")
    out = tmp_path / "t.srt"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(path), str(out)], check=True, timeout=60
    )
    shown = out.read_text(encoding="utf-8")
    for cue in t.cues:
        for line in cue.text.split("\n"):
            assert line in shown.replace("\\h", ""), (line, shown)


def test_drop_frame_time_codes() -> None:
    assert scc.frame_to_timecode(0) == "00:00:00;00"
    assert scc.frame_to_timecode(1_799) == "00:00:59;29"
    assert scc.frame_to_timecode(1_800) == "00:01:00;02"  # ;00 and ;01 are dropped
    assert scc.frame_to_timecode(17_982) == "00:10:00;00"  # but not every tenth minute
    assert scc.frame_to_timecode(107_892) == "01:00:00;00"
    assert scc.ms_to_frame(1_000) == 30  # 30 frames last 1001 ms
    assert scc.ms_to_frame(3_600_000) == 107_892


def test_pop_on_codes_and_centring() -> None:
    text = _quiet(Transcript((Cue(10_000, 12_000, "Hi"),)))
    # Load (RCL, ENM, PAC row 14 indent 12 and tab 3, "Hi") in the 9 frames
    # before frame 300 (10 s), EOC on it; EDM on frame 360 (12 s).
    assert text == (
        "Scenarist_SCC V1.0\n\n"
        "00:00:09;21\t9420 9420 94ae 94ae 94d6 94d6 9723 9723 c8e9 942f 942f\n\n"
        "00:00:12;00\t942c 942c\n"
    )


def test_times_at_or_past_24_hours_are_refused() -> None:
    with pytest.raises(FormatError, match="cue 1: scc: times must be under 24 hours"):
        render(Transcript((Cue(23 * 3_600_000, 24 * 3_600_000, "late"),)), "scc")


def test_long_lines_are_reflowed_or_refused() -> None:
    long = "word " * 20
    t = Transcript((Cue(5_000, 9_000, long.strip()),))
    back = loads(_quiet(t), format="scc")
    assert all(len(line) <= 32 for line in back.cues[0].text.split("\n"))
    assert back.cues[0].text.replace("\n", " ") == long.strip()
    with pytest.raises(FormatError, match="at most 4 rows of 32"):
        render(t, "scc", overflow="error")
    with pytest.raises(FormatError, match="needs 5 rows"):
        render(Transcript((Cue(5_000, 9_000, "word " * 30),)), "scc")


def test_characters_608_lacks_are_approximated_or_replaced_with_warnings() -> None:
    t = Transcript((Cue(5_000, 6_000, "it’s… ő"), Cue(8_000, 9_000, "中文")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = render(t, "scc")
    codes = {w.message.code: w.message for w in caught if isinstance(w.message, WriterWarning)}
    assert codes["approximated-character"].cues == (1,)
    assert codes["replaced-character"].cues == (2,)
    assert [c.text for c in loads(text, format="scc").cues] == ["it's... o", "??"]
    with pytest.raises(FormatError, match="cue 2: scc: '中'"):
        render(t, "scc", unsupported="error")


def test_late_overlapping_and_rounded_cues_are_reported() -> None:
    t = Transcript(
        (
            Cue(0, 2_000, "at the very start"),
            Cue(1_500, 3_000, "overlaps the first"),
            Cue(3_000, 4_000, "right after"),
        )
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(t, "scc")
    codes = {w.message.code: w.message for w in caught if isinstance(w.message, WriterWarning)}
    assert codes["shown-late"].cues[0] == 1
    assert codes["cut-short"].cues == (1,)
    assert set(codes) >= {"shown-late", "cut-short", "rounded-to-frames"}


def test_empty_transcript_is_a_header() -> None:
    assert render(Transcript(()), "scc") == "Scenarist_SCC V1.0\n\n"


REAL_POP_ON = (
    "Scenarist_SCC V1.0\n\n"
    "00:00:00;22\t9420 9420 94ae 94ae 9452 9452 97a1 97a1 c8e5 ecec ef2c 2080 942f 942f\n\n"
    "00:00:02;24\t942c 942c\n"
)
REAL_ROLL_UP = (
    "Scenarist_SCC V1.0\n\n"
    "00:00:01;00\t9425 9425 94ad 94ad 9470 9470 d2ef ecec 2075 70a1\n\n"
    "00:00:03;00\t942c 942c\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(REAL_POP_ON, ["Hello,"]), (REAL_ROLL_UP, ["Roll up!"])],
    ids=["pop-on", "roll-up"],
)
def test_reads_pop_on_and_roll_up(text: str, expected: list[str]) -> None:
    t = loads(text, format="scc")
    assert [c.text for c in t.cues] == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not scc",
        "Scenarist_SCC V1.0\n\n99:99:99;99\tzzzz\n",
        "Scenarist_SCC V1.0\n\n00:00:00;00\t94\n",
    ],
)
def test_broken_files_give_typed_errors_or_nothing(text: str) -> None:
    with contextlib.suppress(GcoreCaptionsError):
        t = scc.parse(text)
        assert isinstance(t, Transcript)


@settings(max_examples=150)
@given(
    st.lists(
        st.sampled_from(
            [
                "Scenarist_SCC V1.0",
                "\n",
                "\n\n",
                "\t",
                " ",
                "00:00:01;00",
                "23:59:59;29",
                "99:00:00:00",
                "9420",
                "94ae",
                "942f",
                "942c",
                "9470",
                "c8e5",
                "ecec",
                "80",
                "zz",
                "1337",
                "91b7",
                "-1",
            ]
        ),
        max_size=40,
    ).map("".join),
    st.booleans(),
)
def test_only_typed_errors(text: str, strict: bool) -> None:
    with contextlib.suppress(GcoreCaptionsError):
        scc.parse(text, strict=strict)


def test_load_save_and_cli(tmp_path: Path) -> None:
    t = load(SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        save(t, tmp_path / "a.scc")
    back = load(tmp_path / "a.scc")
    assert len(back.cues) == len([c for c in t.cues if c.text.strip()])
