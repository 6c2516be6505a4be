"""
Legacy code pages: a caption file that is not UTF-8 (and has no BOM) is read
in the code page charset-normalizer guesses, with a ``guessed-encoding``
warning naming it; ``encoding=`` / ``--encoding`` override the guess; binary
data is refused, not guessed. The captions are real sentences of each
language, written the way Windows subtitle tools save them.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import gcore_captions
from gcore_captions import FormatError, load, loads
from gcore_captions.cli import main
from gcore_captions.textio import GUESSED_ENCODING, decode_text

SRC = str(Path(gcore_captions.__file__).resolve().parents[1])

LINES = {
    "czech": [
        "Dobrý den, jak se máte?",
        "Příliš žluťoučký kůň úpěl ďábelské ódy.",
        "To je ale překvapení!",
        "Kde jsi byl celou noc?",
        "Nevím, co mám dělat.",
        "Řekni mi pravdu, prosím.",
        "Už je pozdě, musíme jít.",
        "Čekám na tebe před školou.",
        "Ten film byl opravdu skvělý.",
        "Děkuji za všechno.",
        "Zítra se uvidíme.",
        "Šťastnou cestu!",
    ],
    "polish": [
        "Dzień dobry, jak się masz?",
        "Zażółć gęślą jaźń.",
        "Nie wiem, co mam robić.",
        "Gdzie byłeś całą noc?",
        "Powiedz mi prawdę.",
        "Już jest późno, musimy iść.",
        "Czekam na ciebie przed szkołą.",
        "Ten film był naprawdę świetny.",
        "Dziękuję za wszystko.",
        "Do zobaczenia jutro.",
        "Szczęśliwej podróży!",
        "Źle się czuję.",
    ],
    "russian": [
        "Привет, как дела?",
        "Съешь же ещё этих мягких французских булок.",
        "Я не знаю, что делать.",
        "Где ты был всю ночь?",
        "Скажи мне правду, пожалуйста.",
        "Уже поздно, нам пора идти.",
        "Я жду тебя у школы.",
        "Этот фильм был просто потрясающий.",
        "Спасибо за всё.",
        "Увидимся завтра.",
        "Счастливого пути!",
        "Мне плохо.",
    ],
    "french": [
        "« Bonjour », dit-elle — c’est l’été.",
        "Où est la bibliothèque ?",
        "Je n’en sais rien, à vrai dire…",
        "C’était une très belle soirée.",
        "Il faut qu’on parte tôt demain.",
        "Ça alors ! Quelle surprise.",
        "Les élèves étaient déjà là.",
        "“Attends-moi”, cria-t-il.",
        "On se voit à la gare à 8 h.",
        "Merci pour tout ce que tu as fait.",
        "Bon voyage !",
        "Noël approche.",
    ],
    "german": [
        "„Guten Morgen“, sagte er – wie immer.",
        "Wir müssen uns beeilen.",
        "Das Mädchen lief über die Straße.",
        "Ich weiß es nicht genau…",
        "Grüß Gott!",
        "Die Brötchen sind schon fertig.",
        "Er hat’s mir gestern erzählt.",
        "Schöne Grüße an deine Familie.",
        "Das ist ’ne gute Idee.",
        "Bis morgen früh.",
        "Viel Spaß beim Spielen!",
        "Heute ist es heiß.",
    ],
    "chinese": [
        "你好，你今天怎么样？",
        "我不知道该怎么办。",
        "你昨天晚上去哪儿了？",
        "请告诉我真相。",
        "已经很晚了，我们该走了。",
        "我在学校门口等你。",
        "这部电影真的太好看了。",
        "谢谢你为我做的一切。",
        "明天见。",
        "一路顺风！",
        "我觉得不太舒服。",
        "外面下雨了。",
    ],
    "traditional chinese": [
        "你好，你今天怎麼樣？",
        "我不知道該怎麼辦。",
        "你昨天晚上去哪兒了？",
        "請告訴我真相。",
        "已經很晚了，我們該走了。",
        "我在學校門口等你。",
        "這部電影真的太好看了。",
        "謝謝你為我做的一切。",
        "明天見。",
        "一路順風！",
        "我覺得不太舒服。",
        "外面下雨了。",
    ],
    "japanese": [
        "こんにちは、お元気ですか？",
        "どうすればいいかわかりません。",
        "昨日の夜はどこにいたの？",
        "本当のことを教えてください。",
        "もう遅いから、帰らなきゃ。",
        "学校の前で待っているよ。",
        "この映画は本当に面白かった。",
        "いろいろありがとう。",
        "また明日ね。",
        "気をつけてね！",
        "ちょっと気分が悪いです。",
        "外は雨が降っています。",
    ],
}

# The code page each file is written in, and the name the guess reports: the
# most common code page that decodes the bytes to the same text (GB18030 is
# a superset of GB2312 and GBK, cp932 Microsoft's Shift-JIS).
CODE_PAGES = {
    "czech": ("cp1250", "cp1250"),
    "polish": ("cp1250", "cp1250"),
    "russian": ("cp1251", "cp1251"),
    "french": ("cp1252", "cp1252"),
    "german": ("cp1252", "cp1252"),
    "chinese": ("gb2312", "gb18030"),
    "traditional chinese": ("big5", "big5"),
    "japanese": ("shift_jis", "cp932"),
}


def srt_text(lines: list[str]) -> str:
    """An SRT file with one cue per line, CRLF line ends as Windows tools write them."""
    blocks = [
        f"{n}\r\n00:00:{n:02d},000 --> 00:00:{n:02d},900\r\n{line}\r\n"
        for n, line in enumerate(lines, 1)
    ]
    return "\r\n".join(blocks)


@pytest.mark.parametrize("language", list(LINES))
def test_a_dozen_cues_in_a_legacy_code_page_are_read_with_a_warning(language: str) -> None:
    """Twelve cues: the text comes back exactly; one warning names the code page and line."""
    written, reported = CODE_PAGES[language]
    data = srt_text(LINES[language]).encode(written)
    transcript = loads(data, filename=f"{language}.srt")
    assert [cue.text for cue in transcript] == LINES[language]
    (warning,) = transcript.warnings
    assert warning.code == GUESSED_ENCODING
    assert f"read as {reported}" in warning.message
    assert warning.line == 3  # the first cue's text is the first line with non-ASCII bytes
    assert "encoding" in warning.message  # says how to override


# One cue is a handful of letters to judge by. What the guess makes of each
# language's first line alone (measured, and the documented limit in
# docs/formats.md): right for Russian, French, German, Chinese and Japanese;
# the Czech cue is read as cp1252, which happens to give the same letters
# (ý, á exist in both); the Polish cue is read as cp1252 and two letters come
# out wrong ("Dzieñ", "siê").
ONE_CUE = {
    "czech": ("cp1252", True),
    "polish": ("cp1252", False),
    "russian": ("cp1251", True),
    "french": ("cp1252", True),
    "german": ("cp1252", True),
    "chinese": ("gb18030", True),
    "traditional chinese": ("big5", True),
    "japanese": ("cp932", True),
}


@pytest.mark.parametrize("language", list(LINES))
def test_one_cue_is_guessed_as_documented(language: str) -> None:
    """One cue: the guess is as recorded in ONE_CUE, and the warning always names it."""
    written, _ = CODE_PAGES[language]
    reported, right = ONE_CUE[language]
    line = LINES[language][0]
    transcript = loads(srt_text([line]).encode(written), filename="one.srt")
    assert (transcript[0].text == line) is right
    (warning,) = transcript.warnings
    assert f"read as {reported}" in warning.message
    # Naming the code page always reads it right, with nothing to warn about.
    named = loads(srt_text([line]).encode(written), filename="one.srt", encoding=written)
    assert named[0].text == line
    assert named.warnings == ()


def test_short_czech_cue_misread_as_cp1252_is_fixed_by_naming_the_encoding() -> None:
    """The limit, concretely: one Czech cue reads as cp1252 ("Øekni"), cp1250 fixes it."""
    line = "Řekni mi pravdu, prosím."
    data = srt_text([line]).encode("cp1250")
    guessed = loads(data, filename="short.srt")
    assert guessed[0].text == "Øekni mi pravdu, prosím."
    assert "read as cp1252" in guessed.warnings[0].message
    assert loads(data, filename="short.srt", encoding="cp1250")[0].text == line


def test_a_latin1_symbol_inside_words_rules_out_cp1252() -> None:
    """A short Polish cue, read as cp1252, has symbols inside words ("Za¿ó³æ"): cp1250 wins."""
    data = srt_text(["Zażółć gęślą jaźń."]).encode("cp1250")
    assert loads(data, filename="short.srt")[0].text == "Zażółć gęślą jaźń."


def test_encoding_overrides_the_guess_and_utf8_guesses_nothing() -> None:
    """``encoding=`` is used as given: a different code page, or UTF-8 that refuses."""
    data = srt_text(LINES["russian"]).encode("cp1251")
    as_koi8 = loads(data, filename="ru.srt", encoding="koi8-r")
    assert as_koi8.warnings == ()
    assert as_koi8[0].text == LINES["russian"][0].encode("cp1251").decode("koi8-r")
    with pytest.raises(FormatError, match="not valid utf-8") as caught:
        loads(data, filename="ru.srt", encoding="utf-8")
    assert caught.value.line == 3


def test_load_reads_a_file_in_a_legacy_code_page(tmp_path: Path) -> None:
    """``load`` from a path guesses as ``loads`` does, and takes ``encoding=``."""
    path = tmp_path / "talk.srt"
    path.write_bytes(srt_text(LINES["french"]).encode("cp1252"))
    assert [c.text for c in load(path)] == LINES["french"]
    assert load(path).warnings[0].code == GUESSED_ENCODING
    assert load(path, encoding="cp1252").warnings == ()


def test_webvtt_and_ass_are_guessed_too() -> None:
    """The guess happens before any reader: WebVTT and ASS files get it as SRT does."""
    lines = LINES["czech"]
    vtt = "WEBVTT\n\n" + "\n".join(
        f"00:00:{n:02d}.000 --> 00:00:{n:02d}.900\n{line}\n" for n, line in enumerate(lines, 1)
    )
    transcript = loads(vtt.encode("cp1250"), filename="x.vtt")
    assert [c.text for c in transcript] == lines
    assert transcript.warnings[0].code == GUESSED_ENCODING
    ass = (
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        + "".join(
            f"Dialogue: 0,0:00:{n:02d}.00,0:00:{n:02d}.90,Default,,0,0,0,,{line}\n"
            for n, line in enumerate(lines, 1)
        )
    )
    transcript = loads(ass.encode("cp1250"), filename="x.ass")
    assert [c.text for c in transcript] == lines
    assert transcript.warnings[0].code == GUESSED_ENCODING


def _png() -> bytes:
    rng = random.Random(2)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("random bytes", random.Random(1).randbytes(4000)),
        ("random bytes, no NUL", bytes(b for b in random.Random(3).randbytes(4000) if b)),
        ("a PNG", _png()),
        ("a gzip of a caption file", gzip.compress(srt_text(LINES["french"]).encode(), mtime=0)),
        ("control characters", bytes([1, 2, 3, 4, 5, 6, 0xE9, 0x1B]) * 100),
        ("terminal escapes", b"\x1b[31mred\x1b[0m \xe9\x07\x08" * 50),
    ],
)
def test_binary_data_is_refused_not_guessed(name: str, data: bytes) -> None:
    """Binary data is a FormatError saying it is not text, never a guessed code page."""
    with pytest.raises(FormatError, match="not text") as caught:
        decode_text(data, filename="x.srt")
    assert caught.value.filename == "x.srt"
    with pytest.raises(FormatError, match="not text"):
        loads(data, filename="x.srt")


def test_code_pages_that_do_not_read_ascii_as_ascii_are_never_guessed() -> None:
    """Bytes charset-normalizer takes for EBCDIC (cp037) stay in an ASCII-compatible code page."""
    decoded = decode_text(b"\x80" * 100)
    assert decoded.encoding not in {"cp037", "cp500", "utf_7", "utf_16_be"}
    assert "0123456789 -->".encode(decoded.encoding).decode("ascii") == "0123456789 -->"


def test_utf8_with_one_bad_byte_is_refused_naming_it_not_guessed() -> None:
    """Mostly-UTF-8 text with a stray byte keeps UTF-8's error: a code page would garble it."""
    good = srt_text(["Café crème", "naïve façade", "Noël à Paris", "résumé"]).encode("utf-8")
    data = good + b"\r\n5\r\n00:00:05,000 --> 00:00:05,900\r\nbad \xe9 byte\r\n"
    with pytest.raises(FormatError, match="not valid utf-8") as caught:
        loads(data, filename="mixed.srt")
    assert caught.value.line == 19  # the fifth cue's text
    assert "0xe9" in str(caught.value)


def test_bom_and_bomless_utf16_are_never_guessed() -> None:
    """A BOM or UTF-16's NUL pattern names the encoding; broken bytes there are errors."""
    text = srt_text(LINES["russian"])
    assert decode_text(text.encode("utf-16-le")).warnings == ()
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")).encoding == "utf-8"
    with pytest.raises(FormatError, match="utf-8"):
        decode_text(b"\xef\xbb\xbf" + text.encode("cp1251"))


def test_cli_prints_the_guess_and_takes_encoding(tmp_path: Path) -> None:
    """``convert`` prints the warning on stderr; ``--encoding`` silences it and decides."""
    path = tmp_path / "ru.srt"
    path.write_bytes(srt_text(LINES["russian"]).encode("cp1251"))
    result = CliRunner().invoke(main, ["convert", str(path), "--to", "vtt", "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert LINES["russian"][1] in result.stdout
    assert "read as cp1251" in result.stderr
    assert "[guessed-encoding]" in result.stderr
    named = ["convert", str(path), "--to", "vtt", "-o", "-", "--encoding", "cp1251"]
    result = CliRunner().invoke(main, named)
    assert result.exit_code == 0
    assert LINES["russian"][1] in result.stdout
    assert result.stderr == ""
    result = CliRunner().invoke(main, ["check", str(path), "--encoding", "utf-8"])
    assert result.exit_code != 0
    assert "not valid utf-8" in result.stderr


def test_charset_normalizer_is_imported_only_to_guess(tmp_path: Path) -> None:
    """UTF-8 input (``convert``, then ``load``) never imports charset_normalizer; a guess does."""
    utf8 = tmp_path / "a.srt"
    utf8.write_bytes(srt_text(LINES["russian"]).encode("utf-8"))
    legacy = tmp_path / "b.srt"
    legacy.write_bytes(srt_text(LINES["russian"]).encode("cp1251"))
    out = tmp_path / "out"
    script = (
        "import json, sys\n"
        "import gcore_captions\n"
        "from gcore_captions.cli import main\n"
        "try:\n"
        f"    main(['convert', {str(utf8)!r}, '--to', 'vtt', '-o', {str(out)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        f"gcore_captions.load({str(utf8)!r})\n"
        "print(json.dumps('charset_normalizer' in sys.modules))\n"
        f"gcore_captions.load({str(legacy)!r})\n"
        "print(json.dumps('charset_normalizer' in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=SRC)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert [json.loads(line) for line in done.stdout.split()] == [False, True]


def test_preview_shows_the_guess_on_the_page_and_takes_encoding(tmp_path: Path) -> None:
    """``preview`` lists the guess among the page's reading notes; ``--encoding`` decides."""
    path = tmp_path / "ru.srt"
    path.write_bytes(srt_text(LINES["russian"]).encode("cp1251"))
    page = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["preview", str(path), "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "read as cp1251" in html
    assert "[guessed-encoding]" in html
    named = ["preview", str(path), "-o", str(page), "--encoding", "koi8-r"]
    result = CliRunner().invoke(main, named)
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "guessed-encoding" not in html
    assert LINES["russian"][0].encode("cp1251").decode("koi8-r") in html


def test_latin_text_that_a_cjk_code_page_fits_is_read_as_latin() -> None:
    """'üß' in cp1252 is also one Hangul syllable in cp949: a one-cue German file stays German."""
    data = srt_text(["Grüß Gott!"]).encode("cp1252")
    transcript = loads(data, filename="de.srt")
    assert transcript[0].text == "Grüß Gott!"
    assert "read as cp1252" in transcript.warnings[0].message


def test_a_long_file_is_guessed_from_the_lines_that_are_not_utf8() -> None:
    """Past 64 KiB the guess reads a sample from the first non-UTF-8 line; its line is named."""
    head = srt_text(["hello there"] * 3000).encode("ascii")
    data = head + b"\r\n\r\n" + srt_text(LINES["russian"]).encode("cp1251")
    assert len(head) > 64 * 1024
    decoded = decode_text(data)
    assert decoded.encoding == "cp1251"
    assert decoded.text.endswith(LINES["russian"][-1] + "\n")
    assert decoded.warnings[0].line == 3000 * 4 + 4  # the first Russian cue's text


def test_a_later_byte_the_sampled_guess_cannot_read_makes_it_guess_again() -> None:
    """A byte past the sample that cp1251 lacks (0x98): the whole file is guessed, not refused."""
    russian = srt_text(LINES["russian"] * 100).encode("cp1251")
    assert len(russian) > 64 * 1024
    data = russian + b"\r\n\r\n9999\r\n00:59:00,000 --> 00:59:01,000\r\nbad \x98 byte\r\n"
    with pytest.raises(UnicodeDecodeError):  # the premise: cp1251 cannot read it
        data.decode("cp1251")
    decoded = decode_text(data)
    assert decoded.encoding != "cp1251"
    assert decoded.text.split("\n")[2] == LINES["russian"][0]
    assert f"read as {decoded.encoding}" in decoded.warnings[0].message


def test_binary_data_after_a_text_sample_is_refused_by_its_control_characters() -> None:
    """A long file whose guessed sample is text but whose tail is binary is still refused."""
    head = srt_text(LINES["french"] * 100).encode("cp1252")
    assert len(head) > 64 * 1024  # the guess reads only this part
    # Bytes cp1252 can decode (no NUL, none of its five holes): nothing fails to decode.
    alphabet = [b for b in range(1, 256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
    rng = random.Random(4)
    tail = bytes(rng.choice(alphabet) for _ in range(20_000))
    with pytest.raises(FormatError, match="control characters"):
        decode_text(head + tail, filename="x.srt")


def test_a_short_russian_cue_is_not_taken_for_shift_jis_2004() -> None:
    """charset-normalizer alone stops at shift_jis_2004 (0x5C as a yen sign): it is excluded."""
    data = srt_text(["Спасибо за всё."]).encode("cp1251")
    transcript = loads(data, filename="ru.srt")
    assert transcript[0].text == "Спасибо за всё."
    assert "read as cp1251" in transcript.warnings[0].message
