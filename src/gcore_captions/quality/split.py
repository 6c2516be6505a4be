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

from ..model import Change, Cue, Transcript
from ..timecode import format_vtt
from .language import normalize_language
from .layout import NO_BREAK, Tokens, greedy_lines, layout, tokenize
from .passes import finish

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

    Returns:
        The transcript with long cues split; every part is laid out in
        balanced lines and marked ``estimated``.
    """
    width = None if max_chars is None else max_chars * (2 if full_width_chars else 1)
    if max_duration_ms is None and (width is None or max_lines is None):
        return transcript
    language = normalize_language(language or transcript.language)
    capacity = None if width is None or max_lines is None else width * max_lines
    out: list[Cue] = []
    changes: list[Change] = []
    for number, cue in enumerate(transcript.cues, 1):
        duration = cue.end_ms - cue.start_ms
        too_long = max_duration_ms is not None and duration > max_duration_ms
        if not too_long and (width is None or max_lines is None or _fits_one_line(cue.text, width)):
            out.append(cue)
            continue
        tokens = tokenize(cue.text, language)
        if len(tokens) < 2 or duration < 0:
            out.append(cue)
            continue
        plan = _Plan(tokens, width, max_lines, max_duration_ms, min_gap_ms)
        if plan.fits(0, len(tokens), cue.start_ms, cue.end_ms):
            out.append(cue)
            continue
        parts = plan.split(0, len(tokens), cue.start_ms, cue.end_ms)
        if len(parts) == 1:
            out.append(cue)  # nowhere to cut (one unbreakable run)
            continue
        for index, (lo, hi, start, end) in enumerate(parts):
            out.append(
                Cue(
                    start,
                    end,
                    "\n".join(layout(tokens, width, lo, hi)),
                    cue.speaker,
                    cue.identifier if index == 0 else None,
                    cue.settings,
                    True,
                )
            )
        reason = []
        if too_long:
            reason.append(f"cues last at most {max_duration_ms} ms")
        if capacity is not None and greedy_lines(tokens, width or 0) > (max_lines or 0):
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
    return finish(transcript, out, changes)


def _fits_one_line(text: str, width: int) -> bool:
    # A cheap sufficient test: no character is wider than two columns.
    return len(text) <= width if text.isascii() else 2 * len(text) <= width


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
        self.prefix = [0]
        total = 0
        for i in range(len(tokens)):
            total += (tokens.glue[i] if i else 0) + tokens.widths[i]
            self.prefix.append(total)

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
            lines = greedy_lines(self.tokens, self.width, lo, hi)
            needed = max(needed, -(-lines // self.max_lines))
        return needed

    def fits(self, lo: int, hi: int, start: int, end: int) -> bool:
        """
        Whether tokens lo..hi shown from start to end break no limit.
        """
        return self.parts_needed(lo, hi, start, end) == 1

    def split(self, lo: int, hi: int, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """
        Tokens lo..hi cut into parts that fit: (lo, hi, start, end) each.
        """
        if hi - lo < 2 or self.fits(lo, hi, start, end):
            return [(lo, hi, start, end)]
        parts = self.parts_needed(lo, hi, start, end)
        share = (parts // 2) / parts
        cut = self._best_cut(lo, hi, share)
        if cut is None:
            return [(lo, hi, start, end)]
        total = self._size(lo, hi) or 1
        boundary = start + round((end - start) * self._size(lo, cut) / total)
        left_end = boundary - self.min_gap_ms
        if left_end <= start:
            left_end = boundary
        return self.split(lo, cut, start, left_end) + self.split(cut, hi, boundary, end)

    def _best_cut(self, lo: int, hi: int, share: float) -> int | None:
        tokens = self.tokens
        total = self._size(lo, hi) or 1
        words = hi - lo
        best_cost: float | None = None
        best = None
        for cut in range(lo + 1, hi):
            penalty = tokens.penalty(cut)
            if penalty >= NO_BREAK:
                continue
            left = self._size(lo, cut)
            cost = 100 * abs(left - share * total) / total + 2 * penalty
            if words >= 3 and (cut == lo + 1 or cut == hi - 1):
                cost += _ORPHAN
            if is_dialogue_start(tokens, cut):
                cost -= 40  # a new speaker's line
            if best_cost is None or cost < best_cost:
                best_cost = cost
                best = cut
        return best


def is_dialogue_start(tokens: Tokens, index: int) -> bool:
    """
    Whether token ``index`` is a dialogue dash opening a new speaker's line.
    """
    return tokens.texts[index] in ("-", "–", "—") and bool(tokens.seps[index])
