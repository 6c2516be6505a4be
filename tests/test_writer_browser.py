"""
Our WebVTT as a browser reads it: Chromium (Debian's ``chromium``, driven by
playwright) loads the file as a ``<track>`` and must see our cues: count,
times, identifiers, voices and the text a viewer sees, whatever strings the
fields held.

Skipped with a reason when chromium or playwright is missing; ``.ci/run``
installs chromium.
"""

from __future__ import annotations

import base64
import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import Phase, given, settings

from _formats_support import WJ
from _writer_support import carried, collapse, transcripts, vtt_identifier, written
from gcore_captions import Cue, Transcript, render
from gcore_captions.formats import WriterWarning

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("GCORE_CAPTIONS_CHROMIUM") or shutil.which("chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
]

# Every cue of the track: id, times, the text of getCueAsHTML() (what is
# shown) and the voice (Chromium makes <v Name> a span titled Name).
READ_CUES = """() => Array.from(document.getElementById('t').track.cues).map(c => {
    const shown = c.getCueAsHTML();
    const voice = shown.querySelector('span[title]');
    return {id: c.id, start: Math.round(c.startTime * 1000), end: Math.round(c.endTime * 1000),
            text: shown.textContent, voice: voice ? voice.title : null};
})"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """One headless Chromium tab for the module (starting it is the slow part)."""
    if CHROMIUM is None:
        pytest.skip(
            "chromium is not installed: apt-get install chromium (see the README, Development)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed: pip install -e '.[dev]' (see the README, Development)",
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser.new_page()
        browser.close()


def chromium_cues(page: Any, vtt: str) -> list[dict[str, Any]]:
    """The cues Chromium reads from ``vtt`` as a track."""
    url = "data:text/vtt;charset=utf-8;base64," + base64.b64encode(vtt.encode()).decode()
    page.set_content(f'<video><track id="t" kind="captions" default src="{url}"></video>')
    page.wait_for_function("document.getElementById('t').readyState >= 2", timeout=10_000)
    cues: list[dict[str, Any]] = page.evaluate(READ_CUES)
    return cues


# Few files, many cues each: the browser's page load is the cost.
@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(transcripts(max_cues=30))
def test_chromium_reads_our_cues_whatever_the_fields_hold(
    page: Any, transcript: Transcript
) -> None:
    """Text, voice, identifier and settings with any strings: Chromium sees our cues."""
    # One cue with text always, so the file is never only a header.
    last = 2 * 10**9  # after every generated cue
    transcript = transcript.replace(cues=(*transcript.cues, Cue(last, last + 1, "end")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        vtt = render(transcript, "vtt", identifiers="keep")
    expected = [
        {
            "id": vtt_identifier(c.identifier) or "",
            "start": c.start_ms,
            "end": c.end_ms,
            "text": text.replace(WJ, ""),
            "voice": collapse(carried(c.speaker or "")) or None,
        }
        for c, text in written(transcript, lambda text: text)
    ]
    # Chromium lists cues that start together longest first (the HTML "text track cue
    # order"); the file has them in the transcript's order.
    expected.sort(key=lambda cue: (cue["start"], -cue["end"]))
    got = [{**cue, "text": cue["text"].replace(WJ, "")} for cue in chromium_cues(page, vtt)]
    assert got == expected


def test_chromium_reads_the_known_cases(page: Any) -> None:
    """The hand-found cases: a voice ending in '--', '-->' and '--->' in the text, a note
    and header lines with arrows, markup look-alikes."""
    transcript = Transcript(
        (
            Cue(0, 1000, "hello", speaker="Ana--"),
            Cue(1000, 2000, "a --> b ---> c", identifier="x ---> y"),
            Cue(2000, 3000, "<b>not bold</b> &amp; <3", speaker="A & <B>"),
        )
    )
    vtt = render(
        transcript, "vtt", identifiers="keep", note="n ---> m", metadata={"K-->": "v --->"}
    )
    assert chromium_cues(page, vtt) == [
        {"id": "", "start": 0, "end": 1000, "text": "hello", "voice": "Ana--"},
        {"id": "x -> y", "start": 1000, "end": 2000, "text": "a --> b ---> c", "voice": None},
        {
            "id": "",
            "start": 2000,
            "end": 3000,
            "text": "<b>not bold</b> &amp; <3",
            "voice": "A & <B>",
        },
    ]
