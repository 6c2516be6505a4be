"""
What every command shares: one-line errors on stderr and exit codes.

Exit codes: 0 success, 1 when anything failed (the rest is still done),
2 for usage errors, 70 for an internal error (a bug: one line, ``--debug``
shows the traceback), 130 when stopped with Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import GcoreCaptionsError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE in sysexits.h: a bug in this tool
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

F = TypeVar("F", bound=Callable[..., Any])


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


def no_clobber_option(command: F) -> F:
    """
    Add ``--no-clobber`` (``no_clobber``) to a command that writes files.
    """
    return click.option(
        "-n",
        "--no-clobber",
        "no_clobber",
        is_flag=True,
        help="Leave existing files alone (each one is reported); write only new ones.",
    )(command)
