"""
Benchmark: the SBV writer and reader, µs per cue, against webvtt-py's SBV
reader (the reference; no field library writes SBV, so the writer is measured
against a hand-written floor) and a hand-written floor for each, same run,
garbage collector on, realistic text (five languages, half the cues on two
lines). Then the reader's growth on hostile shapes at n and 10n characters
(about 10 when linear). Not a pytest test::

    python3 benchmarks/sbv.py              # 100,000 cues
    python3 benchmarks/sbv.py --cues 20000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import webvtt  # noqa: E402
from _corpus import cue_text  # noqa: E402

from gcore_captions import Cue, Transcript  # noqa: E402
from gcore_captions.formats import sbv  # noqa: E402


def make_transcript(count: int, seed: int = 2026) -> Transcript:
    rng = random.Random(seed)
    cues = []
    start = 0
    for _ in range(count):
        start += rng.randint(200, 1500)
        duration = rng.randint(800, 6000)
        cues.append(Cue(start, start + duration, cue_text(rng)))
        start += duration
    return Transcript(tuple(cues))


def floor_write(transcript: Transcript) -> str:
    """The least a writer must do: two time stamps and the text per cue."""
    stamp = sbv.format_timestamp
    return "\n".join(f"{stamp(c.start_ms)},{stamp(c.end_ms)}\n{c.text}\n" for c in transcript.cues)


def floor_read(text: str) -> int:
    """The least a reader must do: split into blocks and the timing line's numbers."""
    count = 0
    for block in text.split("\n\n"):
        timing, _, _ = block.partition("\n")
        start, _, end = timing.partition(",")
        count += len(start.split(":")) + len(end.split(":"))
    return count


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


SHAPES: dict[str, Callable[[int], str]] = {
    "digit run as hours": lambda n: "9" * n + ":00:01.000,0:00:02.000\nA\n",
    "many broken blocks": lambda n: "0:00:0x.000,0:00:01.000\nA\n\n" * (n // 26),
    "one long text line": lambda n: "0:00:01.000,0:00:02.000\n" + "a " * (n // 2),
    "many tiny cues": lambda n: "0:00:01.000,0:00:02.000\na\n\n" * (n // 26),
    "blank lines only": lambda n: "\n" * n,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000, help="characters for the growth shapes")
    args = parser.parse_args()

    transcript = make_transcript(args.cues)
    text = sbv.render(transcript)
    with tempfile.NamedTemporaryFile("w", suffix=".sbv", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    per_cue = 1e6 / args.cues
    rows = {
        "write: ours (sbv.render)": best(lambda: sbv.render(transcript), args.repeat),
        "write: floor (f-string join)": best(lambda: floor_write(transcript), args.repeat),
        "read: ours (sbv.parse)": best(lambda: sbv.parse(text), args.repeat),
        "read: webvtt-py (webvtt.from_sbv)": best(lambda: webvtt.from_sbv(path), args.repeat),
        "read: floor (split only)": best(lambda: floor_read(text), args.repeat),
    }
    print(f"{args.cues:,} cues, {len(text) / 1e6:.1f} MB, best of {args.repeat}, GC on")
    for name, seconds in rows.items():
        print(f"  {name:36} {seconds * per_cue:7.2f} µs/cue")
    ours_read = rows["read: ours (sbv.parse)"]
    print(f"  read, ours / webvtt-py: {ours_read / rows['read: webvtt-py (webvtt.from_sbv)']:.2f}x")
    print(f"  read, ours / floor:     {ours_read / rows['read: floor (split only)']:.2f}x")
    write_ratio = rows["write: ours (sbv.render)"] / rows["write: floor (f-string join)"]
    print(f"  write, ours / floor:    {write_ratio:.2f}x")
    Path(path).unlink()

    print(f"\nreader growth, n = {args.n:,} and 10n characters")
    for name, shape in SHAPES.items():
        small_text, large_text = shape(args.n), shape(10 * args.n)
        small = best(lambda: sbv.parse(small_text), args.repeat)  # noqa: B023
        large = best(lambda: sbv.parse(large_text), args.repeat)  # noqa: B023
        print(f"  {name:24} {small * 1e3:8.2f} ms {large * 1e3:9.2f} ms   x{large / small:5.1f}")


if __name__ == "__main__":
    main()
