"""
The ``gcore-captions`` command line: argument handling only, every command
calls the public API.

Each command lives in its own module and is registered here.
"""

from __future__ import annotations

import click

from .._version import __version__

__all__ = ["main"]

EPILOG = """\b
Examples:
  gcore-captions convert samples/fungi-in-a-forest.json --to srt,vtt -o out/
  gcore-captions convert episode.vtt --to srt -o -      # to stdout
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
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
