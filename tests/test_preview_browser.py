"""
The preview page driven in a real headless Chromium (Debian's ``chromium``),
loaded from ``file://`` with a media file the test writes itself.

Skipped with a reason when chromium (``apt-get install chromium``) or
playwright (``pip install -e '.[dev]'``) is missing locally; ``.ci/run``
installs both, so these run in CI.
"""

from __future__ import annotations

import itertools
import os
import shutil
import struct
import wave
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gcore_captions.api import render
from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import check

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("GCORE_CAPTIONS_CHROMIUM") or shutil.which("chromium")
# The flags that keep Chromium quiet and offline on a closed machine, run as
# root (see the project's machine notes); headless is playwright's default.
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
MEDIA_SECONDS = 24
VIEWPORT = {"width": 1280, "height": 800}

CUES = (
    Cue(500, 2500, "Hello and welcome."),
    Cue(3500, 4100, "This one is far too fast to read in time."),
    Cue(5000, 7000, "A calm line."),
    Cue(7200, 9000, "The gap before me was short."),
    Cue(10000, 12500, "This line is much longer than forty-two characters allow."),
    Cue(13500, 15500, "Two lines\nof text.", speaker="Ann"),
    Cue(16500, 18500, "A Needle in the haystack."),
    Cue(19500, 21500, "Another needle, the last one."),
)
TRANSCRIPT = Transcript(
    cues=CUES,
    task_id="task-7",
    language="eng",
    languages=("eng",),
    source="subtitles",
    metadata={"status": "SUCCESS"},
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """
    One headless Chromium for the whole module (starting it is the slow
    part).
    """
    if CHROMIUM is None:
        pytest.skip(
            "chromium is not installed: apt-get install chromium (see the README, Development)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed: pip install -e '.[dev]' (see the README, Development)",
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """
    A folder with a silent WAV the page plays (Chromium's <video> plays WAV
    from file://, and generating it needs only the stdlib).
    """
    folder = tmp_path_factory.mktemp("preview")
    with wave.open(str(folder / "media.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * MEDIA_SECONDS)
    return folder


def write_page(folder: Path, name: str, transcript: Transcript, **options: Any) -> Path:
    """
    Render the page through the public ``render(..., "html")`` and save it
    (playing the test's WAV unless ``video`` is given).
    """
    path = folder / name
    options.setdefault("video", folder / "media.wav")
    html = render(transcript, "html", **options)
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page_file(workdir: Path) -> Path:
    """
    The main test page.
    """
    return write_page(workdir, "preview.html", TRANSCRIPT)


class Session:
    """
    One browser tab on a preview page, with the page's errors collected.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.allowed: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )

    def open(self, path: Path, *, media: bool = True) -> None:
        """
        Load the page and wait until its script (and the media, when it
        has playable media) are ready.
        """
        # Record CSP violations before any script of the page runs: none
        # must happen (nothing tried to run that the policy blocks). Waits
        # below use function predicates: under the page's CSP playwright can
        # poll those, but not bare expressions (they need eval).
        self.page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => document.documentElement.dataset.ready === 'true'")
        if not media:
            return
        self.page.wait_for_function(
            "() => { const v = document.getElementById('player');"
            " return v && v.readyState >= 1 && v.textTracks.length === 1"
            " && v.textTracks[0].cues && v.textTracks[0].cues.length > 0; }"
        )

    def js(self, expression: str, arg: Any = None) -> Any:
        """
        Evaluate JavaScript in the page.
        """
        return self.page.evaluate(expression, arg)

    def current_ms(self) -> int:
        """
        The media's currentTime, in whole milliseconds.
        """
        return round(self.js("document.getElementById('player').currentTime") * 1000)

    def wait_current_ms(self, expected: int) -> None:
        """
        Wait until a seek has landed on ``expected`` (to the millisecond).
        """
        self.page.wait_for_function(
            "ms => Math.abs(document.getElementById('player').currentTime * 1000 - ms) < 1",
            arg=expected,
            timeout=5000,
        )

    def seek_and_wait(self, ms: int) -> list[int]:
        """
        Set currentTime, wait for the media's timeupdate, and return the
        indices of the lines marked aria-current.
        """
        return self.js(
            """ms => new Promise(resolve => {
                const v = document.getElementById('player');
                v.addEventListener('timeupdate', () => requestAnimationFrame(() => resolve(
                    [...document.querySelectorAll('#lines [aria-current]')]
                        .map(b => Number(b.closest('li').dataset.index)))), {once: true});
                v.currentTime = ms / 1000;
            })""",
            ms,
        )

    def visible_lines(self) -> list[int]:
        """
        Indices of the transcript lines not hidden by the search.
        """
        return self.js(
            "[...document.querySelectorAll('#lines li:not([hidden])')]"
            ".map(li => Number(li.dataset.index))"
        )


@pytest.fixture
def tab(browser: Any) -> Iterator[Session]:
    """
    A fresh tab (own context) per test; fails the test on any page error.
    """
    context = browser.new_context(viewport=VIEWPORT)
    session = Session(context.new_page())
    yield session
    csp = session.js("window.__csp || []")
    context.close()
    assert [e for e in session.errors if not any(a in e for a in session.allowed)] == []
    assert csp == []


def test_transcript_lists_every_cue_in_order(tab: Session, page_file: Path) -> None:
    """
    One line per cue, in order, each showing the cue's exact text (line
    breaks kept) and its speaker, and the captions track holds every cue.
    """
    tab.open(page_file)
    lines = tab.js(
        "[...document.querySelectorAll('#lines li')].map(li => ({"
        " index: Number(li.dataset.index),"
        " words: li.querySelector('.line-words').textContent,"
        " speaker: (li.querySelector('.line-speaker') || {}).textContent || null }))"
    )
    assert [line["index"] for line in lines] == list(range(len(CUES)))
    assert [line["words"] for line in lines] == [cue.text for cue in CUES]
    assert [line["speaker"] for line in lines] == [
        f"{cue.speaker}:" if cue.speaker else None for cue in CUES
    ]
    track = tab.js(
        "[...document.getElementById('player').textTracks[0].cues]"
        ".map(c => [Math.round(c.startTime * 1000), Math.round(c.endTime * 1000)])"
    )
    assert track == [[cue.start_ms, cue.end_ms] for cue in CUES]


@pytest.mark.parametrize("k", [0, 4, 7])
def test_clicking_line_k_seeks_to_its_start(tab: Session, page_file: Path, k: int) -> None:
    """
    A click on line k moves the media's currentTime to cue k's start and
    marks that line as current.
    """
    tab.open(page_file)
    tab.page.locator("#lines .line-btn").nth(k).click()
    tab.wait_current_ms(CUES[k].start_ms)
    assert tab.current_ms() == CUES[k].start_ms
    current = tab.js("[...document.querySelectorAll('#lines [aria-current]')].length")
    assert current == 1
    assert tab.js(
        "document.querySelector('#lines [aria-current]').closest('li').dataset.index"
    ) == (str(k))


def test_highlight_follows_current_time(tab: Session, page_file: Path) -> None:
    """
    After each timeupdate the one line marked aria-current is the cue that
    contains currentTime; in a gap between cues no line is current.
    """
    tab.open(page_file)
    for k in (3, 0, 6, 5):
        middle = (CUES[k].start_ms + CUES[k].end_ms) // 2
        assert tab.seek_and_wait(middle) == [k]
    gap = (CUES[1].end_ms + CUES[2].start_ms) // 2
    assert tab.seek_and_wait(gap) == []
    assert tab.seek_and_wait(CUES[2].end_ms - 1) == [2]
    assert tab.seek_and_wait(CUES[2].end_ms) == []


def test_highlight_with_a_long_cue_spanning_later_ones(tab: Session, workdir: Path) -> None:
    """
    Overlapping cues: a long first cue stays current under the short cues
    that start inside it, and each of those is current only while it lasts.
    """
    overlapping = TRANSCRIPT.replace(
        cues=(
            Cue(0, 10_000, "A long cue over everything"),
            Cue(1_000, 2_000, "Short one"),
            Cue(3_000, 4_000, "Short two"),
            Cue(12_000, 13_000, "After the long cue"),
        )
    )
    tab.open(write_page(workdir, "overlap.html", overlapping))
    assert tab.seek_and_wait(1_500) == [0, 1]
    assert tab.seek_and_wait(2_500) == [0]
    assert tab.seek_and_wait(3_500) == [0, 2]
    assert tab.seek_and_wait(11_000) == []
    assert tab.seek_and_wait(12_500) == [3]


def test_current_line_is_scrolled_into_view(tab: Session, workdir: Path) -> None:
    """
    With more lines than fit, seeking to the last cue scrolls the
    transcript so its line ends up inside the list's visible box.
    """
    many = TRANSCRIPT.replace(
        cues=tuple(Cue(i * 300, i * 300 + 250, f"Line number {i}") for i in range(70))
    )
    tab.open(write_page(workdir, "many.html", many))
    assert tab.seek_and_wait(69 * 300 + 100) == [69]
    # The list scrolls smoothly: wait for the line to arrive in view.
    tab.page.wait_for_function(
        """() => {
            const list = document.getElementById('lines').getBoundingClientRect();
            const line = document.querySelector('#lines [aria-current]').getBoundingClientRect();
            return line.top >= list.top - 1 && line.bottom <= list.bottom + 1;
        }""",
        timeout=3000,
    )


def test_search_filters_and_highlights(tab: Session, page_file: Path) -> None:
    """
    Typing in the search box hides the lines without a match (ignoring
    case), wraps each match in <mark>, dims the other timeline bars, says
    how many match, and clearing it (Escape) brings every line back.
    """
    tab.open(page_file)
    tab.page.fill("#search", "needle")
    expected = [i for i, cue in enumerate(CUES) if "needle" in cue.text.lower()]
    assert tab.visible_lines() == expected
    assert tab.js("[...document.querySelectorAll('#lines mark')].map(m => m.textContent)") == [
        "Needle",
        "needle",
    ]
    dimmed = tab.js(
        "[...document.querySelectorAll('.bar.is-dim')].map(b => Number(b.dataset.index))"
    )
    assert dimmed == [i for i in range(len(CUES)) if i not in expected]
    assert "2 of 8" in tab.js("document.getElementById('search-status').textContent")
    tab.page.fill("#search", "no such words")
    assert tab.visible_lines() == []
    tab.page.press("#search", "Escape")
    assert tab.visible_lines() == list(range(len(CUES)))
    assert tab.js("document.querySelectorAll('#lines mark').length") == 0


def test_timeline_bars_and_violation_marks_match_check(tab: Session, page_file: Path) -> None:
    """
    One bar per cue, placed at start/duration of the media; a violation
    mark exactly on the cues check() reports; bars coloured 'over' exactly
    where check() reports max-cps; each bar's tooltip has the cue's text
    and figures.
    """
    report = check(TRANSCRIPT, "netflix")
    flagged = sorted({v.cue - 1 for v in report.violations})
    too_fast = sorted({v.cue - 1 for v in report.violations if v.rule == "max-cps"})
    assert 0 < len(flagged) < len(CUES)  # the page must show both kinds
    assert too_fast
    tab.open(page_file)
    tab.page.wait_for_function(
        "ms => document.querySelector('.bar').style.left !== ''"
        " && document.getElementById('player').duration * 1000 === ms",
        arg=MEDIA_SECONDS * 1000,
    )
    bars = tab.js(
        "[...document.querySelectorAll('.timeline-bars .bar')].map(b => ({"
        " index: Number(b.dataset.index), left: parseFloat(b.style.left),"
        " over: b.classList.contains('speed-over'), title: b.title }))"
    )
    assert [bar["index"] for bar in bars] == list(range(len(CUES)))
    for bar, cue in zip(bars, CUES, strict=True):
        assert bar["left"] == pytest.approx(cue.start_ms / (MEDIA_SECONDS * 1000) * 100, abs=1e-3)
        assert cue.text in bar["title"]
        assert "cps" in bar["title"]
    assert [bar["index"] for bar in bars if bar["over"]] == too_fast
    marks = tab.js(
        "[...document.querySelectorAll('.timeline-marks .mark')].map(m => Number(m.dataset.index))"
    )
    assert marks == flagged
    for index in flagged:
        messages = [v.message for v in report.violations if v.cue == index + 1]
        title = tab.js(f"document.querySelector('.mark[data-index=\"{index}\"]').title")
        for message in messages:
            assert message.lower() in title.lower()


def test_clicking_a_bar_seeks(tab: Session, page_file: Path) -> None:
    """
    A click on a cue's timeline bar seeks to that cue's start.
    """
    tab.open(page_file)
    tab.page.locator('.bar[data-index="5"]').click()
    tab.wait_current_ms(CUES[5].start_ms)
    assert tab.current_ms() == CUES[5].start_ms


def test_keyboard_arrows_and_space(tab: Session, page_file: Path) -> None:
    """
    Right/left arrows jump to the next/previous cue's start; space plays and
    pauses; in the search box space types a space and arrows move the caret.
    """
    tab.open(page_file)
    tab.seek_and_wait(CUES[2].start_ms)
    tab.page.locator("h1").click()
    tab.page.keyboard.press("ArrowRight")
    tab.wait_current_ms(CUES[3].start_ms)
    tab.page.keyboard.press("ArrowDown")
    tab.wait_current_ms(CUES[4].start_ms)
    tab.page.keyboard.press("ArrowLeft")
    tab.wait_current_ms(CUES[3].start_ms)
    tab.page.keyboard.press("ArrowLeft")
    tab.page.keyboard.press("ArrowUp")
    tab.wait_current_ms(CUES[1].start_ms)
    assert tab.js(
        "document.querySelector('#lines [aria-current]').closest('li').dataset.index"
    ) == ("1")

    assert tab.js("document.getElementById('player').paused") is True
    tab.page.keyboard.press("Space")
    tab.page.wait_for_function("() => !document.getElementById('player').paused")
    tab.page.keyboard.press("Space")
    tab.page.wait_for_function("() => document.getElementById('player').paused")

    before = tab.current_ms()
    tab.page.focus("#search")
    tab.page.keyboard.type("a b")
    tab.page.keyboard.press("ArrowLeft")
    assert tab.page.input_value("#search") == "a b"
    assert tab.js("document.getElementById('player').paused") is True
    assert tab.current_ms() == before


def test_arrows_move_focus_within_the_transcript(tab: Session, page_file: Path) -> None:
    """
    With a transcript line focused, arrows move focus along with the
    current cue, so keyboard users stay on the line being played.
    """
    tab.open(page_file)
    tab.page.locator("#lines .line-btn").nth(2).focus()
    tab.page.keyboard.press("Enter")
    tab.wait_current_ms(CUES[2].start_ms)
    tab.page.keyboard.press("ArrowRight")
    tab.wait_current_ms(CUES[3].start_ms)
    assert tab.js("document.activeElement.closest('li').dataset.index") == "3"


def current_line(tab: Session) -> int | None:
    """
    The index of the line marked aria-current, if one is.
    """
    return tab.js(
        "(() => { const b = document.querySelector('#lines [aria-current]');"
        " return b ? Number(b.closest('li').dataset.index) : null; })()"
    )


LONG = TRANSCRIPT.replace(
    cues=tuple(Cue(i * 20_000, i * 20_000 + 3_000, f"Cue {i} of a long talk.") for i in range(30))
)


def test_without_playable_media_lines_and_keys_still_work(tab: Session, workdir: Path) -> None:
    """
    When the media fails to load, the page says so, and clicks and arrow
    keys still move the current line and the playhead.
    """
    tab.allowed.append("net::ERR_FILE_NOT_FOUND")
    tab.open(write_page(workdir, "missing.html", LONG, video=workdir / "missing.wav"), media=False)
    tab.page.wait_for_function("() => document.getElementById('media-status').textContent !== ''")
    assert "did not load" in tab.js("document.getElementById('media-status').textContent")
    tab.page.locator("#lines .line-btn").nth(4).click()
    assert current_line(tab) == 4
    tab.page.keyboard.press("ArrowRight")
    assert current_line(tab) == 5
    left = tab.js("parseFloat(document.querySelector('.timeline-playhead').style.left)")
    assert left == pytest.approx(LONG.cues[5].start_ms / LONG.duration_ms * 100, abs=1e-3)


def test_zoom_widens_the_timeline_and_follows_the_playhead(tab: Session, workdir: Path) -> None:
    """
    Zooming in doubles the timeline's width each step up to the level
    where a screen still holds 20 s or more; bars keep their relative
    places; seeking far along scrolls the timeline to the playhead.
    """
    tab.open(write_page(workdir, "long.html", LONG, video=None), media=False)
    assert tab.js("document.getElementById('zoom-out').disabled") is True
    width = tab.js("document.querySelector('.timeline-canvas').clientWidth")
    clicks = 0
    while not tab.js("document.getElementById('zoom-in').disabled"):
        tab.page.click("#zoom-in")
        clicks += 1
    # 30 cues over 583 s: 16x leaves about 36 s per screen, 32x would be 18 s.
    assert clicks == 4
    assert tab.js("document.getElementById('zoom-level').textContent") == "16\u00d7"
    assert tab.js("document.querySelector('.timeline-canvas').clientWidth") == pytest.approx(
        16 * (width + 12) - 12, rel=0.01
    )
    tab.page.locator("#lines .line-btn").nth(27).click()
    inside = tab.js(
        """() => {
            const box = document.getElementById('timeline').getBoundingClientRect();
            const head = document.querySelector('.timeline-playhead').getBoundingClientRect();
            return head.left >= box.left && head.right <= box.right;
        }"""
    )
    assert inside is True
    bar = tab.page.locator('.bar[data-index="28"]')
    bar.scroll_into_view_if_needed()
    bar.click()
    assert current_line(tab) == 28


def test_hostile_text_shows_as_text_and_runs_nothing(tab: Session, workdir: Path) -> None:
    """
    Cue text, speaker, title and metadata holding </script>, <!--, an
    <img onerror> and quotes appear literally; no element is injected, no
    handler runs, and the page's own policy is never even tested (no CSP
    violation is reported, so nothing tried to run).
    """
    attack = '<img src=x onerror="window.__pwned=1">'
    cues = (
        Cue(500, 3000, "</script><script>window.__pwned=2</script>"),
        Cue(3500, 6000, f"{attack} \"double\" 'single' & <!-- comment"),
        Cue(6500, 9000, "Line\u2028separated\u2029text", speaker=f"</script>{attack}"),
        Cue(9500, 12000, "<b>not bold</b> &amp; &lt;"),
    )
    transcript = Transcript(
        cues=cues,
        task_id=f"id{attack}",
        language="eng",
        metadata={"status": attack, "client_user_id": "</script><!--", "url": "javascript:x"},
    )
    tab.open(write_page(workdir, "hostile.html", transcript, title=f"</title>{attack}"))
    assert tab.js("window.__pwned") is None
    assert tab.js("document.querySelectorAll('img, b, #lines script').length") == 0
    assert tab.js("document.querySelectorAll('script').length") == 3
    words = tab.js("[...document.querySelectorAll('.line-words')].map(n => n.textContent)")
    assert words == [cue.text for cue in cues]
    assert tab.js("document.querySelector('.line-speaker').textContent") == f"</script>{attack}:"
    assert tab.js("document.querySelector('h1').textContent") == f"</title>{attack}"
    assert tab.js("document.title").startswith(f"</title>{attack}")
    details = tab.js("document.querySelector('.details').textContent")
    assert f"id{attack}" in details
    assert "</script><!--" in details
    track = tab.js("[...document.getElementById('player').textTracks[0].cues].map(c => c.text)")
    assert len(track) == len(cues)


# --- the screenshot -----------------------------------------------------------


def _png_rows(path: Path) -> tuple[int, int, list[bytes]]:
    """
    Decode an 8-bit, non-interlaced RGB/RGBA PNG into its rows of pixel
    bytes (stdlib only: chunk walk, zlib, the five PNG row filters).
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8
    assert colour in (2, 6)
    assert interlace == 0
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [b"".join(r[i : i + 3] for i in range(0, stride, bpp)) for r in rows]


def test_screenshot_is_a_full_non_blank_png(
    tab: Session, page_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """
    A screenshot of the page (kept as a test artifact) is a PNG of the
    viewport's size with real content: many distinct colours, the white
    panels, the dark player and the highlighted line's tint all present.
    """
    tab.open(page_file)
    tab.seek_and_wait((CUES[1].start_ms + CUES[1].end_ms) // 2)
    shot = tmp_path_factory.mktemp("artifacts") / "preview.png"
    tab.page.screenshot(path=str(shot))
    width, height, rows = _png_rows(shot)
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    colours = set(pixels)
    assert len(colours) > 40
    assert b"\xff\xff\xff" in colours  # panels
    assert any(max(p) < 0x30 for p in colours)  # the player's dark frame
    assert any(p[2] > p[0] + 15 and min(p) > 0xC0 for p in colours)  # current line's blue tint
    rows_alike = sum(1 for a, b in itertools.pairwise(rows) if a == b)
    assert rows_alike < height * 0.9


HOURS = 3_600_000
HOURS_120 = TRANSCRIPT.replace(
    cues=(
        *(
            Cue(h * HOURS, h * HOURS + 4_000, f"Hour {h} of a very long stream.")
            for h in range(120)
        ),
        Cue(120 * HOURS - 5_000, 120 * HOURS, "The very end."),
    )
)


def tick_boxes(tab: Session) -> list[dict[str, Any]]:
    """The time axis labels: text and bounding box, left to right."""
    return tab.js(
        """[...document.querySelectorAll('.timeline-ticks .tick')].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right};
        }).sort((a, b) => a.left - b.left)"""
    )


@pytest.mark.parametrize("width", [1280, 800, 480])
@pytest.mark.parametrize(
    ("transcript", "end_label"), [(HOURS_120, "120:00:00"), (LONG, "9:43")], ids=["120h", "10min"]
)
def test_time_axis_labels_never_overlap(
    browser: Any, workdir: Path, width: int, transcript: Transcript, end_label: str
) -> None:
    """
    The time axis under the timeline, on a 120-hour transcript (and a
    10-minute one), at several window widths and every zoom level: no two
    labels' boxes overlap, they stay inside the timeline, the axis starts
    at 0:00 and ends with the end time, and there are labels between.
    """
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = Session(context.new_page())
    try:
        page = write_page(workdir, f"axis-{end_label[:3]}.html", transcript, video=None)
        tab.open(page, media=False)
        zoom = 1
        while True:
            boxes = tick_boxes(tab)
            texts = [box["text"] for box in boxes]
            assert texts[0] == "0:00"
            assert texts[-1] == end_label
            assert len(texts) >= 3, (width, zoom, texts)
            for a, b in itertools.pairwise(boxes):
                assert a["right"] <= b["left"], (width, zoom, a, b)
            canvas = tab.js(
                "(() => { const r = document.querySelector('.timeline-canvas')"
                ".getBoundingClientRect(); return [r.left, r.right]; })()"
            )
            assert canvas[0] - 0.5 <= boxes[0]["left"]
            assert boxes[-1]["right"] <= canvas[1] + 0.5
            if tab.js("document.getElementById('zoom-in').disabled"):
                break
            tab.page.click("#zoom-in")
            zoom *= 2
    finally:
        context.close()
    assert tab.errors == []
