"""
What every command shares: one-line errors on stderr and exit codes.

Exit codes: 0 success, 1 when anything failed (the rest is still done),
2 for usage errors, 70 for an internal error (a bug: one line, ``--debug``
shows the traceback), 130 when stopped with Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

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


_NO_CLOBBER_HELP = "Leave existing files alone (each one is reported); write only new ones."


@overload
def no_clobber_option(command: F) -> F: ...
@overload
def no_clobber_option(*, help: str) -> Callable[[F], F]: ...
def no_clobber_option(
    command: F | None = None, *, help: str = _NO_CLOBBER_HELP
) -> F | Callable[[F], F]:
    """
    Add ``--no-clobber`` (``no_clobber``) to a command that writes files
    (``@no_clobber_option``, or ``@no_clobber_option(help=...)`` where the
    command reports the files it left alone elsewhere).
    """
    option = click.option("-n", "--no-clobber", "no_clobber", is_flag=True, help=help)
    return option if command is None else option(command)
