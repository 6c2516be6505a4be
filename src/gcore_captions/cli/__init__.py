"""
The ``gcore-captions`` command line: argument handling only, every command
calls the public API.

Each command lives in its own module and is registered here, loaded when
it is first used. What every command does the same way is here too: a usage
error is one line on stderr (exit 2), Ctrl-C is one line (exit 130), and
an unexpected internal error (a bug) is one line too (exit 70): never a
traceback, unless ``--debug`` (or ``GCORE_CAPTIONS_DEBUG=1``) asks for it.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import click

from .._version import __version__
from ._common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, error_line

# click >= 8.2 raises this (a UsageError) to show the help of a bare group;
# it must still show the help.
_SHOW_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())

__all__ = ["main"]

EPILOG = """\b
Examples:
  gcore-captions convert samples/fungi-in-a-forest.json --to srt,vtt -o out/
  gcore-captions convert episode.vtt --to srt -o -      # to stdout
"""


DEBUG_ENV = "GCORE_CAPTIONS_DEBUG"


def _debugging(ctx: click.Context | None) -> bool:
    if ctx is not None and ctx.params.get("debug"):
        return True
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


@contextmanager
def _one_line_stops(ctx: click.Context | None = None) -> Iterator[None]:
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
    except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
        # click prints these itself (and quiets a closed stdout pipe).
        raise
    except Exception as error:
        if _debugging(ctx):
            raise
        error_line(_internal_error_line(error))
        raise SystemExit(EXIT_INTERNAL) from None


def _internal_error_line(error: Exception) -> str:
    # Only the type and the first 200 characters: the message of an error we
    # did not expect is not ours to trust, so it is also scrubbed of the key.
    message = " ".join(str(error).split())
    key = os.environ.get("GCORE_API_KEY", "")
    if key or "gcore_captions.gcore" in sys.modules:
        # The client's own scrubber (every spelling of the key), for the
        # variable's key and for every live client's (a key given with
        # --api-key); imported only here, so commands that never call the
        # API start without httpx.
        from ..gcore import Scrubber

        message = Scrubber.scrub_live(Scrubber(key)(message) if key else message)
    if len(message) > 200:
        message = message[:199] + "\u2026"
    detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return (
        f"internal error ({detail}); this is a bug in gcore-captions."
        f" Run again with --debug (or {DEBUG_ENV}=1) to see the traceback"
    )


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
        with _one_line_stops(ctx), _warnings_as_lines():
            return super().invoke(ctx)


@contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """
    Show the library's own warnings (a writer's ``WriterWarning``: what it
    changed so the file stays valid) as one line each on stderr, like the
    reading warnings, every time, whatever filters the caller set.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("always", category=UserWarning, module=r"gcore_captions(\.|$)")
        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
            from ..formats import WriterWarning  # loaded already when one is issued

            if issubclass(category, WriterWarning):
                click.echo(f"gcore-captions: warning: {message}", err=True)
            else:
                shown(message, category, *args, **kw)

        warnings.showwarning = show
        yield


@click.group(
    cls=_Group,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="gcore-captions")
@click.option(
    "--debug",
    is_flag=True,
    help=f"Show the full traceback of an internal error (a bug) [env {DEBUG_ENV}=1].",
)
def main(debug: bool) -> None:
    """
    Turn Gcore AI transcription tasks into caption files (SRT, WebVTT, ASS,
    plain text, aligned JSON), one or thousands at a time.
    """


class _LazyCommands(MutableMapping[str, click.Command]):
    """
    The group's commands by name, each command's module imported the first
    time the command is looked up: ``gcore-captions --version`` and
    ``gcore-captions convert ...`` load only what they run, not the HTTP
    client, asyncio and rich that other commands need. Listing the names
    (``--help`` then looks every command up for its summary) imports nothing.
    """

    def __init__(self, modules: Mapping[str, tuple[str, str]]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        command = self._loaded.get(name)
        if command is None:
            module, attribute = self._modules[name]
            command = getattr(import_module(module, __name__), attribute)
            self._loaded[name] = command
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._modules.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if self._modules.pop(name, None) is None:
            del self._loaded[name]
        else:
            self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._modules, *self._loaded}))

    def __len__(self) -> int:
        return len({*self._modules, *self._loaded})


# One line per command (name, module, function), so commands can be added
# independently.
main.commands = _LazyCommands(
    {
        "check": (".check", "check"),
        "convert": (".convert", "convert"),
        "export": (".export", "export"),
        "fetch": (".fetch", "fetch"),
        "list": (".list_", "list_"),
        "preview": (".preview", "preview"),
        "publish": (".publish", "publish"),
        "tracks": (".tracks", "tracks"),
        "transcribe": (".transcribe", "transcribe"),
        "wait": (".wait", "wait"),
    }
)
