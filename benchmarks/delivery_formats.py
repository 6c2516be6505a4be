"""
Benchmark: the delivery formats' writers and readers (SBV, TTML), µs per cue,
against the same job done by the field's libraries directly and a
hand-written floor, same run, garbage collector on, realistic text (five
languages, half the cues on two lines):

- SBV: no field library writes it, so the writer is measured against the
  floor; the reader against webvtt-py's SBV reader;
- TTML: the writer against ttconv (build its model, its IMSC writer, to
  text); the reader (ttconv underneath) against ttconv's reader alone and
  pysubs2's TTML reader;
- MicroDVD, MPL2, TMP: our writers and readers (pysubs2 inside, our policy
  around it) against pysubs2 doing the same job alone;
- SCC: the writer against ttconv's SCC writer (from its model), at n and 2n
  cues (ttconv's grows quadratically, so it runs on fewer cues:
  ``--scc-cues``); the reader (ttconv underneath) against ttconv's alone.

Then the SBV reader's growth on hostile shapes at n and 10n characters
(about 10 when linear). Not a pytest test::

    python3 benchmarks/delivery_formats.py              # 100,000 cues
    python3 benchmarks/delivery_formats.py --cues 20000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import xml.etree.ElementTree as ElementTree  # noqa: E402
from fractions import Fraction  # noqa: E402

import pysubs2  # noqa: E402
import webvtt  # noqa: E402
from _corpus import cue_text  # noqa: E402
from ttconv import model as tt_model  # noqa: E402
from ttconv.imsc import reader as imsc_reader  # noqa: E402
from ttconv.imsc import writer as imsc_writer  # noqa: E402
from ttconv.scc import reader as scc_reader  # noqa: E402
from ttconv.scc import writer as scc_writer  # noqa: E402

from gcore_captions import Cue, Transcript  # noqa: E402
from gcore_captions.formats import get_format, sbv, scc, ttml  # noqa: E402


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


def ttconv_model(transcript: Transcript) -> tt_model.ContentDocument:
    """The transcript as a ttconv document: one <p> per cue, spans and <br/>."""
    doc = tt_model.ContentDocument()
    doc.set_lang("en")
    body = tt_model.Body(doc)
    doc.set_body(body)
    div = tt_model.Div(doc)
    body.push_child(div)
    for cue in transcript.cues:
        p = tt_model.P(doc)
        p.set_begin(Fraction(cue.start_ms, 1000))
        p.set_end(Fraction(cue.end_ms, 1000))
        for index, line in enumerate(cue.text.split("\n")):
            if index:
                p.push_child(tt_model.Br(doc))
            span = tt_model.Span(doc)
            span.push_child(tt_model.Text(doc, line))
            p.push_child(span)
        div.push_child(p)
    return doc


def ttconv_write(transcript: Transcript) -> str:
    """The TTML writer's job done with ttconv: its model, its IMSC writer."""
    document = imsc_writer.from_model(ttconv_model(transcript))
    return ElementTree.tostring(document.getroot(), encoding="unicode")


def scc_ready(transcript: Transcript) -> Transcript:
    """Cues 608 can show as they are (ASCII, 32-character lines), 3 s in."""
    cues = []
    for cue in transcript.cues:
        text = cue.text.encode("ascii", "replace").decode().replace("?", "")
        lines = [line[:32] for line in text.split("\n")]
        cues.append(Cue(cue.start_ms + 3000, cue.end_ms + 3000, "\n".join(lines)))
    return Transcript(tuple(cues))


def floor_ttml(transcript: Transcript) -> str:
    """The least a TTML writer must do: a <p> with two clock times per cue."""
    stamp = ttml.format_timestamp
    return "".join(
        f'<p begin="{stamp(c.start_ms)}" end="{stamp(c.end_ms)}">{c.text}</p>\n'
        for c in transcript.cues
    )


def pysubs2_write(transcript: Transcript, fmt: str) -> str:
    """The job done with pysubs2 alone: events from the cues, its writer."""
    subs = pysubs2.SSAFile()
    for cue in transcript.cues:
        event = pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms)
        event.plaintext = cue.text
        subs.append(event)
    return subs.to_string(fmt, fps=23.976)


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
    parser.add_argument("--scc-cues", type=int, default=500, help="cues for the SCC rows")
    parser.add_argument("--n", type=int, default=100_000, help="characters for the growth shapes")
    args = parser.parse_args()

    transcript = make_transcript(args.cues)
    text = sbv.render(transcript)
    with tempfile.NamedTemporaryFile("w", suffix=".sbv", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    per_cue = 1e6 / args.cues
    document = ttml.render(transcript)
    rows = {
        "sbv write: ours": best(lambda: sbv.render(transcript), args.repeat),
        "sbv write: floor (f-string join)": best(lambda: floor_write(transcript), args.repeat),
        "sbv read: ours": best(lambda: sbv.parse(text), args.repeat),
        "sbv read: webvtt-py (from_sbv)": best(lambda: webvtt.from_sbv(path), args.repeat),
        "sbv read: floor (split only)": best(lambda: floor_read(text), args.repeat),
        "ttml write: ours": best(lambda: ttml.render(transcript), args.repeat),
        "ttml write: ttconv (model + writer)": best(lambda: ttconv_write(transcript), args.repeat),
        "ttml write: floor (f-string join)": best(lambda: floor_ttml(transcript), args.repeat),
        "ttml read: ours (ttconv inside)": best(lambda: ttml.parse(document), 1),
        "ttml read: ttconv to_model alone": best(
            lambda: imsc_reader.to_model(ElementTree.ElementTree(ElementTree.fromstring(document))),
            1,
        ),
        "ttml read: pysubs2 (ttml)": best(
            lambda: pysubs2.SSAFile.from_string(document, format_="ttml"), 1
        ),
    }
    print(f"{args.cues:,} cues, SBV {len(text) / 1e6:.1f} MB, best of {args.repeat}, GC on")
    for name, seconds in rows.items():
        print(f"  {name:38} {seconds * per_cue:8.2f} µs/cue")

    def ratio(a: str, b: str) -> None:
        print(f"  {a} / {b}: {rows[a] / rows[b]:.2f}x")

    ratio("sbv read: ours", "sbv read: webvtt-py (from_sbv)")
    ratio("sbv write: ours", "sbv write: floor (f-string join)")
    ratio("ttml write: ours", "ttml write: ttconv (model + writer)")
    ratio("ttml write: ours", "ttml write: floor (f-string join)")
    ratio("ttml read: ours (ttconv inside)", "ttml read: ttconv to_model alone")
    ratio("ttml read: ours (ttconv inside)", "ttml read: pysubs2 (ttml)")
    Path(path).unlink()

    print(f"\npysubs2 formats, {args.cues:,} cues, best of 1, GC on")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in ("microdvd", "mpl2", "tmp"):
            entry = get_format(fmt)
            parse = entry.parse
            assert parse is not None
            written = entry.render(transcript, None)
            ours_w = best(lambda: entry.render(transcript, None), 1)  # noqa: B023
            theirs_w = best(lambda: pysubs2_write(transcript, fmt), 1)  # noqa: B023
            ours_r = best(lambda: parse(written), 1)  # noqa: B023
            theirs_r = best(
                lambda: pysubs2.SSAFile.from_string(written, format_=fmt, fps=23.976),  # noqa: B023
                1,
            )
            print(f"  {fmt:8}  write: ours {ours_w * per_cue:6.2f} µs/cue, pysubs2 alone"
                  f" {theirs_w * per_cue:6.2f} ({ours_w / theirs_w:.2f}x);  read: ours"
                  f" {ours_r * per_cue:6.2f}, pysubs2 alone {theirs_r * per_cue:6.2f}"
                  f" ({ours_r / theirs_r:.2f}x)")  # fmt: skip

    print(f"\nSCC, {args.scc_cues:,} and {2 * args.scc_cues:,} cues (ASCII text), best of 1, GC on")
    for count in (args.scc_cues, 2 * args.scc_cues):
        ready = scc_ready(make_transcript(count))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = best(lambda: scc.render(ready), 1)  # noqa: B023
            written = scc.render(ready)
            theirs = best(lambda: scc_writer.from_model(ttconv_model(ready)), 1)  # noqa: B023
            read_ours = best(lambda: scc.parse(written), 1)  # noqa: B023
            read_theirs = best(lambda: scc_reader.to_model(written), 1)  # noqa: B023
        per = 1e6 / count
        print(f"  {count:>6,} cues  write: ours {ours * per:8.1f} µs/cue, ttconv"
              f" {theirs * per:9.1f} µs/cue ({ours / theirs:.3f}x);  read: ours"
              f" {read_ours * per:7.1f}, ttconv alone {read_theirs * per:7.1f} µs/cue")  # fmt: skip

    print(f"\nreader growth, n = {args.n:,} and 10n characters")
    for name, shape in SHAPES.items():
        small_text, large_text = shape(args.n), shape(10 * args.n)
        small = best(lambda: sbv.parse(small_text), args.repeat)  # noqa: B023
        large = best(lambda: sbv.parse(large_text), args.repeat)  # noqa: B023
        print(f"  {name:24} {small * 1e3:8.2f} ms {large * 1e3:9.2f} ms   x{large / small:5.1f}")


if __name__ == "__main__":
    main()
