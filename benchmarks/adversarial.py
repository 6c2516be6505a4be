"""
Benchmark: every reader stays linear on adversarial input.

For each reader (SRT, WebVTT, ASS, aligned JSON, Gcore task payloads, and
``loads`` with format sniffing) and each hostile shape (long digit runs,
many unclosed ``<`` and ``{``, many repeated cues for the
subtitles/vttContent alignment, deep JSON, very long lines, many tiny cues,
runs of blank lines), times the read at n and 10n characters and prints the
growth ratio: about 10 when linear, 100 when quadratic. Beside it, the same
ratio for a hand-written floor over the same text (``str.splitlines``), so a
ratio above 10 that the floor shares is the machine (caches, allocation),
not the reader. Best of N runs with ``time.perf_counter``, the garbage
collector on (as in real programs), everything in the same run. A reader
may raise its typed error on a shape (that is the point of most of them);
it is timed all the same. A shape already slow at n is tried at 2n first,
and when that takes more than 3x as long it is reported SUPER-LINEAR and
10n is skipped (``--force`` times it anyway). Not a pytest test::

    python3 benchmarks/adversarial.py                  # n = 50,000 characters
    python3 benchmarks/adversarial.py --n 20000 --repeat 5 --only task srt
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gcore_captions import GcoreCaptionsError, loads, parse_task  # noqa: E402
from gcore_captions.formats import ass, microdvd, mpl2, sami, sbv, scc, srt, tmp, ttml, vtt  # noqa: E402
from gcore_captions.formats import json as json_format  # noqa: E402

Make = Callable[[int], str]

TTML_HEAD = '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div><p begin="1s" end="2s">'
TTML_TAIL = "</p></div></body></tt>"

SRT_CUE = "1\n00:00:01,000 --> 00:00:02,000\n"
VTT_CUE = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
ASS_HEAD = (
    "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)
ASS_LINE = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,"


def _fill(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


def _tiny_cues(template: str, n: int) -> str:
    # Cues with one-letter text, numbered and timed one after another.
    parts, size, i = [], 0, 0
    while size < n:
        seconds, millis = divmod(i, 1000)
        minutes, seconds = divmod(seconds, 60)
        part = template.format(n=i + 1, m=minutes % 60, s=seconds, f=millis, h=minutes // 60)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)


def _task(subtitles: list[dict[str, str]], vtt_content: str | None = None) -> str:
    result: dict[str, object] = {"subtitles": subtitles}
    if vtt_content is not None:
        result["vttContent"] = vtt_content
    return json.dumps({"task_id": "t", "status": "SUCCESS", "result": result})


def _repeated_cues(n: int) -> str:
    # The same cue again and again, one missing from vttContent: the
    # alignment of the two lists (difflib's matcher was quadratic here).
    cue = {"start_time": "00:00:01.000", "end_time": "00:00:02.000", "text": "Again."}
    count = max(2, n // 80)
    blocks = "".join(f"{i}\n00:00:01.000 --> 00:00:02.000\nAgain.\n\n" for i in range(1, count))
    return _task([cue] * count, "WEBVTT\n\n" + blocks)


def _shifted_cues(n: int) -> str:
    # Every vttContent time 1 ms later and one cue missing: nothing anchors.
    count = max(2, n // 80)
    subtitles, blocks = [], []
    for i in range(count):
        at = f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
        start, end = f"{at}.000", f"{at}.500"
        subtitles.append({"start_time": start, "end_time": end, "text": f"Cue {i}."})
        if i:
            blocks.append(f"{at}.001 --> {at}.501\nCue {i}.\n\n")
    return _task(subtitles, "WEBVTT\n\n" + "".join(blocks))


def _tiny_task(n: int) -> str:
    stamp = "00:00:{:02d}.{:03d}"
    subtitles = [
        {"start_time": stamp.format(i % 60, i % 1000), "end_time": "01:00:00.000", "text": "a"}
        for i in range(max(1, n // 70))
    ]
    return _task(subtitles)


def _one_stamp(start: str, text: str = "a") -> str:
    return _task([{"start_time": start, "end_time": "0:00:01.000", "text": text}])


def _surrogates(n: int) -> str:
    # Escaped lone surrogates: JSON decodes them, the careful walk replaces them.
    return _one_stamp("0:00:00.000", "SUR" * (n // 6)).replace("SUR", "\\ud800")


def _aligned(cues: int, text: str = "a") -> str:
    records = [{"index": i + 1, "start_ms": i, "end_ms": i + 1, "text": text} for i in range(cues)]
    return json.dumps({"schema": json_format.SCHEMA, "version": 1, "cues": records})


def _srt_tiny(n: int) -> str:
    return _tiny_cues("{n}\n{h:02d}:{m:02d}:{s:02d},{f:03d} --> 99:00:00,000\na\n\n", n)


def _vtt_tiny(n: int) -> str:
    return "WEBVTT\n\n" + _tiny_cues("{h:02d}:{m:02d}:{s:02d}.{f:03d} --> 99:00:00.000\na\n\n", n)


def _ass_tiny(n: int) -> str:
    line = "Dialogue: 0,{h}:{m:02d}:{s:02d}.{f:02.0f},9:00:00.00,Default,,0,0,0,,a\n"
    return ASS_HEAD + _tiny_cues(line, n)


SHAPES: dict[str, dict[str, Make]] = {
    "srt": {
        "digit run after a number line": lambda n: "1\n" + "0" * n,
        "digit run in a timing line": lambda n: "1\n" + "0" * n + ":0:0,0 --> 0:0:1,0\nx\n",
        "digit-only text lines": lambda n: SRT_CUE + _fill("1\n", n),
        "unclosed <i": lambda n: SRT_CUE + _fill("<i ", n),
        "unclosed {\\": lambda n: SRT_CUE + _fill("{\\", n),
        "one very long line": lambda n: SRT_CUE + "x" * n,
        "runs of blank lines": lambda n: SRT_CUE + "x\n" + "\n" * n + "y",
        "arrows in text": lambda n: SRT_CUE + _fill("--> ", n),
        "many tiny cues": _srt_tiny,
    },
    "vtt": {
        "digit run in a timing line": lambda n: f"WEBVTT\n\n{'0' * n}:00.000 --> 1:00.000\nx\n",
        "unclosed <c.": lambda n: VTT_CUE + _fill("<c.a", n),
        "unclosed <v": lambda n: VTT_CUE + _fill("<v ", n),
        "unclosed &": lambda n: VTT_CUE + _fill("&amp", n),
        "one very long line": lambda n: VTT_CUE + "x" * n,
        "runs of blank lines": lambda n: VTT_CUE + "x" + "\n" * n + "y",
        "arrows in text": lambda n: VTT_CUE + _fill("--> ", n),
        "many tiny cues": _vtt_tiny,
    },
    "ass": {
        "digit run in Start": lambda n: f"{ASS_HEAD}Dialogue: 0,{'0' * n}:00:01.00,0:00:02.00,,x\n",
        "unclosed {\\": lambda n: ASS_HEAD + ASS_LINE + _fill("{\\", n) + "\n",
        "unclosed {": lambda n: ASS_HEAD + ASS_LINE + _fill("{", n) + "\n",
        "many commas": lambda n: ASS_HEAD + ASS_LINE + "," * n + "\n",
        "one very long line": lambda n: ASS_HEAD + ASS_LINE + "x" * n + "\n",
        "many tiny cues": _ass_tiny,
    },
    "json": {
        "deep nesting": lambda n: "[" * n + "]" * n,
        "deep nesting, unclosed": lambda n: "[" * n,
        "long digit run": lambda n: f'{{"schema": "{json_format.SCHEMA}", "version": {"9" * n}}}',
        "NaN after a long document": lambda n: _aligned(max(1, n // 80))[:-1] + ', "x": NaN}',
        "one very long text": lambda n: _aligned(1, "x" * n),
        "many tiny cues": lambda n: _aligned(max(1, n // 80)),
    },
    "task": {
        "repeated cues, one missing": _repeated_cues,
        "all times moved, one missing": _shifted_cues,
        "deep nesting": lambda n: '{"result": ' + "[" * n + "]" * n + "}",
        "digit run in a stamp": lambda n: _one_stamp("9" * n + ":00:00.000"),
        "long fraction in a stamp": lambda n: _one_stamp("0:00:00." + "9" * n),
        "lone surrogates in text": _surrogates,
        "many tiny cues": _tiny_task,
    },
    "sbv": {
        "digit run as hours": lambda n: "9" * n + ":00:01.000,0:00:02.000\nA\n",
        "many broken blocks": lambda n: _fill("0:00:0x.000,0:00:01.000\nA\n\n", n),
        "many tiny cues": lambda n: _fill("0:00:01.000,0:00:02.000\na\n\n", n),
    },
    "ttml": {
        "deep span nesting": lambda n: (
            TTML_HEAD + "<span>" * (n // 13) + "x" + "</span>" * (n // 13) + TTML_TAIL
        ),
        "one very long text": lambda n: TTML_HEAD + "x" * n + TTML_TAIL,
        "many tiny paragraphs": lambda n: (
            TTML_HEAD.removesuffix('<p begin="1s" end="2s">')
            + _fill('<p begin="1s" end="2s">a</p>', n)
            + "</div></body></tt>"
        ),
    },
    "scc": {
        "digit run in a time code": lambda n: f"Scenarist_SCC V1.0\n\n{'9' * n}:00:00;00\t9420\n",
        "one long burst of words": lambda n: (
            "Scenarist_SCC V1.0\n\n00:00:01;00\t" + _fill("c8e5 ", n) + "942f\n"
        ),
    },
    "microdvd": {
        "unclosed braces": lambda n: "{1}{1}25\n{25}{50}" + "{" * n + "\n",
        "many bars": lambda n: "{1}{1}25\n{25}{50}" + "|" * n + "\n",
        "style codes no brace closes": lambda n: "{1}{1}25\n{25}{50}" + _fill("{y:", n) + "\n",
        "many tiny cues": lambda n: "{1}{1}25\n" + _fill("{25}{50}a\n", n),
    },
    "mpl2": {
        "digit runs": lambda n: f"[{'9' * n}][1] a\n",
        "many tiny cues": lambda n: _fill("[10][20] a\n", n),
    },
    "tmp": {
        "many tiny cues": lambda n: _fill("00:00:01:a\n", n),
        "tags no '>' closes": lambda n: "00:00:01:" + _fill("<a", n) + "\n",
    },
    "sami": {
        "unclosed tags": lambda n: "<SAMI><BODY><SYNC Start=1000><P>" + _fill("<i", n),
        "many syncs": lambda n: (
            "<SAMI><BODY>" + _fill("<SYNC Start=1000><P>a", n) + "</BODY></SAMI>"
        ),
    },
    "loads": {
        "blank lines, then no format": lambda n: "\n" * n + "x",
        "blank line runs with spaces": lambda n: _fill(" \n", n) + "x",
    },
}

READERS: dict[str, Callable[[str], object]] = {
    "srt": srt.parse,
    "vtt": vtt.parse,
    "ass": ass.parse,
    "json": json_format.parse,
    "task": parse_task,
    "sbv": sbv.parse,
    "ttml": ttml.parse,
    "scc": scc.parse,
    "microdvd": microdvd.parse,
    "mpl2": mpl2.parse,
    "tmp": tmp.parse,
    "sami": sami.parse,
    "loads": loads,
}


def best(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, a typed error counting as a run."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        with contextlib.suppress(GcoreCaptionsError):
            run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    """Print, per reader and shape, the times at n and 10n and their ratio."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="characters (default 50,000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(READERS), help="readers to run")
    parser.add_argument(
        "--probe",
        type=float,
        default=0.2,
        help="seconds at n above which 2n is tried before 10n (default 0.2)",
    )
    parser.add_argument("--force", action="store_true", help="always time 10n")
    args = parser.parse_args()
    n, repeat = args.n, args.repeat
    gc.enable()

    print(f"n = {n:,} characters; best of {repeat}; garbage collector on")
    print(f"{'reader':6} {'shape':32} {'n':>9} {'10n':>9} {'ratio':>6} {'floor':>6}")
    worst = 0.0
    for reader, shapes in SHAPES.items():
        if args.only and reader not in args.only:
            continue
        read = READERS[reader]
        for name, make in shapes.items():
            small, large = make(n), make(10 * n)
            t1 = best(lambda text=small, read=read: read(text), repeat)
            if t1 > args.probe and not args.force:
                # Slow already at n: try 2n first (2x when linear, 4x when
                # quadratic) rather than wait a hundred times as long at 10n.
                double = make(2 * n)
                t2 = best(lambda text=double, read=read: read(text), 1)
                if t2 / t1 > 3:
                    worst = max(worst, (t2 / t1) ** (1 / math.log10(2)))
                    print(
                        f"{reader:6} {name:32} {t1:8.4f}s {'-':>9} {'-':>6}"
                        f"  SUPER-LINEAR: 2n took {t2 / t1:.1f}x as long (10n skipped)"
                    )
                    continue
            t10 = best(lambda text=large, read=read: read(text), repeat)
            f1 = best(small.splitlines, repeat)
            f10 = best(large.splitlines, repeat)
            ratio = t10 / max(t1, 1e-9)
            worst = max(worst, ratio)
            print(
                f"{reader:6} {name:32} {t1:8.4f}s {t10:8.4f}s {ratio:6.1f}"
                f" {f10 / max(f1, 1e-9):6.1f}"
            )
    print(f"\nworst growth ratio: {worst:.1f} (10 is linear, 100 quadratic; from 2n when skipped)")


if __name__ == "__main__":
    main()
