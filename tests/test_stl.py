"""
EBU-STL, read through ttconv: ttconv's own test files give the cues its own
tests assert; hostile bytes give only typed errors.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import load, loads
from gcore_captions.cli import main
from gcore_captions.errors import FormatError, GcoreCaptionsError
from gcore_captions.formats import stl

DATA = Path(__file__).parent / "data" / "stl"


@pytest.mark.parametrize(
    ("name", "cues"),
    [
        # ttconv's test_multi_tti_subtitle: one subtitle over several TTI blocks.
        ("multi_tti_subtitle", [(920, 2920, "Foo Bar Baz")]),
        # test_overlapping_tti: the second starts when the first ends (ttconv adjusts it).
        ("overlapping_tti", [(1000, 5000, "Subtitle One"), (5000, 7000, "Subtitle Two")]),
        # test_contained_tti: a subtitle inside another's time is dropped (with a warning).
        ("contained_tti", [(1000, 7000, "Subtitle One")]),
        # test_vp18_3_lines: three rows.
        ("vp18_3_lines", [(40, 3000, "This\nis\nrow 18")]),
    ],
)
def test_reads_ttconvs_own_test_files(name: str, cues: list[tuple[int, int, str]]) -> None:
    t = load(DATA / f"{name}.stl")
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == cues
    assert t.language == "eng"
    assert t.source == "stl"


def test_what_ttconv_adjusts_is_reported() -> None:
    t = load(DATA / "contained_tti.stl")
    assert t.warnings
    assert all(w.code == "ttconv" for w in t.warnings)
    with pytest.raises(FormatError, match="ttconv"):
        stl.parse((DATA / "contained_tti.stl").read_bytes(), strict=True)


def test_sniffed_from_the_bytes_and_refused_as_text(tmp_path: Path) -> None:
    data = (DATA / "overlapping_tti.stl").read_bytes()
    assert len(loads(data).cues) == 2  # no name, no format: the GSI block says STL
    unnamed = tmp_path / "subtitles.bin"
    unnamed.write_bytes(data)
    assert len(load(unnamed).cues) == 2
    with pytest.raises(FormatError, match="binary format"):
        loads("850STL25.01", format="stl")
    with pytest.raises(FormatError, match="not an EBU-STL file"):
        loads(b"WEBVTT\n", format="stl")


def test_read_only() -> None:
    result = CliRunner().invoke(main, ["convert", str(DATA / "vp18_3_lines.stl"), "--to", "stl"])
    assert result.exit_code == 2
    assert "can be read, not written" in result.stderr
    result = CliRunner().invoke(
        main, ["convert", str(DATA / "vp18_3_lines.stl"), "--to", "srt", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    assert "row 18" in result.stdout


@settings(max_examples=60)
@given(st.binary(max_size=3000), st.sampled_from([0, 1024, 1152, 1280]))
def test_only_typed_errors(noise: bytes, keep: int) -> None:
    """Real files cut or overwritten anywhere, and noise after a GSI block."""
    data = (DATA / "multi_tti_subtitle.stl").read_bytes()
    for sample in (data[:keep] + noise, b"850STL25.01" + noise, data[: len(noise) % len(data)]):
        with contextlib.suppress(GcoreCaptionsError):
            stl.parse(sample)
