"""
Benchmark: loading 100,000-cue ``.srt`` and ``.ass`` files, against the
field's libraries, in the same run.

Writes the files once (realistic text from ``_corpus``: five languages,
mostly non-ASCII, about half the cues on two lines; times under 100 hours,
which pysubs2 cannot read past), then times, best of N, round-robin, with the
garbage collector ON (as a user's program runs):

- ``gcore_captions.load("x.srt")`` against ``srt.parse`` on the file's text
  (the list of subtitles built); target <= 0.8x;
- ``gcore_captions.load("x.ass")`` against ``pysubs2.load``; target <= 0.8x;
- the same SRT cues in a hand-made shape (``.`` before the milliseconds,
  trailing spaces), which the line-by-line reader reads instead of the fast
  path, for reference.

Not a pytest test::

    python3 benchmarks/read.py               # 100,000 cues
    python3 benchmarks/read.py --cues 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pysubs2
import srt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _corpus import cue_text  # noqa: E402

from gcore_captions import Cue, Transcript, load, render  # noqa: E402


def measure(jobs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """
    The fastest of ``repeat`` runs of each job, in seconds, round-robin so a
    burst of load elsewhere slows one run of every job, not all runs of one.
    The garbage collector stays on.
    """
    fastest = dict.fromkeys(jobs, float("inf"))
    for _ in range(repeat):
        for name, job in jobs.items():
            began = time.perf_counter()
            job()
            fastest[name] = min(fastest[name], time.perf_counter() - began)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2024)
    step = 3000
    transcript = Transcript(
        tuple(
            Cue(i * step, i * step + rng.randint(900, 2900), cue_text(rng))
            for i in range(args.cues)
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        srt_path = Path(folder) / "film.srt"
        ass_path = Path(folder) / "film.ass"
        odd_path = Path(folder) / "odd.srt"
        srt_text = render(transcript, "srt")
        srt_path.write_text(srt_text, encoding="utf-8")
        ass_path.write_text(render(transcript, "ass"), encoding="utf-8")
        odd = srt_text.replace(",", ".").replace("\n\n", " \n\n")
        odd_path.write_text(odd, encoding="utf-8")

        def srt_library() -> object:
            return list(srt.parse(srt_path.read_text(encoding="utf-8")))

        jobs: dict[str, Callable[[], object]] = {
            "ours .srt": lambda: load(srt_path),
            "srt.parse": srt_library,
            "ours .ass": lambda: load(ass_path),
            "pysubs2.load .ass": lambda: pysubs2.load(str(ass_path)),
            "ours .srt, hand-made shape": lambda: load(odd_path),
        }
        assert len(load(srt_path)) == len(load(ass_path)) == len(load(odd_path)) == args.cues
        t = measure(jobs, args.repeat)
    print(f"{args.cues:,} cues, best of {args.repeat}, garbage collector on")
    for name, seconds in t.items():
        print(f"  {name:30} {seconds:7.3f} s")
    for ours, theirs in (("ours .srt", "srt.parse"), ("ours .ass", "pysubs2.load .ass")):
        ratio = t[ours] / t[theirs]
        verdict = "ok" if ratio <= 0.8 else "MISSED"
        print(f"  {ours} / {theirs}: {ratio:.2f}x (target <= 0.8x) {verdict}")
    print(f"  hand-made shape / srt.parse: {t['ours .srt, hand-made shape'] / t['srt.parse']:.2f}x")


if __name__ == "__main__":
    main()
