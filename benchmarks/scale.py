"""
Benchmark: speed and memory that hold at scale.

Four measurements, each against references measured in the same run, on the
realistic text of :mod:`_corpus` (five languages, mostly non-ASCII, about half
the cues on two lines), with the garbage collector ON as in real programs,
printing min / median / max of the runs:

1. growth: task JSON -> SRT (``parse_task`` + ``render(..., "srt")``) in
   microseconds per cue at 10,000, 300,000 and 1,000,000 cues, against the
   hand-written floor of ``convert.py``. Target: our cost per cue grows from
   the smallest size to each larger one by no more than 10 % beyond what the
   floor's grows. Runs alternate between the jobs and nothing forces a
   collection between them, so collections that one run leaves pending are
   paid by a later run, as they are in a program that converts many tasks;
   the share of time spent in cyclic garbage collection is printed too.
2. memory: the peak of traced allocations (``tracemalloc``) of task JSON ->
   SRT, against ``pysubs2`` doing the same job (``SSAFile`` from the same
   cues, ``to_string("srt")``); and the JSON writer's peak against the size
   of the text it returns. Targets: ours <= pysubs2; JSON <= 2x its text.
3. start-up, in fresh subprocesses: ``import gcore_captions`` against
   ``import pysubs2`` (target: no slower), the first import a user writes
   (``from gcore_captions import parse_task, render``) for information, and
   ``gcore-captions --version`` against ``pysubs2 --help`` as whole processes
   (target: within 1.5x).

Not a pytest test::

    python3 benchmarks/scale.py                       # everything
    python3 benchmarks/scale.py --sizes 10000 300000 --repeat 5 --skip memory
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from convert import floor_srt, make_task, with_pysubs2

from gcore_captions import render
from gcore_captions.task import parse_task

ROOT = Path(__file__).resolve().parents[1]
GROWTH_TARGET = 1.10
CLI_TARGET = 1.5
JSON_MEMORY_TARGET = 2.0


def spread(values: Sequence[float], unit: str = "", digits: int = 3) -> str:
    """``min / median / max`` of ``values``."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:.{digits}f} / {mid:.{digits}f} / {high:.{digits}f}{unit}"


class _GCClock:
    """Seconds spent inside cyclic garbage collections, via ``gc.callbacks``."""

    def __init__(self) -> None:
        self.total = 0.0
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._began


def ours_srt(raw: str) -> str:
    return render(parse_task(raw), "srt")


# --- 1. growth ---------------------------------------------------------------------------


def growth(sizes: Sequence[int], repeat: int) -> list[tuple[str, str, bool]]:
    """Print µs per cue per size and job; return the target rows."""
    if not gc.isenabled():
        raise SystemExit("run with the garbage collector on")
    clock = _GCClock()
    gc.callbacks.append(clock)
    jobs: dict[str, Callable[[str], object]] = {"floor": floor_srt, "ours": ours_srt}
    medians: dict[tuple[str, int], float] = {}
    print(f"\n1. task JSON -> SRT, µs per cue, GC on, {repeat} runs: min / median / max")
    try:
        for n in sizes:
            raw = json.dumps(make_task(n), ensure_ascii=False)
            times: dict[str, list[float]] = {name: [] for name in jobs}
            in_gc: dict[str, float] = dict.fromkeys(jobs, 0.0)
            gc.collect()
            for _ in range(repeat):
                for name, job in jobs.items():
                    clock.total = 0.0
                    began = time.perf_counter()
                    result = job(raw)
                    elapsed = time.perf_counter() - began
                    del result
                    times[name].append(elapsed / n * 1e6)
                    in_gc[name] += clock.total / elapsed / repeat
            del raw
            for name in jobs:
                medians[name, n] = statistics.median(times[name])
                print(
                    f"  {n:>9,} cues  {name:<6} {spread(times[name])}"
                    f"   (cyclic GC {in_gc[name]:.0%} of the time)"
                )
    finally:
        gc.callbacks.remove(clock)
    rows = []
    base = sizes[0]
    for n in sizes[1:]:
        ours = medians["ours", n] / medians["ours", base]
        floor = medians["floor", n] / medians["floor", base]
        rows.append(
            (
                f"growth {base:,} -> {n:,} cues vs floor's",
                f"ours x{ours:.2f}, floor x{floor:.2f}: {ours / floor:.2f}"
                f" (target <= {GROWTH_TARGET})",
                ours / floor <= GROWTH_TARGET,
            )
        )
    return rows


# --- 2. memory ---------------------------------------------------------------------------


def _peak(job: Callable[[], object]) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    try:
        result = job()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def memory(cues: int) -> list[tuple[str, str, bool]]:
    """Print peak traced memory per job; return the target rows."""
    raw = json.dumps(make_task(cues), ensure_ascii=False)
    pysubs2_srt = with_pysubs2("srt")
    ours, _ = _peak(lambda: ours_srt(raw))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, _ = _peak(lambda: pysubs2_srt(raw))
    floor, _ = _peak(lambda: floor_srt(raw))
    transcript = parse_task(raw)
    json_peak, text = _peak(lambda: render(transcript, "json"))
    text_size = sys.getsizeof(text)
    mb = 1 / 1e6
    print(f"\n2. peak traced memory (tracemalloc), {cues:,} cues, task JSON {len(raw) * mb:.0f} MB")
    print(f"  task JSON -> SRT, ours             {ours * mb:8.1f} MB")
    print(f"  task JSON -> SRT, pysubs2          {theirs * mb:8.1f} MB")
    print(f"  task JSON -> SRT, hand-written     {floor * mb:8.1f} MB")
    print(f"  render json: text returned         {text_size * mb:8.1f} MB")
    print(f"  render json: peak                  {json_peak * mb:8.1f} MB")
    return [
        (
            "task -> SRT peak vs pysubs2",
            f"{ours / theirs:.2f}x (target <= 1x)",
            ours <= theirs,
        ),
        (
            "render json peak vs its text",
            f"{json_peak / text_size:.2f}x (target <= {JSON_MEMORY_TARGET}x)",
            json_peak <= JSON_MEMORY_TARGET * text_size,
        ),
    ]


# --- 3. start-up --------------------------------------------------------------------------

_IMPORT = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"


def _in_subprocess(code: str, args: Sequence[str] = (), timed_inside: bool = True) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-c", code, *args]
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - began
    return float(done.stdout.split()[-1]) if timed_inside else elapsed


def startup(repeat: int) -> list[tuple[str, str, bool]]:
    """Print import and command start-up times; return the target rows."""
    imports = {
        "import gcore_captions": "import gcore_captions",
        "import pysubs2": "import pysubs2",
        "from gcore_captions import parse_task, render": (
            "from gcore_captions import parse_task, render"
        ),
    }
    commands = {
        "gcore-captions --version": (
            "import sys; from gcore_captions.cli import main; sys.exit(main())",
            ["--version"],
        ),
        "pysubs2 --help": (
            "import sys; from pysubs2.cli import __main__; sys.exit(__main__())",
            ["--help"],
        ),
        "python3 -c pass": ("pass", []),
    }
    imported: dict[str, list[float]] = {name: [] for name in imports}
    ran: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):  # alternating, so load from elsewhere hits all alike
        for name, statement in imports.items():
            imported[name].append(_in_subprocess(_IMPORT.format(statement)) * 1e3)
        for name, (code, args) in commands.items():
            ran[name].append(_in_subprocess(code, args, timed_inside=False) * 1e3)
    print(f"\n3. start-up in fresh processes, ms, {repeat} runs: min / median / max")
    for name, values in imported.items():
        print(f"  {name:<48}{spread(values, ' ms', 1)}")
    for name, values in ran.items():
        print(f"  {name + ' (whole process)':<48}{spread(values, ' ms', 1)}")
    ours = statistics.median(imported["import gcore_captions"])
    theirs = statistics.median(imported["import pysubs2"])
    cli = statistics.median(ran["gcore-captions --version"])
    ref = statistics.median(ran["pysubs2 --help"])
    return [
        ("import vs import pysubs2", f"{ours / theirs:.2f}x (target <= 1x)", ours <= theirs),
        (
            "--version vs pysubs2 --help",
            f"{cli / ref:.2f}x (target <= {CLI_TARGET}x)",
            cli <= CLI_TARGET * ref,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 300_000, 1_000_000], help="cues"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per size (5)")
    parser.add_argument("--memory-cues", type=int, default=100_000, help="cues (100000)")
    parser.add_argument("--startup-repeat", type=int, default=15, help="processes (15)")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["growth", "memory", "startup"], help="parts"
    )
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, bool]] = []
    if "growth" not in args.skip:
        rows += growth(args.sizes, args.repeat)
    if "memory" not in args.skip:
        rows += memory(args.memory_cues)
    if "startup" not in args.skip:
        rows += startup(args.startup_repeat)
    print("\ntargets")
    for name, figure, ok in rows:
        print(f"  {'PASS' if ok else 'MISS'}  {name:<40}{figure}")
    return 0 if all(ok for _, _, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
