"""
Benchmark: reading WebVTT, fast on real files and linear on hostile ones.

1. speed: ``loads(text, "vtt")`` (lenient, the default) and ``strict=True``
   against ``webvtt.read`` (webvtt-py) on the same 100,000-cue file, written
   to disk once; two files: Gcore's own ``vttContent`` of a realistic task
   (:mod:`_corpus` text, five languages) and the same cues with voice tags,
   italics and entities. Same run, garbage collector on, best of N, CPU time
   (``time.process_time``: on a shared machine other processes then disturb
   the ratio less). Target: ours <= 0.3x ``webvtt.read`` on the plain file.
2. growth: for each hostile shape (long digit runs in time stamps, many
   unclosed ``<`` tags, very long lines...), ``parse`` at n and 10n
   characters, lenient and strict; the ratio is about 10 when linear. Times
   are CPU time (``time.process_time``), so other processes on a shared
   machine disturb the ratios less.

Not a pytest test::

    python3 benchmarks/vtt_reader.py                  # 100,000 cues, n = 100,000
    python3 benchmarks/vtt_reader.py --cues 20000 --n 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import webvtt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from convert import make_task  # noqa: E402

from gcore_captions import loads  # noqa: E402
from gcore_captions.errors import GcoreCaptionsError  # noqa: E402
from gcore_captions.formats import vtt as vtt_format  # noqa: E402

TARGET = 0.3
HEAD = "WEBVTT\n\n"
CUE = "00:00:01.000 --> 00:00:02.000\n"

SHAPES: dict[str, Callable[[int], str]] = {
    "digit run in a time stamp": lambda n: HEAD + "0" * n + ":00.000 --> 00:01.000\nx\n",
    "digit run in a fraction": lambda n: HEAD + "00:00." + "1" * n + " --> 00:01.000\nx\n",
    "digit run as a text line": lambda n: HEAD + CUE + "1" * n + "\n",
    "many timing-like lines": lambda n: HEAD + "00:00.000 --> 00:01.000\n" * (n // 24),
    "many repaired timings": lambda n: HEAD + "00:00 --> 00:01\nx\n\n" * (n // 18),
    "many invalid timings": lambda n: HEAD + "0 --> 1\nx\n\n" * (n // 10),
    "many stray blocks": lambda n: HEAD + "x\n\n" * (n // 3),
    "many unclosed <": lambda n: HEAD + CUE + "<" * n,
    "many unclosed <b": lambda n: HEAD + CUE + "<b " * (n // 3),
    "many open tags": lambda n: HEAD + CUE + "<i>" * (n // 3),
    "entity-like run": lambda n: HEAD + CUE + "&amp" * (n // 4),
    "one long line": lambda n: HEAD + CUE + "word " * (n // 5),
    "arrows in one line": lambda n: HEAD + "-->" * (n // 3),
    "colons in a stamp": lambda n: HEAD + "0:" * (n // 2) + "0 --> 1\nx\n",
    "no signature, stray lines": lambda n: "x\n" * (n // 2),
}


def best(
    run: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of ``repeat`` runs, in seconds (typed errors count as a run)."""
    times = []
    for _ in range(repeat):
        began = clock()
        with contextlib.suppress(GcoreCaptionsError):
            run()
        times.append(clock() - began)
    return min(times)


def _marked_up(text: str) -> str:
    # Every other cue gets a voice, italics and an entity, as styled files do.
    out = []
    for number, block in enumerate(text.split("\n\n")):
        lines = block.split("\n")
        if number % 2 and len(lines) >= 3:
            lines[2] = f"<v Speaker {number % 7}><i>{lines[2]}</i> &amp; more"
        out.append("\n".join(lines))
    return "\n\n".join(out)


def main() -> None:
    """Run both parts and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cues", type=int, default=100_000, help="cues in the file (100,000)")
    parser.add_argument("--n", type=int, default=100_000, help="characters of a hostile input")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip", choices=("speed", "growth"), action="append", default=[])
    args = parser.parse_args()

    if "speed" not in args.skip:
        plain = make_task(args.cues)["result"]["vttContent"]
        styled = _marked_up(plain)
        with tempfile.TemporaryDirectory() as folder:
            for label, text in (("plain", plain), ("styled", styled)):
                path = Path(folder) / f"{label}.vtt"
                path.write_text(text, encoding="utf-8")
                jobs: dict[str, Callable[[], object]] = {
                    "webvtt.read": lambda p=path: webvtt.read(str(p)),
                    "loads (lenient)": lambda t=text: loads(t, "vtt"),
                    "parse strict=True": lambda t=text: vtt_format.parse(t, strict=True),
                }
                fastest = dict.fromkeys(jobs, float("inf"))
                for _ in range(args.repeat):  # round-robin: a load burst hits all jobs
                    for name, job in jobs.items():
                        fastest[name] = min(fastest[name], best(job, 1, time.process_time))
                reference = fastest["webvtt.read"]
                print(f"{label}: {args.cues:,} cues, {len(text) / 1e6:.1f} MB")
                for name, seconds in fastest.items():
                    ratio = seconds / reference
                    print(f"  {name:20} {seconds / args.cues * 1e6:7.2f} µs/cue  {ratio:5.2f}x")
                if label == "plain":
                    ok = fastest["loads (lenient)"] <= TARGET * reference
                    print(f"  {'PASS' if ok else 'MISS'}  lenient load <= {TARGET}x webvtt.read")

    if "growth" not in args.skip:
        n = args.n
        print(f"\n{'shape':28} {'mode':8} {'n':>9} {'10n':>9} {'ratio':>6}")
        for name, make in SHAPES.items():
            small, large = make(n), make(10 * n)
            for strict in (False, True):
                cpu = time.process_time
                t1 = best(lambda t=small, s=strict: vtt_format.parse(t, strict=s), args.repeat, cpu)
                t10 = best(
                    lambda t=large, s=strict: vtt_format.parse(t, strict=s), args.repeat, cpu
                )
                mode = "strict" if strict else "lenient"
                print(f"{name:28} {mode:8} {t1:8.4f}s {t10:8.4f}s {t10 / max(t1, 1e-9):6.1f}")


if __name__ == "__main__":
    main()
