"""
What the commands that talk to the API share: ``--api-key`` and
``--base-url``, opening a client, and turning errors into one line and an
exit code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import GcoreCaptionsError
from ._common import EXIT_FAILED, describe, error_line

if TYPE_CHECKING:
    from ..gcore import Client

__all__ = ["api_options", "check_file_stem", "open_client", "reported_errors", "wait_options"]

_F = TypeVar("_F", bound=Callable[..., Any])
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def api_options(command: _F) -> _F:
    """
    Add ``--api-key`` (or ``GCORE_API_KEY``) and ``--base-url`` (or
    ``GCORE_BASE_URL``) to a command.
    """
    command = click.option(
        "--base-url",
        envvar="GCORE_BASE_URL",
        metavar="URL",
        help="API root [env GCORE_BASE_URL; default https://api.gcore.com].",
    )(command)
    return click.option(
        "--api-key",
        envvar="GCORE_API_KEY",
        metavar="KEY",
        help="Gcore API key [env GCORE_API_KEY]; prefer the variable, it keeps the key out of"
        " your shell history. Never printed.",
    )(command)


def wait_options(command: _F) -> _F:
    """
    Add ``--timeout`` and ``--poll-interval`` (for commands that wait).
    """
    command = click.option(
        "--poll-interval",
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        default=2.0,
        show_default=True,
        help="Seconds before the first re-check when waiting; later checks come less often"
        " (up to 30 s).",
    )(command)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        default=600.0,
        show_default=True,
        help="Seconds to wait for the task at most.",
    )(command)


def open_client(api_key: str | None, base_url: str | None) -> Client:
    """
    A client from the command's options.

    Raises:
        click.BadParameter: the base URL is not a URL.
        AuthenticationError: no key anywhere.
    """
    # Imported here so commands that never call the API (convert) start
    # without loading httpx (~0.2 s).
    from ..gcore import Client

    try:
        return Client(api_key=api_key, base_url=base_url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-url") from None


@contextmanager
def reported_errors() -> Iterator[None]:
    """
    Print our errors (and file errors) as one line on stderr and exit 1.
    """
    try:
        yield
    except (GcoreCaptionsError, OSError) as error:
        error_line(describe(error))
        raise SystemExit(EXIT_FAILED) from None


def check_file_stem(task_id: str) -> str:
    """
    The task id, when it is safe as a file name stem.

    Raises:
        click.BadParameter: it could name a file outside the folder.
    """
    if not _SAFE_STEM.fullmatch(task_id):
        raise click.BadParameter(f"{task_id!r} cannot be used as a file name", param_hint="TASK_ID")
    return task_id
