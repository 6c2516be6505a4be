"""
Our caption files as a player reads them: FFmpeg (Debian's ``ffmpeg``)
decodes each SRT, WebVTT and ASS file we write, and gets our cues back.

Skipped with a reason when ffmpeg is missing locally; ``.ci/run`` installs
it, so these run in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import srt

from gcore_captions.api import load, save
from gcore_captions.model import Cue, Transcript

pytestmark = pytest.mark.player

FFMPEG = os.environ.get("GCORE_CAPTIONS_FFMPEG") or shutil.which("ffmpeg")
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "fungi-in-a-forest.json"
# Past 100 h too: players must see the true time, not a clamped one.
LONG = Transcript(
    cues=(
        Cue(0, 1_500, "First & <second>."),
        Cue(36_000_000, 36_002_000, "Ten hours in."),
        Cue(360_000_000, 360_001_230, "A hundred hours in."),
    )
)


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed: apt-get install ffmpeg (see the README, Development)")
    return FFMPEG


def played(ffmpeg: str, path: Path) -> list[srt.Subtitle]:
    """The cues FFmpeg decodes from ``path``, as SRT."""
    result = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "srt", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return list(srt.parse(result.stdout.decode("utf-8")))


def plain(text: str) -> str:
    """
    Text as a viewer sees it: without the markup FFmpeg adds for ASS styles
    (<font ...>) and without the invisible word joiner our SRT writer puts
    into markup look-alikes such as "<second>".
    """
    return re.sub(r"</?font[^>]*>", "", text).replace("\u2060", "")


@pytest.mark.parametrize("ext", ["srt", "vtt", "ass"])
@pytest.mark.parametrize("name", ["sample", "long"])
def test_ffmpeg_reads_back_our_cues(ffmpeg: str, tmp_path: Path, ext: str, name: str) -> None:
    """Every cue comes back from FFmpeg with our start, end (to the format's precision) and text."""
    transcript = load(SAMPLE) if name == "sample" else LONG
    path = tmp_path / f"{name}.{ext}"
    save(transcript, path)
    cues = played(ffmpeg, path)
    assert len(cues) == len(transcript.cues)
    step = 10 if ext == "ass" else 1  # ASS keeps centiseconds
    for ours, theirs in zip(transcript.cues, cues, strict=True):
        start = round(theirs.start.total_seconds() * 1000)
        end = round(theirs.end.total_seconds() * 1000)
        assert abs(start - ours.start_ms) < step
        assert abs(end - ours.end_ms) < step
        assert plain(theirs.content).split() == ours.text.split()
