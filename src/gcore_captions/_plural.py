"""
Counts in messages: ``plural(1, "task")`` is ``"1 task"``,
``plural(2, "task")`` is ``"2 tasks"``.
"""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, word: str, many: str | None = None) -> str:
    """
    ``count`` and the word in the right number.

    Args:
        count: how many.
        word: the singular (``"task"``).
        many: the plural when it is not ``word + "s"`` (``"entries"``).
    """
    return f"{count} {word if count == 1 else many or word + 's'}"
