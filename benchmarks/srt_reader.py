"""
Benchmark: the SRT reader is linear in its input.

For each hostile shape (the long digit runs and unclosed markup that made
the ``srt`` library's pattern backtrack), times ``formats.srt.parse`` at n
and 10n characters and prints the ratio (about 10 when linear, 100 when
quadratic); then reads a well-formed file of many cues. With ``--old`` it
also times the reader we replaced (a copy in tests/_srt_legacy.py) at a
small n, where it is already slow. Best of N with ``time.perf_counter``.
Not a pytest test::

    python3 benchmarks/srt_reader.py                 # n = 100,000 characters
    python3 benchmarks/srt_reader.py --n 20000 --old
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from gcore_captions import Cue, FormatError, Transcript  # noqa: E402
from gcore_captions.formats import srt as srt_format  # noqa: E402

WJ = "\u2060"
CUE = "1\n00:00:01,000 --> 00:00:02,000\n"

SHAPES: dict[str, Callable[[int], str]] = {
    "number line + digit run": lambda n: "1\n" + "0" * n,
    "digit run in a timing line": lambda n: "1\n" + "0" * n + ":0:0 --> 0:0:0\nx",
    "digit-only text lines": lambda n: CUE + "1\n" * (n // 2),
    "number and blank lines": lambda n: CUE + "x\n" + "1\n\n" * (n // 3),
    "unclosed <i": lambda n: CUE + "<i " * (n // 3),
    "unclosed {\\": lambda n: CUE + "{\\" * (n // 2),
    "digits before a joiner": lambda n: CUE + "1" * n + "x" + WJ + "\n12:00:00 x\n",
}


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        with contextlib.suppress(FormatError):
            run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="characters (default 100,000)")
    parser.add_argument("--cues", type=int, default=100_000, help="cues in the well-formed file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", action="store_true", help="also time the old reader at n=400")
    args = parser.parse_args()
    n, repeat = args.n, args.repeat

    print(f"{'shape':30} {'n':>10} {'10n':>10} {'ratio':>6}")
    for name, make in SHAPES.items():
        small, large = make(n), make(10 * n)
        t1 = best(lambda text=small: srt_format.parse(text), repeat)
        t10 = best(lambda text=large: srt_format.parse(text), repeat)
        print(f"{name:30} {t1:9.4f}s {t10:9.4f}s {t10 / max(t1, 1e-9):6.1f}")

    cues = tuple(
        Cue(i * 2000, i * 2000 + 1500, f"line {i} of the film\nand its second line")
        for i in range(args.cues)
    )
    text = srt_format.render(Transcript(cues))
    ours = best(lambda: srt_format.parse(text), repeat)
    print(f"\n{args.cues:,} well-formed cues ({len(text):,} characters): {ours:.3f}s")

    if args.old:
        import _srt_legacy

        old = best(lambda: _srt_legacy.parse(text), repeat)
        print(f"  old srt-pattern reader: {old:.3f}s")
        for size in (200, 400):
            hostile = "1\n" + "0" * size
            took = best(lambda text=hostile: _srt_legacy.parse(text), 1)
            print(f"  old reader, '1\\n' + {size} zeros: {took:.3f}s")


if __name__ == "__main__":
    main()
