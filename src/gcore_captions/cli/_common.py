"""
What every command shares: one-line errors on stderr and exit codes.

Exit codes: 0 success, 1 when anything failed (the rest is still done),
2 for usage errors, 130 when stopped with Ctrl-C.
"""

from __future__ import annotations

import click

from ..errors import GcoreCaptionsError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def error_line(message: object) -> None:
    """
    Print one readable error line to stderr.
    """
    text = " ".join(str(message).split())
    click.echo(f"gcore-captions: error: {text}", err=True)


def describe(error: BaseException) -> str:
    """
    A one-line description of an error for the terminal.
    """
    if isinstance(error, GcoreCaptionsError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return f"{type(error).__name__}: {error}"


def split_formats(value: str) -> list[str]:
    """
    ``"srt,vtt"`` -> ``["srt", "vtt"]`` (also accepts spaces and repeats).
    """
    names = [part.strip() for part in value.replace(" ", ",").split(",")]
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen
