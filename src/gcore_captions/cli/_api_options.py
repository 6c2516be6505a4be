"""
What the commands that talk to the API share: ``--api-key``,
``--base-url`` and ``--timeout`` (the time limit of each request), the
waiting options (``--wait-timeout``, ``--poll-interval``), checking a task
id, opening a client, and turning errors into one line and an exit code.

``--timeout`` used to mean "wait for the task at most" on the commands
that wait. It now means what it means for httpx and curl-like tools, the
limit of each request; waiting is ``--wait-timeout``. For one deprecation
period a ``--timeout`` given without ``--wait-timeout`` to a command that
waits keeps its old meaning, with a note saying so (:func:`timeouts`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from ..errors import GcoreCaptionsError
from ._common import EXIT_FAILED, describe, error_line

if TYPE_CHECKING:
    from ..gcore import Client

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "api_options",
    "check_file_stem",
    "open_client",
    "reported_errors",
    "task_id_argument",
    "timeouts",
    "wait_options",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
DEFAULT_WAIT_TIMEOUT = 600.0
_SECONDS = click.FloatRange(min=0, min_open=True)
_LONGEST_REQUEST = 1e7  # seconds (about 4 months): more overflows the socket's timer


def _finite(_context: click.Context, param: click.Parameter, value: float | None) -> float | None:
    # FloatRange lets "nan" through (every comparison with it is false) and "inf".
    limit = _LONGEST_REQUEST if param.name == "timeout" else math.inf
    if value is not None and (math.isnan(value) or value > limit):
        raise click.BadParameter(
            f"{value} is not a number of seconds"
            + (f" up to {limit:g}" if limit != math.inf else ""),
        )
    return value


def api_options(command: _F) -> _F:
    """
    Add ``--api-key`` (or ``GCORE_API_KEY``), ``--base-url`` (or
    ``GCORE_BASE_URL``) and ``--timeout`` (``timeout``: the time limit of
    each request, ``None`` when not given) to a command.
    """
    command = click.option(
        "--timeout",
        type=_SECONDS,
        callback=_finite,
        metavar="SECONDS",
        help="Seconds each API request may take at most, answer included, however slowly the"
        " server sends it [default: 120]. Failed requests are retried, each with this limit.",
    )(command)
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
    Add ``--wait-timeout`` (``wait_timeout``, ``None`` when not given) and
    ``--poll-interval`` (for commands that wait); read them with
    :func:`timeouts`.
    """
    command = click.option(
        "--poll-interval",
        type=click.FloatRange(min=0, min_open=True, max=3600),
        callback=_finite,
        metavar="SECONDS",
        default=2.0,
        show_default=True,
        help="Seconds before the first re-check when waiting; later checks come less often"
        " (up to 30 s).",
    )(command)
    return click.option(
        "--wait-timeout",
        type=_SECONDS,
        callback=_finite,
        metavar="SECONDS",
        help=f"Seconds to wait for the task at most [default: {DEFAULT_WAIT_TIMEOUT:g}].",
    )(command)


def timeouts(
    timeout: float | None, wait_timeout: float | None, *, waiting: bool
) -> tuple[float | None, float]:
    """
    ``(request limit, wait limit)`` from ``--timeout`` and
    ``--wait-timeout``.

    A command that waits and got ``--timeout`` without ``--wait-timeout``
    reads it the old way, as the wait limit, and prints a note: scripts
    written as ``wait TASK --timeout 3600`` keep working.
    """
    if waiting and timeout is not None and wait_timeout is None:
        context = click.get_current_context()
        if context.get_parameter_source("timeout") == ParameterSource.COMMANDLINE:
            click.echo(
                f"gcore-captions: note: --timeout {timeout:g} is read as --wait-timeout {timeout:g}"
                " (the old meaning, deprecated); write --wait-timeout to wait and --timeout for"
                " the time limit of each request",
                err=True,
            )
            return None, timeout
    return timeout, DEFAULT_WAIT_TIMEOUT if wait_timeout is None else wait_timeout


def open_client(api_key: str | None, base_url: str | None, timeout: float | None = None) -> Client:
    """
    A client from the command's options (``timeout``: the limit of each
    request; the library's default when ``None``).

    Raises:
        click.BadParameter: the base URL is not a URL.
        AuthenticationError: no key anywhere.
    """
    # Imported here so commands that never call the API (convert) start
    # without loading httpx (~0.2 s).
    from ..gcore import DEFAULT_TIMEOUT, Client

    try:
        return Client(
            api_key=api_key,
            base_url=base_url,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
        )
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-url") from None


def task_id_argument(command: _F) -> _F:
    """
    Add the ``TASK_ID`` argument, refused as a usage error when it could
    not be a task id (``..``, ``a/b``, spaces, control characters...).
    """
    return click.argument("task_id", callback=_checked_task_id)(command)


def _checked_task_id(_context: click.Context, _param: click.Parameter, value: str) -> str:
    from ..errors import InvalidTaskId
    from ..gcore import check_task_id

    try:
        return check_task_id(value)
    except InvalidTaskId as error:
        raise click.BadParameter(str(error), param_hint="TASK_ID") from None


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
