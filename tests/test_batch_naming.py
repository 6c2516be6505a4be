"""
Output names for batch export: template checks, field values, and the rule
that nothing is ever written outside the output folder.
"""

from __future__ import annotations

import os
import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.errors import ExportError
from gcore_captions.output.naming import (
    DEFAULT_TEMPLATE,
    NameTemplate,
    check_relative_path,
    clash_key,
    task_fields,
    url_stem,
)

FIELDS = {
    "task_id": "6f1c2a9e-0000-4000-8000-000000000001",
    "language": "en",
    "lang3": "eng",
    "ext": "srt",
    "client_user_id": "user-7",
    "client_entity_data": "video-42",
    "url_stem": "talk",
}


def test_default_template_is_task_id_and_extension() -> None:
    """The default name is ``{task_id}.{ext}``."""
    name = NameTemplate(DEFAULT_TEMPLATE).render(FIELDS, what="task t")
    assert name == "6f1c2a9e-0000-4000-8000-000000000001.srt"


def test_every_field_and_subfolders() -> None:
    """All documented fields render, and ``/`` in the template makes sub-folders."""
    template = NameTemplate(
        "{client_user_id}/{language}/{lang3}-{client_entity_data}-{url_stem}-{task_id:.8}.{ext}"
    )
    assert template.render(FIELDS, what="task t") == "user-7/en/eng-video-42-talk-6f1c2a9e.srt"


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("{nope}.{ext}", "unknown field"),
        ("{task_id!r}.{ext}", "conversions"),
        ("{task_id.upper}.{ext}", "unknown field"),
        ("{task_id[0]}.{ext}", "unknown field"),
        ("/abs/{task_id}.{ext}", "relative"),
        ("C:/x/{task_id}.{ext}", "relative"),
        ("../{task_id}.{ext}", "'..'"),
        ("a/../../{task_id}.{ext}", "'..'"),
        ("captions.srt", "no field"),
        ("{task_id", "name template"),
    ],
)
def test_bad_templates_are_refused_up_front(template: str, why: str) -> None:
    """A template that could never be safe is an error before any task runs."""
    with pytest.raises(ExportError, match=why):
        NameTemplate(template)


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("client_user_id", "../../etc/passwd", "path separator"),
        ("client_user_id", "a/b", "path separator"),
        ("client_user_id", "a\\b", "path separator"),
        ("client_user_id", "..", "'..'"),
        ("client_user_id", "bad\x00name", "NUL"),
        ("client_user_id", "line\nbreak", "control character"),
        ("client_user_id", "", "empty"),
        ("client_user_id", "   ", "empty"),
        ("url_stem", "", "empty"),
    ],
)
def test_field_values_that_could_escape_are_refused(field: str, value: str, why: str) -> None:
    """A field value with a separator, NUL, control character or nothing in it is refused."""
    template = NameTemplate("{" + field + "}.{ext}")
    with pytest.raises(ExportError, match=why) as caught:
        template.render({**FIELDS, field: value}, what="task T1")
    assert "task T1" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (".hidden.srt", "temporary"),
        ("CON.srt", "device"),
        ("nul", "device"),
        ("x/aux.txt", "device"),
        ("name.", "space or a dot"),
        ("name ", "space or a dot"),
        ("a:b.srt", "absolute"),
        ("ab:c.srt", "one of"),
        ("what?.srt", "one of"),
        ("a" * 256, "longer than 255"),
        ("manifest.jsonl", "used by the export"),
        ("MANIFEST.JSONL", "used by the export"),
        ("a//b", "empty"),
        ("", "empty"),
    ],
)
def test_unsafe_or_reserved_results_are_refused(name: str, why: str) -> None:
    """Names that are hidden, reserved on Windows or by the export, or malformed are refused."""
    with pytest.raises(ExportError, match=why):
        check_relative_path(name, what="task t", reserved=frozenset({"manifest.jsonl"}))


def test_reserved_name_via_template() -> None:
    """A template whose result is the manifest's own name is refused for that task."""
    template = NameTemplate("{url_stem}.jsonl", reserved=frozenset({"manifest.jsonl"}))
    with pytest.raises(ExportError, match="used by the export"):
        template.render({**FIELDS, "url_stem": "manifest"}, what="task t")


@settings(max_examples=300, deadline=None)
@given(
    template=st.sampled_from(
        ["{task_id}.{ext}", "{client_user_id}/{task_id}.{ext}", "{url_stem}-{language}.{ext}"]
    ),
    value=st.text(min_size=0, max_size=40),
)
def test_any_field_value_stays_inside_the_folder(template: str, value: str) -> None:
    """Whatever a field holds, a rendered name either is refused or lands inside the folder."""
    values = {**FIELDS, "task_id": value, "client_user_id": value, "url_stem": value}
    try:
        name = NameTemplate(template).render(values, what="task t")
    except ExportError:
        return
    root = "/out"
    joined = posixpath.normpath(posixpath.join(root, name))
    assert joined.startswith(root + "/")
    assert ".." not in name.split("/")
    assert not any(part.startswith(".") for part in name.split("/"))


def test_url_stem() -> None:
    """The stem is the last URL path segment without extension, percent-decoded."""
    assert url_stem("https://cdn.example.com/v/Talk%20one.mp4?sig=abc") == "Talk one"
    assert url_stem("https://cdn.example.com/v/noext") == "noext"
    assert url_stem("https://cdn.example.com/") == ""
    assert url_stem(None) == ""
    assert url_stem("https://x/a%2F..%2Fb.mp4") == "a/../b"


def test_task_fields_defaults() -> None:
    """Unknown languages are 'und' and missing task fields are empty (refused if used)."""
    fields = task_fields(task_id="t", lang3=None, language=None, task_data=None)
    assert fields["language"] == "und"
    assert fields["lang3"] == "und"
    assert fields["client_user_id"] == ""
    fields = task_fields(
        task_id="t",
        lang3="ger",
        language="de",
        task_data={"client_user_id": 7, "url": "https://h/x/film.mp4"},
    )
    assert fields["client_user_id"] == "7"
    assert fields["url_stem"] == "film"
    assert fields["language"] == "de"


def test_clash_key_folds_case_and_normalisation() -> None:
    """Names that only differ in case or Unicode normal form count as one file."""
    assert clash_key("A.srt") == clash_key("a.srt")
    assert clash_key("caf\u00e9.srt") == clash_key("cafe\u0301.srt")
    assert clash_key("a.srt") != clash_key("b.srt")


def test_names_are_posix_relative() -> None:
    """Rendered names use '/' whatever the platform; joining them is the caller's job."""
    name = NameTemplate("{language}/{task_id}.{ext}").render(FIELDS, what="task t")
    assert "/" in name
    assert not os.path.isabs(name)
