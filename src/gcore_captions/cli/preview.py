"""
``gcore-captions preview``: one HTML page to watch and review a transcript.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import click

from ..errors import FormatError
from ..model import Transcript
from ..output.atomic import write_atomic
from ..preview import build_page
from ..preview.safe import media_src
from ..quality import get_preset
from ._api_options import api_options, check_file_stem, open_client, reported_errors
from ._writer_options import echo_reading_warnings, encoding_option, read_input, strict_option

__all__ = ["preview"]

EPILOG = """\b
Examples:
  gcore-captions preview 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135 -o review.html
  gcore-captions preview saved-task.json -o review.html
  gcore-captions preview episode.vtt --video episode.mp4 --preset bbc -o episode.html
"""

# What a Gcore task id looks like (a UUID, or any plain token); anything with
# a path separator or a dot is taken as a file.
_TASK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def _is_task_id(source: str) -> bool:
    return bool(_TASK_ID.match(source)) and not os.path.exists(source)


def _default_output(source: str, transcript: Transcript) -> str:
    if source == "-" or _is_task_id(source):
        return f"{check_file_stem(transcript.task_id or 'preview')}.html"
    return f"{Path(source).stem.removesuffix('.task') or 'preview'}.html"


def _title(source: str, transcript: Transcript) -> str | None:
    # A caption file has no task id; its name is the best heading then.
    if source == "-" or _is_task_id(source) or transcript.task_id:
        return None
    return Path(source).name


def _read(
    source: str,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
    strict: bool,
    encoding: str | None,
) -> Transcript:
    if source == "-" or not _is_task_id(source):
        transcript = read_input(source, strict=strict, encoding=encoding)
        echo_reading_warnings(source, transcript.warnings)
        return transcript
    with open_client(api_key, base_url, timeout) as client:
        return client.get_transcript(source)


def _check_video(video: str) -> None:
    """
    Refuse (a usage error) a media URL the page cannot play, and a local
    file that does not exist; http(s) URLs are taken as given.
    """
    try:
        src = media_src(video)
    except FormatError as error:
        raise click.BadParameter(str(error), param_hint="--video") from None
    if src.startswith("file:"):
        path = Path(url2pathname(urlsplit(src).path))
        if not path.exists() or path.is_dir():
            what = "is a folder" if path.is_dir() else "no such file"
            raise click.BadParameter(
                f"{what}: {video}; give an existing file or an http(s) URL",
                param_hint="--video",
            )


@click.command(epilog=EPILOG)
@click.argument("source", metavar="INPUT")
@click.option(
    "--video",
    default=None,
    metavar="URL_OR_FILE",
    help="Media to play (an http(s) URL or an existing local file); default: the task's own"
    " media URL.",
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
@strict_option
@encoding_option
@api_options
def preview(
    source: str,
    video: str | None,
    preset: str,
    output: str | None,
    title: str | None,
    strict: bool,
    encoding: str | None,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
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
        chosen = get_preset(preset)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--preset") from None
    if video is not None:
        _check_video(video)
    with reported_errors():
        transcript = _read(source, api_key, base_url, timeout, strict, encoding)
        heading = title or _title(source, transcript)
        page = build_page(transcript, video=video, preset=chosen, title=heading)
        target = output or _default_output(source, transcript)
        data = page.encode("utf-8")
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_atomic(target, data)
