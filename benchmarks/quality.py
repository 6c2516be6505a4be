"""
Benchmark: every quality pass with the ``netflix`` preset, and ``check``
alone, on 100,000 cues shaped like speech-recognition output, in five languages
(one transcript each), mostly non-ASCII, about half on two lines.

Run: ``python3 benchmarks/quality.py [CUES]``. Prints microseconds per cue;
the target for all passes together is 15 µs per cue.
"""

from __future__ import annotations

import random
import statistics
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _corpus import LANGUAGES, sentence, two_lines

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import PASS_NAMES, apply_preset, check, get_preset
from gcore_captions.quality.layout import layout_text


def build(count: int, seed: int = 7, language: str = "eng", realistic: bool = True) -> Transcript:
    """
    ``count`` cues of sentence-length text in ``language`` (4 to 16 words,
    about 60 characters on average, like the Gcore sample task; realistic:
    on two lines when longer than 42 characters), about 0.3 s per word with
    5 % lasting 7 to 10 s, separated by 0.1 to 0.8 s; about 3 % overlap the
    next cue and 3 % are shorter than half a second.
    """
    rng = random.Random(seed)
    cues = []
    start = 0
    for _ in range(count):
        words = rng.randint(4, 16)
        text = sentence(rng, language, words)
        if realistic:
            text = two_lines(text)
        roll = rng.random()
        if roll < 0.03:
            duration = rng.randint(150, 450)
        elif roll < 0.08:
            duration = rng.randint(7000, 10000)
        else:
            duration = int(words * rng.uniform(250, 380))
        cues.append(Cue(start, start + duration, text))
        gap = rng.randint(100, 800)
        if rng.random() < 0.03:
            gap = -rng.randint(50, 600)  # overlaps the next cue
        start = max(0, start + duration + gap)
    return Transcript(tuple(cues), language=language, source="subtitles")


def _time(label: str, jobs: list[Callable[[], object]], count: int, repeat: int = 5) -> float:
    # CPU time of this process (the machine may be shared, and wall-clock
    # time would then measure the neighbours too), all jobs per run, with the
    # garbage collector on; prints min / median / max, returns the median.
    runs = []
    for _ in range(repeat):
        began = time.process_time()
        for job in jobs:
            job()
        runs.append((time.process_time() - began) * 1e6 / count)
    low, mid, high = min(runs), statistics.median(runs), max(runs)
    print(f"{label:<32} {low:7.2f} / {mid:7.2f} / {high:7.2f} µs/cue")
    return mid


def main() -> None:
    """
    Build the transcripts, time every pass alone, all passes, and check.
    """
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    share = max(count // len(LANGUAGES), 1)
    count = share * len(LANGUAGES)
    # One transcript per language (a task has one), each with its preset.
    tracks = [build(share, seed=7 + i, language=lang) for i, lang in enumerate(LANGUAGES)]
    presets = [get_preset("netflix", lang) for lang in LANGUAGES]
    pairs = list(zip(tracks, presets, strict=True))
    texts = [cue.text for track in tracks for cue in track.cues]
    mean = sum(map(len, texts)) / max(count, 1)
    two = sum("\n" in text for text in texts) / max(count, 1)
    ascii_share = sum(text.isascii() for text in texts) / max(count, 1)
    print(
        f"{count:,} cues in {', '.join(LANGUAGES)} ({mean:.0f} characters on average,"
        f" {two:.0%} on two lines, {ascii_share:.0%} all ASCII), preset netflix;"
    )
    print("CPU time, 5 runs, GC on: min / median / max")
    for name in PASS_NAMES:
        _time(
            f"  pass {name}",
            [lambda t=t, p=p, n=name: apply_preset(t, p, only={n}) for t, p in pairs],
            count,
        )
    total = _time(
        "all passes (apply_preset)", [lambda t=t, p=p: apply_preset(t, p) for t, p in pairs], count
    )
    easy = build(count, language="eng", realistic=False)
    easy_preset = get_preset("netflix", "eng")
    _time("  same, English on one line", [lambda: apply_preset(easy, easy_preset)], count)
    # Reference: the standard library's greedy wrapper on the same texts,
    # which only breaks lines (no balance, no timing, no change records).
    _time("reference: textwrap.wrap(42)", [lambda: [textwrap.wrap(t, 42) for t in texts]], count)
    _time(
        "our layout alone (42)",
        [lambda t=t: [layout_text(c.text, 42, t.language) for c in t.cues] for t in tracks],
        count,
    )
    _time("check (raw transcripts)", [lambda t=t, p=p: check(t, p) for t, p in pairs], count)
    fixed = [(apply_preset(t, p), p) for t, p in pairs]
    _time("check (after the passes)", [lambda t=t, p=p: check(t, p) for t, p in fixed], count)
    cues_after = sum(len(t) for t, _ in fixed)
    changes = sum(len(t.changes) for t, _ in fixed)
    before = sum(check(t, p).pass_rate * len(t) for t, p in pairs) / count
    after = sum(check(t, p).pass_rate * len(t) for t, p in fixed) / cues_after
    print(f"cues {count} -> {cues_after}, changes {changes}; passing {before:.1%} -> {after:.1%}")
    verdict = "met" if total <= 15 else "NOT met"
    print(f"target 15 µs/cue for all passes: {verdict} ({total:.2f} µs/cue, median)")


if __name__ == "__main__":
    main()
