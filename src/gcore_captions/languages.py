"""
Language codes: Gcore's ISO 639-2 codes and the BCP-47 tags formats want.

Gcore names languages with three-letter ISO 639-2 *bibliographic* codes
(``ger``, ``fre``, ``chi``), but some of its own lists use the *terminology*
codes (``deu``, ``fra``, ``zho``). Every function here accepts either, in any
case, and also accepts a two-letter ISO 639-1 code (``de``) or a BCP-47 tag
with a region (``de-AT``, whose region is dropped).

>>> to_bcp47("ger"), to_bcp47("deu"), to_bcp47("haw")
('de', 'de', 'haw')
>>> normalize("DEU"), to_terminology("ger"), to_bibliographic("zh")
('ger', 'deu', 'chi')
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "B_TO_T",
    "SUPPORTED",
    "T_TO_B",
    "is_known",
    "normalize",
    "to_bcp47",
    "to_bibliographic",
    "to_terminology",
]

# ISO 639-2/B code -> ISO 639-1 code (the code itself when there is no
# two-letter code, which BCP-47 then uses as is). Covers every
# ``audio_language`` value Gcore documents, plus Nynorsk, which only its
# ``/ai/info`` lists name.
_B_TO_ISO1: dict[str, str] = {
    "afr": "af",
    "alb": "sq",
    "amh": "am",
    "ara": "ar",
    "arm": "hy",
    "asm": "as",
    "aze": "az",
    "bak": "ba",
    "baq": "eu",
    "bel": "be",
    "ben": "bn",
    "bos": "bs",
    "bre": "br",
    "bul": "bg",
    "bur": "my",
    "cat": "ca",
    "chi": "zh",
    "cze": "cs",
    "dan": "da",
    "dut": "nl",
    "eng": "en",
    "est": "et",
    "fao": "fo",
    "fin": "fi",
    "fre": "fr",
    "geo": "ka",
    "ger": "de",
    "glg": "gl",
    "gre": "el",
    "guj": "gu",
    "hat": "ht",
    "hau": "ha",
    "haw": "haw",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "ice": "is",
    "ind": "id",
    "ita": "it",
    "jav": "jv",
    "jpn": "ja",
    "kan": "kn",
    "kaz": "kk",
    "khm": "km",
    "kor": "ko",
    "lao": "lo",
    "lat": "la",
    "lav": "lv",
    "lin": "ln",
    "lit": "lt",
    "ltz": "lb",
    "mac": "mk",
    "mal": "ml",
    "mao": "mi",
    "mar": "mr",
    "may": "ms",
    "mlg": "mg",
    "mlt": "mt",
    "mon": "mn",
    "nep": "ne",
    "nno": "nn",
    "nor": "no",
    "oci": "oc",
    "pan": "pa",
    "per": "fa",
    "pol": "pl",
    "por": "pt",
    "pus": "ps",
    "rum": "ro",
    "rus": "ru",
    "san": "sa",
    "sin": "si",
    "slo": "sk",
    "slv": "sl",
    "sna": "sn",
    "snd": "sd",
    "som": "so",
    "spa": "es",
    "srp": "sr",
    "sun": "su",
    "swa": "sw",
    "swe": "sv",
    "tam": "ta",
    "tat": "tt",
    "tel": "te",
    "tgk": "tg",
    "tgl": "tl",
    "tha": "th",
    "tib": "bo",
    "tuk": "tk",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "vie": "vi",
    "wel": "cy",
    "yid": "yi",
    "yor": "yo",
}

#: The 20 languages whose bibliographic and terminology codes differ.
B_TO_T: MappingProxyType[str, str] = MappingProxyType(
    {
        "alb": "sqi",
        "arm": "hye",
        "baq": "eus",
        "bur": "mya",
        "chi": "zho",
        "cze": "ces",
        "dut": "nld",
        "fre": "fra",
        "geo": "kat",
        "ger": "deu",
        "gre": "ell",
        "ice": "isl",
        "mac": "mkd",
        "mao": "mri",
        "may": "msa",
        "per": "fas",
        "rum": "ron",
        "slo": "slk",
        "tib": "bod",
        "wel": "cym",
    }
)

#: Terminology code -> bibliographic code, for the 20 pairs that differ.
T_TO_B: MappingProxyType[str, str] = MappingProxyType({t: b for b, t in B_TO_T.items()})

#: Every language code Gcore documents for ``audio_language`` (ISO 639-2/B).
SUPPORTED: frozenset[str] = frozenset(_B_TO_ISO1) - {"nno"}

_ISO1_TO_B: dict[str, str] = {iso1: b for b, iso1 in _B_TO_ISO1.items() if len(iso1) == 2}


def _primary(code: str) -> str:
    if not isinstance(code, str):
        raise ValueError(f"a language code must be a string, not {type(code).__name__}")
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    if not (2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha()):
        raise ValueError(
            f"not a language code: {code!r} (expected ISO 639 like 'eng', 'ger', 'deu' or 'de')"
        )
    return primary


def normalize(code: str) -> str:
    """
    The ISO 639-2/B code for any spelling of a language code.

    Args:
        code: ``"ger"``, ``"DEU"``, ``"de"``, ``"de-AT"``...

    Returns:
        The bibliographic code (``"ger"``). A well-formed three-letter code
        this module does not know is returned lower-cased, unchanged.

    Raises:
        ValueError: the code is not two or three letters (after dropping a
            BCP-47 region), or is an unknown two-letter code.
    """
    primary = _primary(code)
    if len(primary) == 2:
        try:
            return _ISO1_TO_B[primary]
        except KeyError:
            raise ValueError(f"unknown two-letter language code: {code!r}") from None
    return T_TO_B.get(primary, primary)


def to_bibliographic(code: str) -> str:
    """
    The ISO 639-2/B code (``deu`` -> ``ger``); the same as :func:`normalize`.

    Raises:
        ValueError: as :func:`normalize`.
    """
    return normalize(code)


def to_terminology(code: str) -> str:
    """
    The ISO 639-2/T code (``ger`` -> ``deu``; ``eng`` stays ``eng``).

    Raises:
        ValueError: as :func:`normalize`.
    """
    bibliographic = normalize(code)
    return B_TO_T.get(bibliographic, bibliographic)


def to_bcp47(code: str) -> str:
    """
    The BCP-47 language tag: the ISO 639-1 code where one exists
    (``ger``/``deu`` -> ``de``), else the three-letter code (``haw``).

    Raises:
        ValueError: as :func:`normalize`.
    """
    bibliographic = normalize(code)
    return _B_TO_ISO1.get(bibliographic, bibliographic)


def is_known(code: str) -> bool:
    """
    Whether ``code`` (any spelling) names a language this module maps.
    """
    try:
        return normalize(code) in _B_TO_ISO1
    except ValueError:
        return False
