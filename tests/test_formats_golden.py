"""
Byte-exact golden files for every format and the main options.

Run with ``GOLDEN_UPDATE=1`` to rewrite the files after an intended change,
then review the diff like any other code change.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import pytest

from gcore_captions import AssStyle, Cue, Transcript, load, render
from gcore_captions.formats import WriterWarning

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = Path(__file__).parent.parent / "samples"
EXTENSIONS = {
    "srt": "srt",
    "vtt": "vtt",
    "ass": "ass",
    "txt": "txt",
    "json": "json",
    "sbv": "sbv",
    "ttml": "ttml",
    "scc": "scc",
    "microdvd": "sub",
    "mpl2": "mpl2",
    "tmp": "tmp",
}

BASIC = Transcript(
    (
        Cue(0, 2_500, "Good evening, and welcome."),
        Cue(2_500, 5_000, "This is the first line\nand this is the second.", speaker="Ana"),
        Cue(7_600, 9_999, "Tom & Jerry <3 --> {\\b1}\n1984\n12:30:00 is lunch"),
        Cue(360_000_000, 360_002_346, "Still talking at 100 hours 👩‍👩‍👧"),
    ),
    task_id="0f0e0d0c-basic",
    language="eng",
    languages=("eng",),
    source="subtitles",
)

# The content of the API reference's successful transcription task.
TASK = Transcript(
    (
        Cue(480, 3_920, "Good morning, and welcome to the quarterly product update."),
        Cue(4_310, 8_775, "Today we'll walk through three changes to the upload pipeline."),
        Cue(
            9_120,
            12_004,
            "First, large files now resume automatically after a dropped connection.",
        ),
        Cue(
            12_650,
            16_200,
            'Second, the "processing" badge — the grey one — finally shows real progress.',
        ),
        Cue(16_900, 19_415, "And third: captions are generated for every upload by default."),
    ),
    task_id="6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135",
    language="eng",
    languages=("eng",),
    text=(
        "Good morning, and welcome to the quarterly product update. Today we'll walk through"
        " three changes to the upload pipeline. First, large files now resume automatically"
        ' after a dropped connection. Second, the "processing" badge — the grey one — finally'
        " shows real progress. And third: captions are generated for every upload by default. "
    ),
    source="subtitles",
    metadata={"url": "https://media.example.org/videos/q1-update/qid311v1_h264_450_360.mp4"},
)

EMPTY = Transcript(task_id="empty-task", language="eng", languages=("eng",), source="subtitles")

OPTIONS: dict[str, dict[str, Any]] = {
    "srt": {"start_index": 0, "speaker_labels": True},
    "vtt": {
        "identifiers": "none",
        "note": "task 0f0e0d0c-basic\nlanguage: eng --> en",
        "metadata": {"Kind": "captions", "Language": "en"},
    },
    "ass": {
        "style": AssStyle(
            font="Noto Sans",
            size=36,
            primary_colour="#FFFF00",
            back_colour="#000000C0",
            bold=True,
            border_style=3,
            alignment=8,
            margin_v=30,
        ),
        "play_res_x": 1280,
        "play_res_y": 720,
        "wrap_style": 2,
        "title": "Basic, with options",
    },
    "txt": {"one_per_line": True, "timestamps": True},
    "json": {"indent": None},
    "sbv": {"speaker_labels": True},
    "ttml": {"speaker_labels": True, "position": "top"},
    "scc": {"speaker_labels": True, "position": "top"},
    "microdvd": {"fps": 25.0, "speaker_labels": True},
    "mpl2": {"speaker_labels": True},
    "tmp": {"speaker_labels": True},
}

# SCC's time code stops at 24 hours and TMP's at 99:59:59: BASIC's 100-hour
# cue is refused there (tests/test_scc.py and tests/test_pysubs2_formats.py
# check it), so their goldens are the task and samples.
_PAST_24_HOURS = {"basic.scc", "basic-options.scc", "basic.tmp", "basic-options.tmp"}

CASES = [
    *((f"basic.{EXTENSIONS[f]}", BASIC, f, {}) for f in EXTENSIONS),
    *((f"task.{EXTENSIONS[f]}", TASK, f, {}) for f in EXTENSIONS),
    *((f"empty.{EXTENSIONS[f]}", EMPTY, f, {}) for f in EXTENSIONS),
    *((f"basic-options.{EXTENSIONS[f]}", BASIC, f, OPTIONS[f]) for f in EXTENSIONS),
    *(
        (f"sample-{path.stem}.{EXTENSIONS[f]}", load(path), f, {})
        for path in sorted(SAMPLES.glob("*.json"))
        for f in EXTENSIONS
    ),
    ("task-paragraphs.txt", TASK, "txt", {"paragraph_gap_ms": 500, "timestamps": True}),
    ("task-options.scc", TASK, "scc", OPTIONS["scc"]),
    ("task-wrapped.txt", TASK, "txt", {"width": 40}),
]


CASES = [case for case in CASES if case[0] not in _PAST_24_HOURS]


@pytest.mark.parametrize(
    ("name", "transcript", "fmt", "options"), CASES, ids=[case[0] for case in CASES]
)
def test_golden(name: str, transcript: Transcript, fmt: str, options: dict[str, Any]) -> None:
    """The writer's output is byte for byte the reviewed golden file."""
    with warnings.catch_warnings():
        # BASIC's brace pair is written full-width in SRT, with a warning
        # (tests/test_writer_injection.py checks the warnings).
        warnings.simplefilter("ignore", WriterWarning)
        data = render(transcript, fmt, **options).encode("utf-8")
    path = GOLDEN / name
    if os.environ.get("GOLDEN_UPDATE") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {path}; run with GOLDEN_UPDATE=1"
    assert data == path.read_bytes()
