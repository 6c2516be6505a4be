"""
Line reflow: balanced lines at natural break points, in every script.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import reflow
from gcore_captions.quality.layout import (
    ascii_fits_two_lines,
    is_clean_ascii,
    layout,
    layout_text,
    line_count,
    tokenize,
)
from gcore_captions.quality.measure import display_width


def lines(text: str, max_chars: int = 42, language: str | None = "eng") -> list[str]:
    return layout_text(text, max_chars, language)


def test_short_text_stays_on_one_line() -> None:
    """A text within the limit keeps one line (Netflix: one line unless over the limit)."""
    assert lines("Good morning, everyone.") == ["Good morning, everyone."]
    assert lines("Good morning,\neveryone.") == ["Good morning, everyone."]


def test_balanced_not_greedy() -> None:
    """Two lines of similar length rather than a full first line and a stub."""
    text = "Today we'll walk through three changes to the upload pipeline."
    top, bottom = lines(text)
    assert abs(len(top) - len(bottom)) <= 6
    assert lines("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii", 40, None) == [
        "aaaa bbbb cccc dddd",
        "eeee ffff gggg hhhh iiii",
    ]


def test_breaks_after_punctuation() -> None:
    """A comma or a full stop near the middle is preferred to an exact balance."""
    assert lines("I know what you mean, but we cannot do that right now.") == [
        "I know what you mean,",
        "but we cannot do that right now.",
    ]
    assert lines("It was very late. Everyone had gone home already.") == [
        "It was very late.",
        "Everyone had gone home already.",
    ]


def test_breaks_before_conjunctions_and_not_after_articles() -> None:
    """Line 1 does not end with "the" or "a"; a conjunction starts line 2."""
    top, bottom = lines("Good morning and welcome to the quarterly product update.")
    assert not top.lower().endswith((" the", " a", " to"))
    top, bottom = lines("She bought the blue car and he bought the red one there.")
    assert bottom.startswith("and ") or not top.endswith(" the")


def test_german_french_spanish_word_lists() -> None:
    """Per-language lists: breaks before und / et / y, never after der / le / el."""
    top, bottom = lines("Wir haben das neue Auto gekauft und sind sofort losgefahren.", 42, "ger")
    assert bottom.startswith("und ")
    top, bottom = lines(
        "Nous avons acheté la voiture et nous sommes partis tout de suite.", 42, "fre"
    )
    assert bottom.startswith("et ")
    top, bottom = lines(
        "Compramos el coche nuevo y nos fuimos inmediatamente a la playa.", 42, "spa"
    )
    assert bottom.startswith("y ")
    for text, lang in [
        ("Ich habe gestern den Mann gesehen, der im Park spazieren ging.", "ger"),
        ("Hier soir nous avons vu le film que tout le monde recommandait.", "fre"),
    ]:
        top, _ = lines(text, 42, lang)
        assert top.split()[-1].lower() not in ("den", "der", "le", "la", "que")


def test_no_orphan_last_word() -> None:
    """The last line is never a single word when the text has more than two."""
    _, bottom = lines("one two three four five six seven eight nine ten eleven", 50, None)
    assert " " in bottom
    assert lines("word " * 9 + "end", 42, None)[-1].count(" ") >= 1


def test_lone_punctuation_stays_with_its_word() -> None:
    """French spacing ("Quoi ?") never puts the "?" at the start of a line."""
    for text in ["Quoi ? Tu es sûr de vouloir partir maintenant avec eux ?", "Alors : on y va ?"]:
        for width in range(8, 40):
            for line in lines(text, width, "fre"):
                assert not line.startswith(("?", ":", "!"))


def test_cjk_breaks_without_spaces() -> None:
    """Chinese and Japanese break between characters; no space is invented, none lost."""
    text = "我们今天要讨论的是上传管道的三个变化，首先是大文件的自动恢复。"
    result = layout_text(text, 32, "chi")
    assert len(result) == 2
    assert "".join(result) == text
    assert all(display_width(line) <= 32 for line in result)
    japanese = "今日はとても良い天気ですね。散歩に行きましょうか？"
    result = layout_text(japanese, 26, "jpn")
    assert "".join(result) == japanese
    assert not any(line.startswith(("。", "？", "、")) for line in result)


def test_cjk_line_break_is_not_a_space() -> None:
    """A line break between CJK characters joins them without a space; elsewhere a space."""
    assert layout_text("日本\n語", 32, "jpn") == ["日本語"]
    assert layout_text("日本\nabc", 32, "jpn") == ["日本 abc"]
    assert layout_text("Hello\nworld", 32, "eng") == ["Hello world"]


def test_cjk_never_breaks_where_a_space_would_be_lost_or_invented() -> None:
    """No break at a space inside CJK text, nor between a CJK character and a Latin one."""
    text = "我们今天 讨论一下iPhone的问题和上传管道的三个变化"
    for width in range(6, 40, 2):
        result = layout_text(text, width, "chi")
        assert "".join(result) == text  # the space stays inside a line
        for line in result:
            assert not line.startswith(("iPhone", "的问题"))
            assert not line.endswith(("一下", "iPhone"))
        assert layout_text("\n".join(result), width, "chi") == result


def test_cjk_brackets_stay_with_their_text() -> None:
    """No line ends with an opening bracket or starts with a closing one (kinsoku)."""
    text = "彼は「明日また来ます」と言って、静かに部屋を出て行きました。"
    for width in range(6, 40, 2):
        for line in layout_text(text, width, "jpn"):
            assert not line.endswith("「")
            assert not line.startswith(("」", "、", "。"))


def test_thai_breaks_at_its_phrase_spaces() -> None:
    """Thai breaks at the spaces between phrases; a word is never cut (that needs a dictionary)."""
    text = "สวัสดีครับ วันนี้เราจะพูดถึงการเปลี่ยนแปลง สามอย่าง"
    result = layout_text(text, 24, "tha")
    assert result == ["สวัสดีครับ", "วันนี้เราจะพูดถึงการเปลี่ยนแปลง", "สามอย่าง"] or (
        " ".join(result) == text
    )
    assert " ".join(result) == text


def test_rtl_stays_in_logical_order() -> None:
    """Hebrew and Arabic are broken like any text, words kept in stored (logical) order."""
    text = "שלום, וברוכים הבאים לעדכון המוצר הרבעוני שלנו היום."
    result = layout_text(text, 30, "heb")
    assert " ".join(result) == text
    arabic = "مرحبا بكم في التحديث الفصلي للمنتج، سنتحدث اليوم عن ثلاثة تغييرات."
    result = layout_text(arabic, 42, "ara")
    assert " ".join(result) == arabic
    assert result[0].endswith("،")


def test_emoji_and_combining_marks_count_as_one() -> None:
    """A ZWJ emoji or an accented letter is one character (two columns for the emoji)."""
    text = "Cafe\u0301 " * 8  # 8 words of 4 visible letters
    assert lines(text.strip(), 20, None) == ["Cafe\u0301 Cafe\u0301 Cafe\u0301 Cafe\u0301"] * 2


def test_dialogue_keeps_one_line_per_speaker() -> None:
    """Lines that all start with a dash are two speakers: never joined or re-broken."""
    transcript = Transcript((Cue(0, 2000, "- Are you coming?\n-  Yes."),))
    assert reflow(transcript).cues[0].text == "- Are you coming?\n- Yes."


def test_too_long_for_two_lines_gets_more_lines() -> None:
    """Reflow alone never drops words: a text too long for two lines gets three."""
    text = " ".join(["word"] * 24)
    result = lines(text)
    assert len(result) == 3
    assert all(len(line) <= 42 for line in result)


def test_reflow_records_changes() -> None:
    """The pass records one change per re-laid cue, and none for a clean short cue."""
    transcript = Transcript(
        (
            Cue(0, 1000, "Short one."),
            Cue(1000, 4000, "Good morning, and welcome to the quarterly product update."),
        ),
        language="eng",
    )
    result = reflow(transcript)
    assert [c.cue for c in result.changes] == [2]
    assert result.changes[0].pass_name == "reflow"
    assert result.cues[1].text == "Good morning, and welcome\nto the quarterly product update."


VOCABULARY = (
    "the a and of in so what is it Yes. okay, well ? : really; going to be fine!"
    " I we you they supercalifragilisticexpialidocious"
)
WORDS = st.sampled_from(VOCABULARY.split())


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=20), st.integers(8, 50))
def test_fast_path_equals_general_path(words: list[str], width: int) -> None:
    """The string fast path for ASCII cues lays text out exactly like the tokenizer."""
    text = " ".join(words)
    assert layout_text(text, width, "eng") == layout(tokenize(text, "eng"), width)
    if is_clean_ascii(text) and ascii_fits_two_lines(text, width):
        assert line_count(tokenize(text, "eng"), width) <= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=20), st.integers(8, 50))
def test_layout_respects_width_and_keeps_words(words: list[str], width: int) -> None:
    """Every line fits unless it cannot be broken (one word and its "?"); order is kept."""
    text = " ".join(words)
    result = lines(text, width)
    assert " ".join(result).split() == words
    assert len(result) == line_count(tokenize(text, "eng"), width)
    for line in result:
        assert len(line) <= width or all(w in ("?", ":") for w in line.split()[1:])
