"""
The preview page as a document, without a browser: what it embeds, what it
loads, and how ``render(..., "html")`` and ``save`` reach it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gcore_captions.api import load, render, save
from gcore_captions.errors import FormatError
from gcore_captions.formats import FORMATS, get_format
from gcore_captions.model import Cue, Transcript
from gcore_captions.output import get_output, output_for_path
from gcore_captions.preview import build_page
from gcore_captions.preview.data import NEAR_RATIO, short_issue, speed_scale
from gcore_captions.quality import Violation, check, get_preset

ROOT = Path(__file__).resolve().parents[1]
TASK = ROOT / "samples" / "fungi-in-a-forest.json"

CUES = (
    Cue(0, 2000, "Ten chars."),  # 5 cps
    Cue(3000, 4000, "Nineteen characters"),  # 19 cps: near (> 18)
    Cue(5000, 6000, "Twenty-one characters"),  # 21 cps: over
    Cue(7000, 12000, "A line that is clearly longer than forty-two characters"),  # 11 cps
)
TRANSCRIPT = Transcript(cues=CUES, task_id="t-1", language="eng", source="subtitles")


class Elements(HTMLParser):
    """
    Every start tag with its attributes, and the text of each <script>.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag
            self._attrs = dict(attrs)
            self._text: list[str] = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif tag == self._open == "style":
            self.styles.append("".join(self._text))
        if tag == self._open:
            self._open = None


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def embedded(html: str, block: str) -> object:
    for attrs, text in parse(html).scripts:
        if attrs.get("id") == block:
            return json.loads(text)
    raise AssertionError(f"no {block} block")


def test_render_html_is_the_preview_page() -> None:
    """
    ``render(t, "html")`` is an output (html/htm) that gives build_page's
    document; the caption-format registry itself does not know the page.
    """
    assert get_output("html").extensions == ("html", "htm")
    assert output_for_path("a/b.HTM").name == "html"
    assert "html" not in FORMATS
    with pytest.raises(FormatError, match="unknown format"):
        get_format("html")
    assert render(TRANSCRIPT, "html", preset="bbc") == build_page(TRANSCRIPT, preset="bbc")


def test_save_by_extension_writes_the_page(tmp_path: Path) -> None:
    """
    ``save(t, "x.html")`` writes the page atomically, with nothing else
    left in the folder.
    """
    target = tmp_path / "review.html"
    save(TRANSCRIPT, target, video="https://cdn.example/v.mp4")
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]


def test_page_is_self_contained() -> None:
    """
    No external script, stylesheet, font, image or frame: the only URLs
    are the media (video src, and the link to it) and the captions' data:
    URL; the policy forbids fetching anything else.
    """
    html = build_page(TRANSCRIPT, video="https://cdn.example/talk.mp4")
    doc = parse(html)
    tags = {tag for tag, _ in doc.tags}
    assert not tags & {"link", "img", "iframe", "object", "embed", "base", "form"}
    for tag, attrs in doc.tags:
        if tag == "script":
            assert "src" not in attrs
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is None or value.startswith("#"):
                continue
            assert (tag, name, value) in {
                ("video", "src", "https://cdn.example/talk.mp4"),
                ("a", "href", "https://cdn.example/talk.mp4"),
            } or (tag == "track" and value.startswith("data:text/vtt;"))
    assert "@import" not in html
    assert "url(" not in "".join(doc.styles)


def test_csp_hashes_match_the_inline_script_and_style() -> None:
    """
    The policy's script and style hashes are those of the page's one
    inline script and one style element, so the browser runs exactly them.
    """
    html = build_page(TRANSCRIPT)
    doc = parse(html)
    policy = next(
        a["content"] for t, a in doc.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    code = [text for attrs, text in doc.scripts if "type" not in attrs]
    assert len(code) == 1
    assert len(doc.styles) == 1

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src 'sha256-{digest(code[0])}'" in policy
    assert f"style-src 'sha256-{digest(doc.styles[0])}'" in policy


def test_embedded_data_is_the_aligned_json_and_the_check() -> None:
    """
    The transcript block is exactly ``render(t, "json")``; the figures block
    has one record per cue with the check's messages on the right cues and
    speeds classed ok/near/over against the preset's 20 cps.
    """
    html = build_page(TRANSCRIPT, preset="netflix")
    assert embedded(html, "gc-transcript") == json.loads(render(TRANSCRIPT, "json"))
    figures = embedded(html, "gc-preview")
    assert isinstance(figures, dict)
    assert figures["scale"] == {"name": "netflix", "unit": "cps", "limit": 20.0}
    records = figures["cues"]
    assert [r["speed"] for r in records] == ["ok", "near", "over", "ok"]
    assert [r["reading"] for r in records] == ["5.0 cps", "19.0 cps", "21.0 cps", "11.0 cps"]
    report = check(TRANSCRIPT, "netflix")
    for number, record in enumerate(records, 1):
        mine = [v for v in report.violations if v.cue == number]
        assert record["rules"] == [v.rule for v in mine]
        assert [m.lower() for m in record["issues"]] == [v.message.lower() for v in mine]


def test_over_is_exactly_where_check_reports_reading_speed() -> None:
    """
    Across many speeds around the limit, a cue is 'over' exactly when the
    check reports max-cps for it (same measure, same comparison).
    """
    cues = tuple(Cue(i * 2000, i * 2000 + 1000 + i * 7, "x" * 21) for i in range(40))
    transcript = Transcript(cues=cues, language="eng")
    records = embedded(build_page(transcript), "gc-preview")["cues"]  # type: ignore[index]
    over = {i for i, r in enumerate(records) if r["speed"] == "over"}
    reported = {v.cue - 1 for v in check(transcript, "netflix").violations if v.rule == "max-cps"}
    assert over == reported
    assert 0 < len(over) < len(cues)


def test_speed_scale_follows_the_preset() -> None:
    """
    Netflix limits characters per second, BBC words per minute, DCMP
    neither (then cues carry no speed class and the legend says so).
    """
    assert speed_scale(get_preset("netflix")).unit == "cps"
    assert speed_scale(get_preset("bbc")).unit == "wpm"
    dcmp = speed_scale(get_preset("dcmp"))
    assert dcmp.unit is None
    assert dcmp.classify(12.0) is None
    html = build_page(TRANSCRIPT, preset="dcmp")
    assert {r["speed"] for r in embedded(html, "gc-preview")["cues"]} == {None}  # type: ignore[index]
    assert "sets no reading-speed limit" in html
    scale = speed_scale(get_preset("netflix"))
    assert scale.classify(20 * NEAR_RATIO) == "ok"
    assert scale.classify(20.0) == "near"
    assert scale.classify(20.01) == "over"
    assert scale.label(float("inf")) == "no time to read"


def test_cues_out_of_order_are_shown_and_checked_in_time_order() -> None:
    """
    A transcript whose cues are out of order is shown in start order (as
    the aligned JSON lists them) and each line carries its own issues.
    """
    shuffled = TRANSCRIPT.replace(cues=(CUES[3], CUES[0], CUES[2], CUES[1]))
    html = build_page(shuffled)
    texts = [c["text"] for c in embedded(html, "gc-transcript")["cues"]]  # type: ignore[index]
    assert texts == [c.text for c in CUES]
    assert embedded(html, "gc-preview") == embedded(build_page(TRANSCRIPT), "gc-preview")


def test_media_comes_from_the_task_or_the_video_option(tmp_path: Path) -> None:
    """
    Without ``video`` the task's own URL plays; ``video`` (URL or path)
    overrides it; a task URL with another scheme is not used; with no
    media at all the page says how to add some.
    """
    task = load(TASK)
    url = task.metadata["url"]
    assert f'src="{url}"' in build_page(task)
    clip = tmp_path / "clip one.mp4"
    assert f'src="{clip.resolve().as_uri()}"' in build_page(task, video=clip)
    assert 'src="https://x.example/a.webm"' in build_page(task, video="https://x.example/a.webm")
    hostile = task.replace(metadata={**task.metadata, "url": "javascript:alert(1)"})
    page = build_page(hostile)
    assert "<video" not in page
    assert "javascript:" not in page.split("<script", 1)[0]
    assert "No media to play" in page


def test_bad_options_raise_format_errors() -> None:
    """
    An unplayable media URL scheme and an unknown preset are FormatErrors
    (one-line errors in the CLI), not crashes.
    """
    with pytest.raises(FormatError, match="cannot load"):
        render(TRANSCRIPT, "html", video="javascript:alert(1)")
    with pytest.raises(FormatError, match="html option preset must be one of"):
        render(TRANSCRIPT, "html", preset="nope")
    with pytest.raises(FormatError, match="has no option 'colour'"):
        render(TRANSCRIPT, "html", colour="red")


def test_details_show_metadata_and_quality_summary() -> None:
    """
    The details panel names the task, status, languages, cue count,
    duration, media and the QC summary (issues, pass count, rules).
    """
    task = load(TASK)
    html = build_page(task)
    text = re.sub(r"<[^>]+>", " ", html.split('id="details-heading"', 1)[1].split("</section>")[0])
    text = " ".join(text.split())
    report = check(task, "netflix")
    assert f"Task {task.task_id}" in text
    assert "Status SUCCESS" in text
    assert f"Cues {len(task.cues)}" in text
    assert "Duration 00:00:" in text
    assert task.metadata["url"] in text
    assert f"{report.passed} of {report.cues} cues pass" in text
    for rule in report.counts:
        assert rule in text


def test_empty_transcript_still_makes_a_page() -> None:
    """
    A task with no speech gives a page with no lines and the empty note,
    not an error.
    """
    html = build_page(Transcript(task_id="silent"))
    assert embedded(html, "gc-transcript")["cues"] == []  # type: ignore[index]
    assert "This transcript has no cues." in html


@pytest.mark.parametrize(
    ("violation", "expected"),
    [
        (Violation(1, 0, "max-chars", 58, 42, line=2), "line 2: 58 chars, max 42"),
        (Violation(1, 0, "max-cps", 24.6, 20), "24.6 cps, max 20"),
        (Violation(1, 0, "min-duration", 500, 834), "on screen 500 ms, min 834"),
        (Violation(1, 0, "max-duration", 9500, 7000), "on screen 9.5 s, max 7"),
        (Violation(1, 0, "short-gap", 390, 500), "gap 390 ms: close it"),
        # A broken end time can make an overlap last hours: whole digits,
        # never "1.23457e+06".
        (Violation(1, 0, "overlap", 1234567, 0), "overlaps the next cue by 1234567 ms"),
    ],
)
def test_short_issue_labels(violation: Violation, expected: str) -> None:
    """
    The few words shown on a transcript line say the measured value and
    the limit.
    """
    assert short_issue(violation) == expected
