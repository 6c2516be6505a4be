"""
The split pass: cues that last too long, or whose text needs more lines than
allowed, become several cues.

A cue is cut at the best boundary between its words: the end of a sentence
first, then of a clause, then before a conjunction or preposition, never
leaving one word alone, and near the point that gives each side its fair
share of the text. Each side gets a share of the time in proportion to its
characters (so the new times are estimates: ``Cue.estimated`` is set), and
sides that still do not fit are cut again.
"""

from __future__ import annotations

from itertools import accumulate
from operator import add

from ..model import Change, Cue, Transcript
from ..timecode import format_vtt
from .language import normalize_language
from .layout import (
    ascii_fits_two_lines,
    is_clean_ascii,
    layout_text,
    layout_text_at_most,
    line_count,
)
from .passes import finish, with_text
from .reflow import reflow_change, reflow_text
from .tokens import DASHES, NO_BREAK, Tokens, is_dialogue, tokenize

__all__ = ["split_long"]

_ORPHAN = 60


def split_long(
    transcript: Transcript,
    *,
    max_duration_ms: int | None = 7000,
    max_chars: int | None = 42,
    max_lines: int | None = 2,
    full_width_chars: bool = False,
    min_gap_ms: int = 0,
    language: str | None = None,
    relayout: bool = False,
) -> Transcript:
    """
    Split cues longer than ``max_duration_ms`` or needing more than
    ``max_lines`` lines of ``max_chars`` characters.

    Args:
        transcript: the cues to split.
        max_duration_ms: longest a cue may last (``None``: no limit).
        max_chars: characters per line (columns; full-width characters when
            ``full_width_chars``).
        max_lines: lines per cue.
        full_width_chars: ``max_chars`` counts full-width characters.
        min_gap_ms: the gap left between the parts of a split cue (when the
            parts are long enough to spare it).
        language: ISO 639-2/B code for the word lists (default: the
            transcript's language).
        relayout: also lay out the cues that are not split: the same cues
            and changes as this pass then
            :func:`~gcore_captions.quality.reflow.reflow` with the same
            limits, in one loop, each line layout computed once (the split
            parts are laid out already).

    Returns:
        The transcript with long cues split; every part is laid out in
        balanced lines and marked ``estimated``. A cue that overlaps the
        next one is left alone (its parts would interleave with that cue):
        run :func:`~gcore_captions.quality.passes.fix_overlaps` first, as
        :func:`~gcore_captions.quality.apply_preset` does.
    """
    width = None if max_chars is None else max_chars * (2 if full_width_chars else 1)
    if not relayout and max_duration_ms is None and (width is None or max_lines is None):
        return transcript
    language = normalize_language(language or transcript.language)
    out: list[Cue] = []
    changes: list[Change] = []
    relaid: list[Change] = []  # reflow's changes come after split's, as in two passes

    def keep(cue: Cue, text: str | None = None) -> None:
        if relayout:
            if text is None:
                text = reflow_text(cue.text, width, language)
            if text != cue.text:
                relaid.append(reflow_change(len(out) + 1, text, max_chars))
                cue = with_text(cue, text)
        out.append(cue)

    cues = transcript.cues
    for number, cue in enumerate(cues, 1):
        text = cue.text
        duration = cue.end_ms - cue.start_ms
        too_long = max_duration_ms is not None and duration > max_duration_ms
        if not too_long:
            if width is None or max_lines is None:
                keep(cue)
                continue
            if _fits_quickly(text, width, max_lines):
                keep(cue)
                continue
            if relayout and not is_clean_ascii(text) and not is_dialogue(text):
                # Not decided quickly: the layout itself tells whether it fits.
                lines = layout_text_at_most(text, width, language, max_lines)
                if lines is not None:
                    keep(cue, "\n".join(lines))
                    continue
        if duration < 0 or (number < len(cues) and cues[number].start_ms < cue.end_ms):
            keep(cue)  # overlapping cues are fixed first (the overlaps pass)
            continue
        tokens = tokenize(text, language)
        if len(tokens) < 2:
            keep(cue)
            continue
        plan = _Plan(tokens, width, max_lines, max_duration_ms, min_gap_ms)
        parts = plan.split(0, len(tokens), cue.start_ms, cue.end_ms)
        if len(parts) == 1:
            keep(cue)  # fits already, or nowhere to cut (one unbreakable run)
            continue
        for index, (lo, hi, start, end) in enumerate(parts):
            out.append(
                Cue(
                    start,
                    end,
                    "\n".join(layout_text(tokens.join(lo, hi), width, language)),
                    cue.speaker,
                    cue.identifier if index == 0 else None,
                    cue.settings,
                    True,
                )
            )
        reason = []
        if too_long:
            reason.append(f"cues last at most {max_duration_ms} ms")
        if plan.root_lines > (max_lines or plan.root_lines):
            reason.append(f"at most {max_lines} lines of {max_chars} characters")
        changes.append(
            Change(
                "split",
                number,
                f"split {format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}"
                f" into {len(parts)} cues (times estimated by characters)",
                "; ".join(reason),
            )
        )
    return finish(transcript, out, changes + relaid)


def _fits_quickly(text: str, width: int, max_lines: int) -> bool:
    # Cheap sufficient tests that spare tokenizing most cues: clean ASCII in
    # two lines, or text short enough even if every character were wide.
    if is_clean_ascii(text):
        if max_lines == 2:
            return ascii_fits_two_lines(text, width)
        return len(text) <= width
    return 2 * len(text) <= width


class _Plan:
    """
    Recursive cutting of one cue's tokens, with what "fits" means.
    """

    def __init__(
        self,
        tokens: Tokens,
        width: int | None,
        max_lines: int | None,
        max_duration_ms: int | None,
        min_gap_ms: int,
    ) -> None:
        self.tokens = tokens
        self.width = width
        self.max_lines = max_lines
        self.max_duration_ms = max_duration_ms
        self.min_gap_ms = min_gap_ms
        self.root_lines = 0  # lines the whole text needs, once computed
        # prefix[i]: width of tokens[:i] with the separators between them.
        self.prefix: list[int] = [0, *accumulate(map(add, tokens.glue, tokens.widths))]

    def _size(self, lo: int, hi: int) -> int:
        return self.prefix[hi] - self.prefix[lo] - (self.tokens.glue[lo] if lo else 0)

    def parts_needed(self, lo: int, hi: int, start: int, end: int) -> int:
        """
        A lower bound on how many cues tokens lo..hi need.
        """
        needed = 1
        if self.max_duration_ms is not None:
            needed = max(needed, -(-(end - start) // self.max_duration_ms))
        if self.width is not None and self.max_lines is not None:
            lines = line_count(self.tokens, self.width, lo, hi, self._size(lo, hi))
            if lo == 0 and hi == len(self.tokens):
                self.root_lines = lines
            needed = max(needed, -(-lines // self.max_lines))
        return needed

    def split(self, lo: int, hi: int, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """
        Tokens lo..hi cut into parts that fit: (lo, hi, start, end) each.
        """
        if hi - lo < 2:
            return [(lo, hi, start, end)]
        parts = self.parts_needed(lo, hi, start, end)
        if parts == 1:
            return [(lo, hi, start, end)]
        share = (parts // 2) / parts
        cut = self._best_cut(lo, hi, share)
        if cut is None:
            return [(lo, hi, start, end)]
        total = self._size(lo, hi) or 1
        boundary = start + round((end - start) * self._size(lo, cut) / total)
        # The minimum gap comes out of the left part, or of the right one when
        # the left is too short to spare it (a very short cue with a lot of
        # text); with neither, the parts touch and check reports it.
        left_end, right_start = boundary - self.min_gap_ms, boundary
        if left_end <= start:
            left_end = boundary
            if boundary + self.min_gap_ms < end:
                right_start = boundary + self.min_gap_ms
        return self.split(lo, cut, start, left_end) + self.split(cut, hi, right_start, end)

    def _best_cut(self, lo: int, hi: int, share: float) -> int | None:
        tokens = self.tokens
        penalties = tokens.penalties()
        prefix, glue, texts, seps = self.prefix, tokens.glue, tokens.texts, tokens.seps
        start_width = prefix[lo] + (glue[lo] if lo else 0)
        total = (prefix[hi] - start_width) or 1
        wanted = share * total
        edge = (lo + 1, hi - 1) if hi - lo >= 3 else ()
        best_cost = 0.0
        best = None
        for cut in range(lo + 1, hi):
            penalty = penalties[cut]
            if penalty >= NO_BREAK:
                continue
            cost = 100 * abs(prefix[cut] - start_width - wanted) / total + 2 * penalty
            if cut in edge:
                cost += _ORPHAN  # never leave one word alone in a cue
            if seps[cut] and texts[cut] in DASHES:
                cost -= 40  # a dialogue dash: a new speaker's line
            if best is None or cost < best_cost:
                best_cost = cost
                best = cut
        return best
