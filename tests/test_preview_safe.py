"""
The preview page's escaping and URL handling, without a browser.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.errors import FormatError
from gcore_captions.preview.assets import content_security_policy, fill, read_asset
from gcore_captions.preview.safe import media_src, script_json, vtt_data_url

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_script_json_round_trips_and_never_contains_markup(value: object) -> None:
    """
    Whatever the data, the embedded JSON parses back to it and holds no
    character that could end a script element or open a comment.
    """
    text = script_json(value)
    assert json.loads(text) == value
    assert not re.search("[<>&\u2028\u2029]", text)


@pytest.mark.parametrize(
    "hostile",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<!-- <script>",
        "<img src=x onerror=alert(1)>",
        "line\u2028separator\u2029para",
        "\"quotes\" and 'apostrophes' & ampersands",
    ],
)
def test_script_json_escapes_named_breakouts(hostile: str) -> None:
    """
    The classic ways out of a script block are all neutralised, and the
    text is still the same after JSON.parse (here json.loads).
    """
    text = script_json({"text": hostile})
    assert "</" not in text.lower()
    assert "<!--" not in text
    assert json.loads(text)["text"] == hostile


def test_vtt_data_url_holds_the_exact_bytes() -> None:
    """
    The track's data: URL decodes to the WebVTT text, UTF-8, and has no
    character that would need escaping inside an attribute.
    """
    vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nnaïve "quote" </script> &amp;\n'
    url = vtt_data_url(vtt)
    prefix = "data:text/vtt;charset=utf-8;base64,"
    assert url.startswith(prefix)
    assert base64.b64decode(url[len(prefix) :]).decode("utf-8") == vtt
    assert not re.search(r"[\s\"'<>&]", url)


def test_media_src_keeps_urls_and_turns_paths_into_file_urls(tmp_path: Path) -> None:
    """
    Web URLs pass through; a local path (str or Path, even with spaces)
    becomes an absolute, percent-encoded file:// URL.
    """
    assert media_src("https://cdn.example/v.mp4?x=1&y=2") == "https://cdn.example/v.mp4?x=1&y=2"
    clip = tmp_path / "my clip #1.mp4"
    expected = clip.resolve().as_uri()
    assert media_src(clip) == expected
    assert media_src(str(clip)) == expected
    assert " " not in expected
    assert "#" not in expected.split("://", 1)[1]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:x", "vbscript:x", "ftp://h/a"])
def test_media_src_refuses_other_schemes(url: str) -> None:
    """
    A media URL that is not http(s), file, data or blob is refused with a
    FormatError rather than put in the page.
    """
    with pytest.raises(FormatError, match="cannot load"):
        media_src(url)


def test_fill_is_single_pass_and_strict() -> None:
    """
    Slot values are inserted as given and never scanned for more slots; a
    slot with no value is a KeyError, not a silently empty hole.
    """
    assert fill("a {{x}} b {{y}}", {"x": "{{y}}", "y": "Y"}) == "a {{y}} b Y"
    with pytest.raises(KeyError):
        fill("{{missing}}", {})


def test_csp_hashes_the_packaged_script_and_style() -> None:
    """
    The policy allows exactly the packaged script and style (by SHA-256)
    and no other source of script, style or connections.
    """
    js, css = read_asset("preview.js"), read_asset("preview.css")
    policy = content_security_policy(js, css)
    assert "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert policy.count("'sha256-") == 2
    assert "</script" not in js.lower()
    assert "<!--" not in js
