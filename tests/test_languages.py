"""
Language codes: every Gcore code maps to BCP-47, B and T codes are interchangeable.
"""

from __future__ import annotations

import pytest

from gcore_captions import languages
from gcore_captions.languages import (
    B_TO_T,
    SUPPORTED,
    T_TO_B,
    is_known,
    normalize,
    to_bcp47,
    to_bibliographic,
    to_terminology,
)

# The audio_language list from the API reference (section 4), as printed
# there (the docs' duplicate ``dut`` already folded).
_GCORE_TEXT = """
afr alb amh ara arm asm aze bak baq bel ben bos bre bul bur cat chi cze dan dut eng est fao fin
fre geo ger glg gre guj hat hau haw heb hin hrv hun ice ind ita jav jpn kan kaz khm kor lao lat
lav lin lit ltz mac mal mao mar may mlg mlt mon nep nor oci pan per pol por pus rum rus san sin
slo slv sna snd som spa srp sun swa swe tam tat tel tgk tgl tha tib tuk tur ukr urd uzb vie wel
yid yor
"""
GCORE_LIST = _GCORE_TEXT.split()

# Expected ISO 639-1 (or the 3-letter code where none exists) for every code.
EXPECTED_BCP47 = {
    "afr": "af", "alb": "sq", "amh": "am", "ara": "ar", "arm": "hy", "asm": "as", "aze": "az",
    "bak": "ba", "baq": "eu", "bel": "be", "ben": "bn", "bos": "bs", "bre": "br", "bul": "bg",
    "bur": "my", "cat": "ca", "chi": "zh", "cze": "cs", "dan": "da", "dut": "nl", "eng": "en",
    "est": "et", "fao": "fo", "fin": "fi", "fre": "fr", "geo": "ka", "ger": "de", "glg": "gl",
    "gre": "el", "guj": "gu", "hat": "ht", "hau": "ha", "haw": "haw", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "ice": "is", "ind": "id", "ita": "it", "jav": "jv", "jpn": "ja",
    "kan": "kn", "kaz": "kk", "khm": "km", "kor": "ko", "lao": "lo", "lat": "la", "lav": "lv",
    "lin": "ln", "lit": "lt", "ltz": "lb", "mac": "mk", "mal": "ml", "mao": "mi", "mar": "mr",
    "may": "ms", "mlg": "mg", "mlt": "mt", "mon": "mn", "nep": "ne", "nor": "no", "oci": "oc",
    "pan": "pa", "per": "fa", "pol": "pl", "por": "pt", "pus": "ps", "rum": "ro", "rus": "ru",
    "san": "sa", "sin": "si", "slo": "sk", "slv": "sl", "sna": "sn", "snd": "sd", "som": "so",
    "spa": "es", "srp": "sr", "sun": "su", "swa": "sw", "swe": "sv", "tam": "ta", "tat": "tt",
    "tel": "te", "tgk": "tg", "tgl": "tl", "tha": "th", "tib": "bo", "tuk": "tk", "tur": "tr",
    "ukr": "uk", "urd": "ur", "uzb": "uz", "vie": "vi", "wel": "cy", "yid": "yi", "yor": "yo",
}  # fmt: skip

_PAIRS_TEXT = (
    "alb/sqi arm/hye baq/eus bur/mya chi/zho cze/ces dut/nld fre/fra geo/kat ger/deu gre/ell"
    " ice/isl mac/mkd mao/mri may/msa per/fas rum/ron slo/slk tib/bod wel/cym"
)
PAIRS = _PAIRS_TEXT.split()


def test_supported_is_exactly_the_documented_list() -> None:
    """SUPPORTED holds the 98 distinct codes Gcore documents, no more, no fewer."""
    assert len(GCORE_LIST) == len(set(GCORE_LIST)) == 98
    assert frozenset(GCORE_LIST) == SUPPORTED
    assert set(EXPECTED_BCP47) == SUPPORTED


@pytest.mark.parametrize("code", sorted(SUPPORTED))
def test_every_supported_code_maps(code: str) -> None:
    """Each supported code maps to its BCP-47 tag, normalises to itself, and is known."""
    assert to_bcp47(code) == EXPECTED_BCP47[code]
    assert normalize(code) == code
    assert to_bibliographic(code) == code
    assert is_known(code)
    # Upper case and the two-letter form lead back to the same B code.
    assert normalize(code.upper()) == code
    assert normalize(to_bcp47(code)) == code
    assert to_bcp47(to_terminology(code)) == EXPECTED_BCP47[code]


@pytest.mark.parametrize("pair", PAIRS)
def test_bibliographic_and_terminology_pairs(pair: str) -> None:
    """Each of the 20 B/T pairs converts both ways and maps to the same BCP-47 tag."""
    b, t = pair.split("/")
    assert B_TO_T[b] == t
    assert T_TO_B[t] == b
    assert to_terminology(b) == t
    assert to_terminology(t) == t
    assert to_bibliographic(t) == b
    assert normalize(t.upper()) == b
    assert to_bcp47(t) == to_bcp47(b)
    assert is_known(t)


def test_codes_that_are_the_same_in_b_and_t() -> None:
    """Languages without a separate T code keep their code both ways."""
    assert to_terminology("eng") == "eng"
    assert to_bibliographic("eng") == "eng"
    assert to_terminology("haw") == "haw"


def test_brief_examples() -> None:
    """The examples from the design: ger/deu -> de, chi/zho -> zh, eng -> en, haw stays."""
    assert to_bcp47("ger") == to_bcp47("deu") == "de"
    assert to_bcp47("chi") == to_bcp47("zho") == "zh"
    assert to_bcp47("eng") == "en"
    assert to_bcp47("haw") == "haw"
    assert to_bcp47("nno") == "nn"


def test_tolerant_input() -> None:
    """Case, surrounding space, two-letter codes and BCP-47 regions are all understood."""
    assert normalize(" Ger ") == "ger"
    assert normalize("de") == "ger"
    assert normalize("DE-at") == "ger"
    assert normalize("pt_BR") == "por"
    assert to_bcp47("FR") == "fr"
    assert to_terminology("zh-Hant") == "zho"


def test_unknown_three_letter_codes_pass_through() -> None:
    """A well-formed code we do not know is kept (lower-cased), not rejected."""
    assert normalize("XYZ") == "xyz"
    assert to_bcp47("yue") == "yue"
    assert not is_known("xyz")


@pytest.mark.parametrize("bad", ["", "e", "english", "12", "e1g", "zz", None, 3])
def test_malformed_codes_are_rejected(bad: object) -> None:
    """Malformed codes and unknown two-letter codes raise ValueError naming the input."""
    with pytest.raises(ValueError, match="code"):
        normalize(bad)  # type: ignore[arg-type]
    assert not is_known(bad)  # type: ignore[arg-type]


def test_module_docstring_examples() -> None:
    """The doctest examples in the module docstring hold."""
    import doctest

    failures, _ = doctest.testmod(languages)
    assert failures == 0
