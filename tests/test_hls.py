"""
Segmented WebVTT for HLS: the playlist, segments that hold every cue they
overlap, each a WebVTT file the reference parsers read, FFmpeg reading the
playlist, and the set written as a unit with the playlist last.
"""

from __future__ import annotations

import errno
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import webvtt
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import Cue, Transcript, loads, render, save
from gcore_captions.cli import main
from gcore_captions.errors import FormatError
from gcore_captions.formats import hls, vtt
from gcore_captions.output import OutputSpec, write_outputs

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    starts = draw(st.lists(st.integers(0, 120_000), max_size=15))
    cues = tuple(
        Cue(
            s,
            s + draw(st.integers(1, 25_000)),
            draw(st.sampled_from(["a", "é b", "<c> & d", "e\nf"])),
        )
        for s in sorted(starts)
    )
    return Transcript(cues)


@settings(max_examples=80)
@given(transcripts(), st.sampled_from([2.0, 6.0, 10.0]))
def test_every_segment_holds_exactly_the_cues_it_overlaps(t: Transcript, seconds: float) -> None:
    files = dict(hls.render_set(t, hls.HlsOptions(segment_seconds=seconds), "x"))
    playlist = files.pop("x.m3u8").split("\n")
    step = round(seconds * 1000)
    names = [line for line in playlist if line.endswith(".vtt")]
    assert names == sorted(files)
    durations = [float(line[8:-1]) for line in playlist if line.startswith("#EXTINF:")]
    assert len(durations) == len(names)
    end = max((c.end_ms for c in t.cues), default=0)
    assert round(sum(durations) * 1000) == (end or step)
    assert playlist[:5] == [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{-(-step // 1000)}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    assert playlist[-2:] == ["#EXT-X-ENDLIST", ""]
    for index, name in enumerate(names):
        low, high = index * step, (index + 1) * step
        text = files[name]
        assert text.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n")
        # The W3C parsing algorithm (our strict reader, green on the WPT
        # suite) and the reference parser webvtt-py read the same cues.
        read = webvtt.from_buffer(io.StringIO(text)).captions
        ours = vtt.parse(text, strict=True)
        expected = [(c.start_ms, c.end_ms) for c in t.cues if c.start_ms < high and c.end_ms > low]
        assert [(c.start_ms, c.end_ms) for c in ours.cues] == expected
        assert [c.start_time.in_milliseconds() for c in read] == [s for s, _ in expected]
        assert ours.warnings == ()


@pytest.mark.player
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_ffmpeg_reads_the_playlist_and_sees_every_cue(tmp_path: Path) -> None:
    t = Transcript(
        (
            Cue(1_000, 2_500, "one"),
            Cue(9_000, 12_000, "spans two segments"),
            Cue(25_000, 26_000, "third"),
            Cue(30_500, 51_000, "long: spans three"),
        )
    )
    save(t, tmp_path / "movie.m3u8")
    out = tmp_path / "out.srt"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(tmp_path / "movie.m3u8"), str(out)],
        check=True,
        timeout=60,
    )
    read = loads(out.read_text(encoding="utf-8"), format="srt")
    assert [(c.start_ms, c.end_ms, c.text) for c in read.cues] == [
        (c.start_ms, c.end_ms, c.text) for c in t.cues
    ]


def test_set_is_written_as_a_unit_playlist_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gcore_captions.output import atomic

    t = Transcript((Cue(0, 25_000, "a"),))
    spec = OutputSpec.parse("hls,srt")
    records = write_outputs(t, spec, tmp_path, fields={"task_id": "t1"})
    assert [r.path for r in records] == [
        "t1-00000.vtt",
        "t1-00001.vtt",
        "t1-00002.vtt",
        "t1.m3u8",
        "t1.srt",
    ]
    assert {r.format for r in records} == {"hls", "srt"}
    # A full disk on the second segment: nothing of the call is left.
    out = tmp_path / "second"
    real = atomic._write_all
    calls = []

    def full(fd: int, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(atomic, "_write_all", full)
    with pytest.raises(OSError, match="No space left"):
        write_outputs(t, spec, out, fields={"task_id": "t1"})
    assert not out.exists() or list(out.iterdir()) == []


def test_cli_convert_and_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "hls", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[-1] == "fungi-in-a-forest.m3u8"
    assert names[0] == "fungi-in-a-forest-00000.vtt"
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "hls", "-o", "-"])
    assert result.exit_code != 0
    assert "playlist and its segments" in result.stderr
    result = CliRunner().invoke(
        main,
        ["convert", str(SAMPLE), "--to", "hls", "-O", "segment_seconds=0.1", "-o", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert "segment_seconds" in result.stderr


def test_render_explains_what_to_do() -> None:
    with pytest.raises(FormatError, match="write it to a folder"):
        render(Transcript((Cue(0, 1, "a"),)), "hls")


def test_names_with_spaces_are_quoted_in_the_playlist(tmp_path: Path) -> None:
    save(Transcript((Cue(0, 1_000, "a"),)), tmp_path / "my movie.m3u8")
    playlist = (tmp_path / "my movie.m3u8").read_text(encoding="utf-8")
    assert "my%20movie-00000.vtt" in playlist
    assert (tmp_path / "my movie-00000.vtt").exists()


def test_empty_transcript_is_one_empty_segment() -> None:
    files = hls.render_set(Transcript(()), None, "x")
    assert [name for name, _ in files] == ["x-00000.vtt", "x.m3u8"]
    assert "#EXTINF:10.000," in files[1][1]


def test_export_records_every_file_of_the_set_and_a_rerun_skips(tmp_path: Path) -> None:
    """export --to hls,scc,ttml: the manifest lists each segment; nothing is redone."""
    import warnings

    from gcore_captions.batch import export_many
    from gcore_captions.batch.manifest import Manifest
    from gcore_captions.formats import WriterWarning
    from gcore_captions.testing import FakeGcoreAPI, make_tasks

    tasks = make_tasks(3)
    ids = [task["task_id"] for task in tasks]
    spec = OutputSpec.parse("hls,scc,ttml")
    with FakeGcoreAPI(tasks) as api, warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        first = export_many(ids, tmp_path, spec, api_key=api.api_key, base_url=api.base_url)
        again = export_many(ids, tmp_path, spec, api_key=api.api_key, base_url=api.base_url)
    assert first.ok
    assert (first.written, again.skipped) == (3, 3)
    manifest = Manifest.open(tmp_path)
    try:
        record = manifest.lookup(ids[0])
    finally:
        manifest.close()
    assert record is not None
    paths = [f.path for f in record.files]
    assert paths[-3:] == [f"{ids[0]}.m3u8", f"{ids[0]}.scc", f"{ids[0]}.ttml"]
    assert paths[:-3]
    assert all(p.endswith(".vtt") for p in paths[:-3])
    for entry in record.files:
        assert (tmp_path / entry.path).stat().st_size == entry.bytes
