"""
The reflow pass: every cue's text laid out again in balanced lines.
"""

from __future__ import annotations

import re

from .._plural import plural
from ..model import Change, Transcript
from .language import normalize_language
from .layout import is_clean_ascii, is_dialogue, layout_text
from .passes import finish, with_text
from .tokens import DASHES

__all__ = ["reflow", "reflow_change", "reflow_text"]

_SPACES = re.compile(r"[ \t\u00a0]+")


def reflow(
    transcript: Transcript,
    *,
    max_chars: int | None = 42,
    full_width_chars: bool = False,
    language: str | None = None,
) -> Transcript:
    """
    Break every cue's text into balanced lines of at most ``max_chars``.

    A text that fits on one line stays on one line. Otherwise it gets the
    fewest lines that fit, with the breaks chosen to balance the lines
    (not greedy filling) and to fall after punctuation or before a
    conjunction or preposition, never after an article or a subject
    pronoun, never leaving the last word alone. Chinese, Japanese and Thai
    break between characters without inventing spaces; right-to-left text
    stays in logical order. Dialogue (every line starts with a dash) keeps
    one line per speaker. Runs of spaces become one space.

    A text that cannot fit in the preset's lines stays longer: splitting it
    into several cues is the ``split`` pass's job.

    Args:
        transcript: the cues to lay out.
        max_chars: characters per line (columns: a full-width character
            counts 2), or full-width characters when ``full_width_chars``;
            ``None`` only normalises spaces and joins lines.
        full_width_chars: ``max_chars`` counts full-width characters.
        language: ISO 639-2/B code for the word lists (default: the
            transcript's language).
    """
    width = None if max_chars is None else max_chars * (2 if full_width_chars else 1)
    language = normalize_language(language or transcript.language)
    cues = list(transcript.cues)
    changes: list[Change] = []
    for index, cue in enumerate(cues):
        text = cue.text
        new = reflow_text(text, width, language)
        if new != text:
            cues[index] = with_text(cue, new)
            changes.append(reflow_change(index + 1, new, max_chars))
    return finish(transcript, cues, changes)


def reflow_text(text: str, width: int | None, language: str | None) -> str:
    """
    One cue's text laid out as :func:`reflow` does (``width`` in columns).
    """
    if width is not None and len(text) <= width and is_clean_ascii(text):
        return text  # one clean line that fits: the common short cue
    if text[:1] in DASHES and is_dialogue(text):
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(layout_text(text, width, language))


def reflow_change(number: int, new: str, max_chars: int | None) -> Change:
    """
    The change record for cue ``number`` laid out as ``new``.
    """
    lines = new.count("\n") + 1
    return Change(
        "reflow",
        number,
        f"text laid out in {plural(lines, 'line')}",
        f"lines of at most {max_chars} characters, balanced, broken at natural points",
    )
