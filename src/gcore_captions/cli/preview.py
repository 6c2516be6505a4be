"""
``gcore-captions preview``: one HTML page to watch and review a transcript.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from ..api import load, loads
from ..atomic import write_atomic
from ..errors import GcoreCaptionsError
from ..model import Transcript
from ..preview import build_page
from ..textio import decode
from ._common import EXIT_FAILED, EXIT_OK, describe, error_line

EPILOG = """\b
Examples:
  gcore-captions preview 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135 -o review.html
  gcore-captions preview saved-task.json -o review.html
  gcore-captions preview episode.vtt --video episode.mp4 --preset bbc -o episode.html
"""

# What a Gcore task id looks like (a UUID, or any plain token); anything with
# a path separator or a dot is taken as a file.
_TASK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def _default_output(source: str, transcript: Transcript) -> str:
    if source == "-" or (_TASK_ID.match(source) and not os.path.exists(source)):
        return f"{transcript.task_id or 'preview'}.html"
    return f"{Path(source).stem.removesuffix('.task') or 'preview'}.html"


def _read(source: str, api_key: str | None, base_url: str | None) -> Transcript:
    if source == "-":
        return loads(decode(sys.stdin.buffer.read(), filename="<stdin>"))
    if os.path.exists(source) or not _TASK_ID.match(source):
        return load(Path(source))
    return _fetch(source, api_key, base_url)


def _fetch(task_id: str, api_key: str | None, base_url: str | None) -> Transcript:
    from ..client import Client

    with Client(api_key=api_key, base_url=base_url) as client:
        return client.get_transcript(task_id)


@click.command(epilog=EPILOG)
@click.argument("source", metavar="INPUT")
@click.option(
    "--video",
    default=None,
    metavar="URL_OR_FILE",
    help="Media to play (URL or local file); default: the task's own media URL.",
)
@click.option(
    "--preset",
    default="netflix",
    show_default=True,
    metavar="PRESET",
    help="Quality preset reading speed and issues are judged against.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    help="Page to write ('-' for stdout); default: <task id or input stem>.html.",
)
@click.option("--title", default=None, help="Page heading; default: the task id or file name.")
@click.option(
    "--api-key",
    envvar="GCORE_API_KEY",
    default=None,
    show_envvar=True,
    help="Gcore API key, for a task id.",
)
@click.option(
    "--base-url",
    envvar="GCORE_BASE_URL",
    default=None,
    show_envvar=True,
    help="API base URL, for a task id.",
)
def preview(
    source: str,
    video: str | None,
    preset: str,
    output: str | None,
    title: str | None,
    api_key: str | None,
    base_url: str | None,
) -> None:
    """
    Write one self-contained HTML page to review a transcript: the video
    with its captions, the transcript beside it (click a line to jump
    there, search it), and a timeline of every cue coloured by reading
    speed with quality issues marked.

    INPUT is a Gcore task id (fetched with --api-key), a saved task JSON or
    a caption file (SRT, WebVTT, ASS), or '-' for stdin. The page needs no
    network except for the media itself, and opens from disk.
    """
    try:
        transcript = _read(source, api_key, base_url)
        page = build_page(transcript, video=video, preset=preset, title=title)
        target = output or _default_output(source, transcript)
        data = page.encode("utf-8")
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_atomic(target, data)
    except (GcoreCaptionsError, OSError, ValueError) as error:
        error_line(describe(error))
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_OK)
