"""
Batch export benchmark: wall time against the latency floor, and peak memory
as the number of tasks grows.

The fake Gcore API runs in this process with a fixed latency per request;
each export runs in a fresh subprocess (so its memory figures are its own):

* ``time``: wall time of ``export_many`` and the process's peak RSS
  (``VmHWM`` on Linux), before the export (after imports) and after it.
* ``tracemalloc``: the peak of Python allocations traced during the export
  (a second run, because tracing slows Python down).

Floor = tasks x latency / concurrency: the time the requests alone need when
``concurrency`` of them are always in flight. Targets: wall time within
1.3 x the floor; peak memory for the largest size within 20 % of that for
the smallest.

Usage::

    python3 benchmarks/batch.py                    # 1,000 and 10,000 tasks
    python3 benchmarks/batch.py --sizes 1000 --latency 0.05 --concurrency 16
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TIME_TARGET = 1.3
MEMORY_TARGET = 1.2


def _task_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def peak_rss() -> int:
    """
    This process's peak resident memory in bytes.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss``
    would not do, because Linux carries it over from the forked parent
    across ``exec``, so the child would report the parent's (the fake
    server's) memory.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def child(mode: str, size: int, concurrency: int, out: str, formats: list[str]) -> None:
    """
    Run one export against the server named by GCORE_BASE_URL and print its
    figures as one JSON line.
    """
    # Import everything the export uses before measuring the baseline.
    from gcore_captions import gcore, task  # noqa: F401
    from gcore_captions.batch import ExportOptions, export_many
    from gcore_captions.formats import FORMATS  # noqa: F401
    from gcore_captions.output import OutputSpec

    ids = (_task_id(n) for n in range(size))  # streamed, never a list
    result: dict[str, Any] = {"mode": mode, "size": size}
    if mode == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        report = export_many(
            ids, out, OutputSpec.parse(formats), options=ExportOptions(concurrency=concurrency)
        )
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result.update(traced_peak=peak, traced_end=current)
    else:
        before = peak_rss()
        started = time.perf_counter()
        report = export_many(
            ids, out, OutputSpec.parse(formats), options=ExportOptions(concurrency=concurrency)
        )
        result["wall"] = time.perf_counter() - started
        after = peak_rss()
        result.update(rss_before=before, rss_peak=after)
    result.update(written=report.written, failed=report.failed)
    print(json.dumps(result))


def run_child(mode: str, size: int, args: argparse.Namespace, env: dict[str, str]) -> Any:
    with tempfile.TemporaryDirectory(prefix="gcore-batch-bench-") as out:
        command = [sys.executable, __file__, "--child", mode, "--sizes", str(size)]
        command += ["--concurrency", str(args.concurrency), "--out", out, "--to", args.to]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"benchmark child failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def mib(value: float) -> str:
    return f"{value / 2**20:7.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="task counts, comma-separated")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--to", default="srt", help="formats, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size")
    parser.add_argument("--child", choices=("time", "tracemalloc"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        child(args.child, sizes[0], args.concurrency, args.out, args.to.split(","))
        return

    from gcore_captions.testing import FakeGcoreAPI, make_tasks

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"batch export: latency {args.latency * 1000:.0f} ms/request, concurrency"
        f" {args.concurrency}, formats {args.to}, Python {sys.version.split()[0]},"
        f" {os.cpu_count()} CPUs, load average {load:.1f} at start"
    )
    rows = []
    for size in sizes:
        with FakeGcoreAPI(make_tasks(size), latency=args.latency) as api:
            env = {**os.environ, **api.env, "PYTHONPATH": str(ROOT / "src")}
            runs = [run_child("time", size, args, env) for _ in range(args.repeat)]
            traced = run_child("tracemalloc", size, args, env)
        assert all(run["written"] == size for run in runs), runs
        floor = size * args.latency / args.concurrency
        walls = sorted(run["wall"] for run in runs)
        median = walls[len(walls) // 2]
        before = max(run["rss_before"] for run in runs)
        peak = max(run["rss_peak"] for run in runs)
        rows.append((size, median / floor, peak, traced["traced_peak"]))
        print(
            f"{size:>6} tasks: wall {median:6.2f} s median of {len(walls)} (best"
            f" {walls[0]:.2f} s), floor {floor:6.2f} s, ratio {median / floor:.2f}"
            f" (best {walls[0] / floor:.2f})"
        )
        print(
            f"{'':>6}        peak RSS {mib(peak)} ({mib(before).strip()} after imports),"
            f" traced peak {mib(traced['traced_peak'])}"
        )
    worst = max(ratio for _, ratio, _, _ in rows)
    verdict = "met" if worst <= TIME_TARGET else "NOT met"
    print(f"time: worst median ratio to floor {worst:.2f}, target <= {TIME_TARGET}: {verdict}")
    if len(rows) > 1:
        (small, _, rss_small, traced_small), (large, _, rss_large, traced_large) = rows[0], rows[-1]
        rss, traced = rss_large / rss_small, traced_large / traced_small
        verdict = "met" if max(rss, traced) <= MEMORY_TARGET else "NOT met"
        print(
            f"memory: {large} vs {small} tasks: peak RSS x{rss:.3f}, traced peak x{traced:.3f},"
            f" target <= x{MEMORY_TARGET}: {verdict}"
        )


if __name__ == "__main__":
    main()
