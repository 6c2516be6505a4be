"""
The public surface of the format layer: exports, and the load / loads /
render / save verbs (formats from extensions and content, atomic writes).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import gcore_captions
from gcore_captions import Cue, FileError, FormatError, Transcript, load, loads, render, save

TRANSCRIPT = Transcript((Cue(0, 1000, "one"), Cue(1500, 2500, "two\nlines", speaker="Ana")))


def test_all_is_sorted_and_every_name_imports() -> None:
    """__all__ is sorted, names the verbs and AssStyle, and every name in it exists."""
    names = gcore_captions.__all__
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert {"load", "loads", "render", "save", "AssStyle"} <= set(names)
    module = importlib.import_module("gcore_captions")
    for name in names:
        assert getattr(module, name) is not None, name


@pytest.mark.parametrize(
    ("name", "first_line"),
    [
        ("a.srt", "1"),
        ("a.vtt", "WEBVTT"),
        ("a.webvtt", "WEBVTT"),
        ("a.ass", "[Script Info]"),
        ("a.SSA", "[Script Info]"),
        ("a.txt", "one"),
        ("a.json", "{"),
    ],
)
def test_save_picks_the_format_from_the_extension(
    tmp_path: Path, name: str, first_line: str
) -> None:
    """save writes the format its file extension names, as UTF-8 with LF line ends."""
    path = tmp_path / name
    save(TRANSCRIPT, path)
    data = path.read_bytes()
    assert data.decode("utf-8").split("\n", 1)[0] == first_line
    assert b"\r" not in data


def test_save_format_overrides_extension_and_passes_options(tmp_path: Path) -> None:
    """An explicit format wins over the extension; writer options pass through save."""
    path = tmp_path / "captions.out"
    save(TRANSCRIPT, path, "srt", start_index=7)
    assert path.read_text(encoding="utf-8").startswith("7\n")
    with pytest.raises(FormatError, match="extension"):
        save(TRANSCRIPT, tmp_path / "noext")


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """A failing render or encode leaves the old file untouched and no temporary file behind."""
    path = tmp_path / "out.vtt"
    save(TRANSCRIPT, path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="identifiers"):
        save(TRANSCRIPT, path, identifiers="bogus")
    broken = Transcript((Cue(0, 10**30, "past any time a caption file holds"),))
    with pytest.raises(FormatError, match="latest time"):
        save(broken, path)
    assert path.read_bytes() == before
    save(Transcript((Cue(0, 1, "new"),)), path)
    assert "new" in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.vtt"]


def test_load_reads_paths_and_loads_reads_content(tmp_path: Path) -> None:
    """load takes a path (str or PathLike), loads bytes or text; the format comes from the
    extension or the content."""
    for fmt in ("srt", "vtt", "ass", "json"):
        text = render(TRANSCRIPT, fmt)
        path = tmp_path / f"x.{fmt}"
        path.write_text(text, encoding="utf-8")
        for back in (load(path), load(str(path)), loads(text.encode("utf-16")), loads(text)):
            assert [c.text for c in back] == ["one", "two\nlines"], fmt
        assert loads(text)[1].start_ms == 1500


def test_load_of_a_file_named_like_content_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A str is always a path: a file called '{task}.srt' or 'WEBVTT.vtt' is read as a file
    (it used to be taken for JSON or WebVTT content)."""
    monkeypatch.chdir(tmp_path)
    for name, fmt in (("{task}.srt", "srt"), ("WEBVTT.vtt", "vtt"), ("[Script Info].ass", "ass")):
        (tmp_path / name).write_text(render(TRANSCRIPT, fmt), encoding="utf-8")
        assert [c.text for c in load(name)] == ["one", "two\nlines"], name


def test_missing_input_is_a_file_error(tmp_path: Path) -> None:
    """A missing file or a folder given as input is a FileError (also an OSError) naming it."""
    with pytest.raises(FileError, match=r"cannot read .*nope\.srt") as caught:
        load(tmp_path / "nope.srt")
    assert isinstance(caught.value, OSError)
    assert caught.value.path == str(tmp_path / "nope.srt")
    with pytest.raises(FileError, match="cannot read"):
        load(tmp_path)
    with pytest.raises(TypeError, match="loads"):
        load(b"1\n00:00:00,000 --> 00:00:01,000\nx\n")  # type: ignore[arg-type]


def test_unknown_format_and_unreadable_format() -> None:
    """Unknown format names and reading plain text are FormatErrors that say what to do."""
    with pytest.raises(FormatError, match="unknown format"):
        render(TRANSCRIPT, "docx")
    with pytest.raises(FormatError, match="cannot be read back"):
        loads("hello\nworld\n", "txt")
