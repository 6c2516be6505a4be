"""
Per-language facts the quality passes need: language codes, the small words
a line should break before or never end with, and punctuation classes.

Languages are named by ISO 639-2/B codes, as Gcore sends them (``"eng"``,
``"ger"``); 639-2/T (``"deu"``) and 639-1 (``"de"``), also with a region
(``"de-AT"``), are accepted too.
"""

from __future__ import annotations

from ..languages import normalize

__all__ = [
    "BREAK_BEFORE",
    "CLAUSE_END",
    "NO_END",
    "SENTENCE_END",
    "normalize_language",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def normalize_language(code: str | None) -> str | None:
    """
    The ISO 639-2/B code for ``code`` (``"de-AT"``, ``"deu"``, ``"ger"`` all
    give ``"ger"``), leniently: a malformed code comes back lower-cased and
    ``None`` stays ``None`` (a transcript's language is a hint here, not an
    input to validate).
    """
    if not code:
        return None
    try:
        return normalize(code)
    except ValueError:
        return code.strip().lower()


# Punctuation after which a line (or a cue) ends naturally. Closing quotes and
# brackets are stripped before the test, so `said."` counts as a sentence end.
SENTENCE_END = frozenset(".!?…。！？؟۔")
CLAUSE_END = frozenset(",;:、，；：—–")
CLOSING = "\"'”’»)]}」』）】〉》"

# Words a line should preferably start with (conjunctions, prepositions,
# relative pronouns): breaking *before* them keeps a clause together.
BREAK_BEFORE: dict[str, frozenset[str]] = {
    "eng": _words(
        "and but or nor so yet because although though while when whenever where"
        " which who whom whose if unless until since as after before than"
        " of in on at for with from about into onto over under between through"
        " during without within against towards toward across behind beyond"
        " like to"
    ),
    "ger": _words(
        "und oder aber denn sondern weil dass daß wenn als ob obwohl während damit"
        " bis falls nachdem bevor seit sowie mit von zu in an auf für bei nach aus"
        " über unter vor hinter neben zwischen durch gegen ohne um wie"
    ),
    "fre": _words(
        "et ou mais donc car ni que qui quand lorsque parce puisque si comme pour"
        " avec dans sur sous chez sans de à en par vers entre pendant depuis après"
        " avant contre selon dont où"
    ),
    "spa": _words(
        "y e o u pero sino porque que cuando si aunque mientras como para por con"
        " sin en de a sobre entre hasta desde hacia durante contra según donde"
        " quien cual"
    ),
}

# Words a line should not end with: articles, determiners, possessives,
# subject and clitic pronouns (kept with their verb), negations, plus every
# break-before word.
_NO_END_ONLY: dict[str, frozenset[str]] = {
    "eng": _words(
        "a an the my your his her its our their this that these those some any"
        " no every each i we you he she they it mr. mrs. ms. dr. st. not very"
    ),
    "ger": _words(
        "der die das den dem des ein eine einen einem einer eines kein keine"
        " mein meine dein deine sein seine ihr ihre unser unsere ich du er sie es"
        " wir herr frau dr. nicht sehr"
    ),
    "fre": _words(
        "le la les l' un une des du au aux mon ma mes ton ta tes son sa ses notre"
        " nos votre vos leur leurs ce cet cette ces je j' tu il elle on nous vous"
        " ils elles ne n' m. mme très me te se"
    ),
    "spa": _words(
        "el la los las lo un una unos unas mi mis tu tus su sus nuestro nuestra"
        " este esta estos estas ese esa yo tú él ella nosotros vosotros ellos"
        " ellas no muy sr. sra. dr. me te se nos os le les"
    ),
}
NO_END: dict[str, frozenset[str]] = {
    lang: words | BREAK_BEFORE[lang] for lang, words in _NO_END_ONLY.items()
}
