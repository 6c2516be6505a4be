"""
The ``gcore-captions`` command line: argument handling only, every command
calls the public API.

Each command lives in its own module and is registered here. What every
command does the same way is here too: a usage error is one line on stderr
(exit 2), and Ctrl-C is one line (exit 130), never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .._version import __version__
from ._common import EXIT_INTERRUPTED, EXIT_USAGE, error_line

# click >= 8.2 raises this (a UsageError) to show the help of a bare group;
# it must still show the help.
_SHOW_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())

__all__ = ["main"]

EPILOG = """\b
Examples:
  gcore-captions convert samples/fungi-in-a-forest.json --to srt,vtt -o out/
  gcore-captions convert episode.vtt --to srt -o -      # to stdout
"""


@contextmanager
def _one_line_stops() -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt as error:
        # Ctrl-C: one line, the usual 128 + SIGINT. (An interrupted export
        # says how to resume; see ExportInterrupted.)
        error_line(str(error) or "interrupted")
        raise SystemExit(EXIT_INTERRUPTED) from None
    except click.UsageError as error:
        if isinstance(error, _SHOW_HELP):
            raise
        where = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
        error_line(f"{error.format_message().rstrip('.')}{where}")
        raise SystemExit(EXIT_USAGE) from None


class _Group(click.Group):
    """
    The ``gcore-captions`` group: click's, with one-line usage errors and
    Ctrl-C handled once for every command (see :func:`_one_line_stops`).
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _one_line_stops():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_stops():
            return super().invoke(ctx)


@click.group(
    cls=_Group,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="gcore-captions")
def main() -> None:
    """
    Turn Gcore AI transcription tasks into caption files (SRT, WebVTT, ASS,
    plain text, aligned JSON), one or thousands at a time.
    """


def _register() -> None:
    # One line per command module, so commands can be added independently.
    from .check import check
    from .convert import convert
    from .export import export
    from .fetch import fetch
    from .list_ import list_
    from .preview import preview
    from .wait import wait

    main.add_command(check)
    main.add_command(convert)
    main.add_command(export)
    main.add_command(fetch)
    main.add_command(list_)
    main.add_command(preview)
    main.add_command(wait)


_register()
