"""
The public API as a user's type checker sees it; CI runs ``mypy --strict`` on
this file, so a change that loses or loosens a public type fails there.
"""

from __future__ import annotations

from pathlib import Path

import gcore_captions
from gcore_captions import (
    AssOptions,
    AssStyle,
    AsyncClient,
    Client,
    Cue,
    ExportOptions,
    ExportReport,
    FormatError,
    InvalidTaskId,
    JsonOptions,
    OutputSpec,
    Preset,
    QualityReport,
    SrtOptions,
    TaskQuery,
    TextOptions,
    Transcript,
    TranscriptWarning,
    VttOptions,
    WrittenFile,
    apply_preset,
    check,
    export_many,
    get_preset,
    load,
    loads,
    parse_task,
    render,
    save,
    write_outputs,
)
from gcore_captions.gcore import DEFAULT_MAX_RESPONSE_BYTES, check_task_id


def reading(path: Path, payload: dict[str, object]) -> list[str]:
    transcript: Transcript = load(path)
    again: Transcript = loads("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "vtt")
    task: Transcript = parse_task(payload)
    warnings: tuple[TranscriptWarning, ...] = transcript.warnings
    first: Cue = task.cues[0]
    start: int = first.start_ms
    return [str(w) for w in warnings] + [again.source or "", str(start)]


def writing(transcript: Transcript, out: Path) -> str:
    save(transcript, out / "a.ass", style=AssStyle(font="Noto Sans", size=48))
    save(transcript, out / "a.srt", newline="\r\n", bom=True)
    try:
        text: str = render(transcript, "vtt")
    except FormatError as error:
        text = error.reason
    return text


def quality(transcript: Transcript) -> float:
    preset: Preset = get_preset("netflix", "eng", max_chars=37)
    fixed: Transcript = apply_preset(transcript, preset)
    report: QualityReport = check(fixed, "bbc")
    rate: float = report.pass_rate
    return rate


def fetching(task_id: str) -> Transcript:
    try:
        task_id = check_task_id(task_id)
    except InvalidTaskId as error:
        raise SystemExit(str(error)) from None
    with Client(
        api_key="k", base_url="http://127.0.0.1:1", timeout=30.0, max_response_bytes=8 << 20
    ) as client:
        payload: dict[str, object] = client.get_task(task_id)
        for item in client.list_tasks(status="SUCCESS", page_size=10):
            payload = item
        return client.get_transcript(str(payload.get("task_id", task_id)))


async def fetching_async(task_id: str) -> Transcript:
    async with AsyncClient(api_key="k", max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES) as client:
        async for _ in client.list_tasks(task_name="transcription"):
            break
        return await client.wait_for(task_id, timeout=60)


def exporting(ids: list[str], out: Path) -> int:
    spec = OutputSpec.parse("srt,vtt", preset="netflix", option_text=["vtt.identifiers=none"])
    options = ExportOptions(concurrency=4, request_timeout=30.0)
    report: ExportReport = export_many(ids, out, spec, options=options)
    query_report: ExportReport = export_many(TaskQuery(status="SUCCESS"), out)
    return report.total + query_report.failed


version: str = gcore_captions.__version__


def specs(transcript: Transcript, out: Path) -> list[WrittenFile]:
    spec = OutputSpec(outputs=(SrtOptions(start_index=0), VttOptions(identifiers="none")))
    files = write_outputs(transcript, spec, out)
    text: str = render(transcript, "ass", AssOptions(style=AssStyle(size=48)))
    fingerprint: str = spec.fingerprint + text
    save(transcript, out / "a.txt", options=TextOptions(timestamps=True))
    save(transcript, out / "a.json", "json", JsonOptions(indent=None))
    return [f for f in files if f.written and fingerprint]


def publishing(path: Path) -> int | None:
    from gcore_captions import PublishResult, Track, publish_track

    with Client(api_key="k") as client:
        tracks: tuple[Track, ...] = client.list_tracks(12345)
        result: PublishResult = publish_track(
            client, 12345, path, name="English", replace=True, spec=OutputSpec.parse("vtt")
        )
        client.update_track(12345, result.track.id or 0, name="English (fixed)")
        client.delete_track("12345", tracks[0].id or 0)
    return result.track.id


async def publishing_async(path: Path) -> str:
    from gcore_captions import apublish_track

    async with AsyncClient(api_key="k") as client:
        result = await apublish_track(client, 12345, path, language="deu", name="Deutsch")
        made = await client.create_track(7, language="eng", name="En", vtt="WEBVTT\n")
    return result.action + (made.name or "")


def creating(url: str) -> Transcript:
    from gcore_captions import FeatureDisabledError, InvalidRequest, QueueLimitReached

    with Client(api_key="k") as client:
        try:
            task_id: str = client.create_transcription(
                url, audio_language="deu", subtitles_language="en", queue_timeout=None
            )
        except (InvalidRequest, QueueLimitReached, FeatureDisabledError):
            raise
        return client.wait_for(task_id)


async def creating_async(url: str) -> str:
    async with AsyncClient(api_key="k") as client:
        return await client.create_transcription(url, client_user_id="mine", reuse=False)
