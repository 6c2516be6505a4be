"""
Realistic caption text for the benchmarks: speech-like sentences in five
languages (English, German, French, Spanish, Russian), most of them not
ASCII, and about half the cues laid out on two lines as a captioner would
(broken at the space nearest the middle). Easy all-ASCII single-line text
flatters a caption library: non-ASCII text costs more to encode, measure and
lay out, and two-line cues take the writers' slower paths.

Not a benchmark itself: ``convert.py``, ``quality.py`` and ``scale.py``
import it.
"""

from __future__ import annotations

import random

__all__ = ["LANGUAGES", "cue_text", "sentence"]

# Common words weighted as in speech (short function words repeated), plus
# the content words of a product talk; punctuation as speech recognition
# writes it.
_VOCABULARY = {
    "eng": (
        "the the the a a to to and and of of in that it it is is we we you you I"
        " for this on with as be have are was not but they at so what can all"
        " there one about if just like will our do get know think going really"
        " people time now here right yeah okay well that's it's we're don't"
        " upload video files pipeline caption processing progress connection"
        " automatically quarterly update captions generated café naïve résumé"
    ),
    "ger": (
        "der die das und und ist ist ich wir Sie nicht mit mit für auf zu zu es"
        " ein eine dass wenn aber auch noch schon über größer Straße müssen"
        " können Übertragung Videodateien Untertitel verarbeitet automatisch"
        " Verbindung Qualität natürlich heißt während Grüße schön früh"
    ),
    "fre": (
        "le la les de de des et et est est un une que qui nous vous il elle pas"
        " pour avec dans sur c'est l'équipe j'ai d'abord très déjà été où même"
        " fichiers vidéo sous-titres traitement connexion qualité réseau"
        " automatiquement générés à à ça voilà première"
    ),
    "spa": (
        "el la los las de de que que y y en en un una es es no se por con para"
        " su lo como más pero sí también está están años después así aquí"
        " archivos vídeo subtítulos procesamiento conexión calidad automáticamente"
        " señor mañana niño España ¿qué"
    ),
    "rus": (
        "и и в в не на я что что он с с как это это мы вы по но они к у же"
        " из за то все так его для было будет уже очень сейчас здесь"
        " видео файлы субтитры обработка соединение качество автоматически"
        " загрузка сеть «привет» ещё ёлка"
    ),
}
LANGUAGES: tuple[str, ...] = tuple(_VOCABULARY)
_WORDS = {language: text.split() for language, text in _VOCABULARY.items()}
_TAILS = (".", ".", ".", "?", ",", "!")


def sentence(rng: random.Random, language: str, words: int) -> str:
    """
    ``words`` words of ``language``, capitalised, a comma in the middle of
    every other long sentence, ending with punctuation.
    """
    vocabulary = _WORDS[language]
    picked = [rng.choice(vocabulary) for _ in range(words)]
    picked[0] = picked[0][:1].upper() + picked[0][1:]
    if words > 6 and rng.random() < 0.5:
        picked[words // 2] += ","
    return " ".join(picked) + rng.choice(_TAILS)


def two_lines(text: str, width: int = 42) -> str:
    """
    ``text`` broken at the space nearest its middle when it is longer than
    ``width`` characters (a captioner's two-line cue), else unchanged.
    """
    if len(text) <= width:
        return text
    middle = len(text) // 2
    left, right = text.rfind(" ", 0, middle + 1), text.find(" ", middle)
    if left < 0 and right < 0:
        return text
    cut = right if left < 0 or (right >= 0 and right - middle < middle - left) else left
    return text[:cut] + "\n" + text[cut + 1 :]


def cue_text(rng: random.Random, language: str | None = None) -> str:
    """
    One cue's text: 4 to 16 words (about 60 characters, like the Gcore
    sample task) of ``language`` (a random one of :data:`LANGUAGES` when
    ``None``), on two lines when longer than 42 characters.
    """
    chosen = language or rng.choice(LANGUAGES)
    return two_lines(sentence(rng, chosen, rng.randint(4, 16)))
