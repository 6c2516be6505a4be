"""
A video's subtitle tracks against the loopback fake API: the client's calls,
publish_track from any readable file, the checks made before any request,
lost answers (never a duplicate track), and the fake's own validation.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gcore_captions import (
    AsyncClient,
    Client,
    InvalidVideoId,
    OutputSpec,
    Track,
    TrackRefused,
    VideoNotFound,
    apublish_track,
    publish_track,
)
from gcore_captions.errors import ConnectError, NotFoundError
from gcore_captions.gcore import MAX_TRACK_BYTES
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task

KEY = "tracks-test-key"
VIDEO = 4242
PATH = f"/streaming/videos/{VIDEO}/subtitles"
FAST = RetryPolicy(sleep_scale=0.001)
AI_VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello there, this is the AI track.\n"
SRT = "1\n00:00:01,000 --> 00:00:03,500\nFirst line.\n\n2\n00:00:04,000 --> 00:00:06,000\nSecond.\n"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(api_key=KEY) as server:
        server.add_video(
            VIDEO, [{"language": "eng", "name": "English (AI-generated)", "vtt": AI_VTT}]
        )
        server.add_video(7)
        yield server


@pytest.fixture
def client(api: FakeGcoreAPI) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=api.base_url, retry_policy=FAST) as c:
        yield c


def changes(api: FakeGcoreAPI) -> list[str]:
    """The methods of the requests that could change a track, in order."""
    return [r.method for r in api.requests if r.method in ("POST", "PATCH", "DELETE")]


def test_list_get_create_update_delete(api: FakeGcoreAPI, client: Client) -> None:
    """Each call hits its route; answers become frozen Track values."""
    (ai,) = client.list_tracks(VIDEO)
    assert ai.ai_generated
    assert ai.language == "eng"
    assert ai.vtt == AI_VTT
    assert client.get_track(VIDEO, ai.id or 0) == ai
    made = client.create_track(VIDEO, language="deu", name="Deutsch", vtt=SRT)
    assert (made.language, made.name, made.video_id) == ("ger", "Deutsch", VIDEO)
    assert api.requests[-1].json() == {"language": "ger", "name": "Deutsch", "vtt": SRT}
    renamed = client.update_track(VIDEO, made.id or 0, name="German")
    assert (renamed.id, renamed.name, renamed.vtt) == (made.id, "German", SRT)
    client.delete_track(VIDEO, made.id or 0)
    assert [t["id"] for t in api.video_tracks(VIDEO)] == [ai.id]
    with pytest.raises(NotFoundError):
        client.get_track(VIDEO, made.id or 0)
    with pytest.raises(AttributeError):
        ai.name = "x"  # type: ignore[misc]


def test_unknown_video_is_a_typed_error(api: FakeGcoreAPI, client: Client) -> None:
    """A 404 on the tracks of a video names the video; a bad id sends nothing."""
    with pytest.raises(VideoNotFound, match="video 999 not found"):
        client.list_tracks(999)
    with pytest.raises(VideoNotFound):
        client.publish_vtt(999, AI_VTT, language="eng", name="English")
    sent = len(api.requests)
    for bad in (0, -3, "12a", "../1", 1.5, True):
        with pytest.raises(InvalidVideoId):
            client.list_tracks(bad)  # type: ignore[arg-type]
    assert len(api.requests) == sent


def test_over_5_mb_is_refused_before_any_request(api: FakeGcoreAPI, client: Client) -> None:
    """The size is counted in UTF-8 bytes; one byte over the cap sends nothing."""
    cue = "00:00:01.000 --> 00:00:02.000\n"
    head = "WEBVTT\n\n" + cue
    big = head + "é" * ((MAX_TRACK_BYTES - len(head)) // 2 + 1)
    assert len(big) < MAX_TRACK_BYTES < len(big.encode("utf-8"))
    with pytest.raises(TrackRefused, match="5 MB"):
        client.publish_vtt(VIDEO, big, language="eng", name="English")
    with pytest.raises(TrackRefused, match="5 MB"):
        client.create_track(VIDEO, language="eng", name="English", vtt=big)
    assert api.requests == []
    fits = head + "x" * (MAX_TRACK_BYTES - len(head))
    assert client.create_track(VIDEO, language="eng", name="Big", vtt=fits).size == MAX_TRACK_BYTES


@pytest.mark.parametrize("language", ["xx", "english", "qqq", "", "e1g", "zz-ZZ"])
def test_bad_language_is_refused_before_any_request(
    api: FakeGcoreAPI, client: Client, language: str
) -> None:
    """Anything but a known ISO 639 code is refused locally."""
    with pytest.raises(TrackRefused, match="language"):
        client.publish_vtt(VIDEO, AI_VTT, language=language, name="Name")
    assert api.requests == []


@pytest.mark.parametrize("name", ["", "   ", 'say "hi"', "two\nlines", "tab\there"])
def test_bad_name_is_refused_before_any_request(
    api: FakeGcoreAPI, client: Client, name: str
) -> None:
    """Names go in quotes in the HLS manifest: empty, quotes, breaks are refused."""
    with pytest.raises(TrackRefused, match="name"):
        client.create_track(VIDEO, language="eng", name=name, vtt=AI_VTT)
    assert api.requests == []


def test_publish_creates_then_replace_updates_in_place(
    api: FakeGcoreAPI, client: Client, tmp_path: Path
) -> None:
    """replace=True writes over the track with that name and language: no new track."""
    path = tmp_path / "fixed.srt"
    path.write_text(SRT, encoding="utf-8")
    before = api.video_tracks(VIDEO)
    result = publish_track(
        client, VIDEO, path, language="en", name="English (AI-generated)", replace=True
    )
    assert result.action == "updated"
    assert result.track.id == before[0]["id"]
    after = api.video_tracks(VIDEO)
    assert len(after) == 1
    assert after[0]["vtt"].startswith("WEBVTT\n")
    assert "First line." in after[0]["vtt"]
    assert changes(api) == ["PATCH"]
    again = publish_track(
        client, VIDEO, path, language="eng", name="English (AI-generated)", replace=True
    )
    assert again.action == "unchanged"
    assert changes(api) == ["PATCH"]
    added = publish_track(client, VIDEO, path, language="eng", name="English")
    assert added.action == "created"
    assert len(api.video_tracks(VIDEO)) == 2
    same = publish_track(client, VIDEO, path, language="eng", name="English")
    assert same.action == "unchanged"
    assert len(api.video_tracks(VIDEO)) == 2


def test_replace_of_a_name_in_another_language_adds_a_track(
    api: FakeGcoreAPI, client: Client
) -> None:
    """Name and language both pick the track to replace."""
    result = client.publish_vtt(
        VIDEO, AI_VTT + "\n", language="ger", name="English (AI-generated)", replace=True
    )
    assert result.action == "created"
    assert len(api.video_tracks(VIDEO)) == 2


@pytest.mark.parametrize(
    "source",
    ["fungi-in-a-forest.json", "srt", "ass"],
)
def test_publish_track_reads_any_input(
    api: FakeGcoreAPI, client: Client, tmp_path: Path, source: str
) -> None:
    """Task JSON, SRT and ASS all arrive as WebVTT; the task's language is the default."""
    if source.endswith(".json"):
        path = SAMPLES / source
        language = None
    else:
        path = tmp_path / f"in.{source}"
        text = SRT
        if source == "ass":
            text = (
                "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style,"
                " Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,"
                "0:00:03.00,Default,,0,0,0,,First line.\n"
            )
        path.write_text(text, encoding="utf-8")
        language = "eng"
    result = publish_track(client, 7, path, language=language, name="Captions")
    (stored,) = api.video_tracks(7)
    assert stored["vtt"].startswith("WEBVTT")
    assert stored["language"] == result.track.language
    assert result.action == "created"


def test_publish_with_a_preset_reflows_through_the_write_path(
    api: FakeGcoreAPI, client: Client
) -> None:
    """A spec's preset runs before rendering; a spec that is not vtt alone is refused."""
    from gcore_captions import FormatError, load

    sample = SAMPLES / "fungi-in-a-forest.json"
    spec = OutputSpec.parse("vtt", preset="netflix")
    publish_track(client, 7, sample, name="Reflowed", spec=spec)
    (stored,) = api.video_tracks(7)
    longest = max(len(line) for line in stored["vtt"].splitlines() if "-->" not in line)
    assert longest <= 42
    assert stored["vtt"] != publish_vtt_text(load(sample))
    with pytest.raises(FormatError, match="vtt alone"):
        publish_track(client, 7, sample, name="x", spec=OutputSpec.parse("vtt,srt"))


def publish_vtt_text(transcript: object) -> str:
    from gcore_captions.publishing import track_vtt

    return track_vtt(transcript)  # type: ignore[arg-type]


def test_a_transcript_without_language_needs_one(api: FakeGcoreAPI, client: Client) -> None:
    """No language given and none in the file: refused, nothing sent."""
    from gcore_captions import loads

    with pytest.raises(TrackRefused, match="language"):
        publish_track(client, 7, loads(SRT, "srt"), name="x")
    assert api.requests == []


def test_a_create_applied_but_answer_lost_is_found_not_resent(
    api: FakeGcoreAPI, client: Client
) -> None:
    """The server creates, the connection drops: the lookup finds it; one track."""
    api.inject(Fault.lose_answer(), path="/streaming/videos/7/subtitles")
    track = client.create_track(7, language="eng", name="English", vtt=AI_VTT)
    tracks = api.video_tracks(7)
    assert [t["id"] for t in tracks] == [track.id]
    assert [r.method for r in api.requests] == ["POST", "GET"]


def test_a_create_that_timed_out_after_applying_is_found(api: FakeGcoreAPI) -> None:
    """A timeout (answer later than the per-request limit) is a lost answer too."""
    api.inject(Fault.slow(0), Fault.lose_answer(delay=1.0), path=PATH)
    with Client(api_key=KEY, base_url=api.base_url, retry_policy=FAST, timeout=0.3) as client:
        result = client.publish_vtt(VIDEO, SRT, language="eng", name="English")
    assert result.action == "created"
    assert len(api.video_tracks(VIDEO)) == 2
    assert changes(api) == ["POST"]


def test_a_create_lost_before_applying_is_sent_again_once(
    api: FakeGcoreAPI, client: Client
) -> None:
    """Dropped before the server applied it: the lookup finds nothing, so one resend."""
    api.inject(Fault.drop_connection(), path="/streaming/videos/7/subtitles")
    track = client.create_track(7, language="eng", name="English", vtt=AI_VTT)
    assert [t["id"] for t in api.video_tracks(7)] == [track.id]
    assert [r.method for r in api.requests] == ["POST", "GET", "POST"]


def test_a_lost_answer_and_a_failed_lookup_raise_without_resending(
    api: FakeGcoreAPI, client: Client
) -> None:
    """Applied, answer lost, then the lookups fail too: an error, and still one track."""
    api.inject(
        Fault.lose_answer(), Fault.drop_connection(), times=1, path="/streaming/videos/7/subtitles"
    )
    api.inject(Fault.drop_connection(), times=2, path="/streaming/videos/7/subtitles")
    with pytest.raises(ConnectError):
        client.create_track(7, language="eng", name="English", vtt=AI_VTT)
    assert len(api.video_tracks(7)) == 1
    assert changes(api) == ["POST"]


def test_every_attempt_lost_gives_up_with_no_track_doubled(
    api: FakeGcoreAPI, client: Client
) -> None:
    """Nothing ever gets through: the create gives up after the policy's retries."""
    api.inject(Fault.drop_connection(), times=50, path="/streaming/videos/7/subtitles")
    with pytest.raises(ConnectError):
        client.create_track(7, language="eng", name="English", vtt=AI_VTT)
    assert api.video_tracks(7) == []
    assert changes(api) == ["POST"]


def test_a_delete_whose_answer_was_lost_is_checked(api: FakeGcoreAPI, client: Client) -> None:
    """Applied then dropped: the track is looked up, gone, so the delete is done."""
    (ai,) = client.list_tracks(VIDEO)
    api.inject(Fault.lose_answer(), path=f"{PATH}/{ai.id}")
    client.delete_track(VIDEO, ai.id or 0)
    assert api.video_tracks(VIDEO) == []
    assert changes(api) == ["DELETE"]


def test_async_publish_track_with_a_lost_answer(api: FakeGcoreAPI) -> None:
    """The async twin drives the same flows: one track after a lost answer."""

    async def main() -> Track:
        async with AsyncClient(api_key=KEY, base_url=api.base_url, retry_policy=FAST) as client:
            api.inject(Fault.slow(0), Fault.lose_answer(), path="/streaming/videos/7/subtitles")
            first = await apublish_track(client, 7, SAMPLES / "fungi-in-a-forest.json", name="En")
            assert first.action == "created"
            again = await apublish_track(
                client, 7, SAMPLES / "fungi-in-a-forest.json", name="En", replace=True
            )
            assert again.action == "unchanged"
            tracks = await client.list_tracks(7)
            await client.delete_track(7, tracks[0].id or 0)
            return first.track

    track = asyncio.run(main())
    assert track.name == "En"
    assert api.video_tracks(7) == []


# The fake API's own validation, through plain httpx (our client refuses first).


@pytest.fixture
def raw(api: FakeGcoreAPI) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"APIKey {KEY}"}
    with httpx.Client(base_url=api.base_url, headers=headers) as http:
        yield http


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ({"language": "deu", "name": "x", "vtt": AI_VTT}, "ISO 639-2/B"),
        ({"language": "en", "name": "x", "vtt": AI_VTT}, "ISO 639-2/B"),
        ({"language": "eng", "name": " ", "vtt": AI_VTT}, "blank"),
        ({"language": "eng", "vtt": AI_VTT}, "name: This field is required"),
        ({"language": "eng", "name": "x", "vtt": "hello"}, "WEBVTT"),
        ({"language": "eng", "name": "x", "vtt": "WEBVTT\n" + "x" * 5_000_000}, "5 MB"),
        ({"language": "eng", "name": 3, "vtt": AI_VTT}, "string"),
        ([1, 2], "object"),
    ],
)
def test_fake_api_validates_a_create(
    api: FakeGcoreAPI, raw: httpx.Client, body: object, word: str
) -> None:
    """400 with Gcore's error shape; nothing is stored."""
    answer = raw.post(PATH, json=body)
    assert answer.status_code == 400
    assert word in answer.json()["error"]
    assert len(api.video_tracks(VIDEO)) == 1


def test_fake_api_answers_by_the_reference(api: FakeGcoreAPI, raw: httpx.Client) -> None:
    """201 with id, PATCH without id, DELETE 204 empty, 404 for unknowns, SRT accepted."""
    made = raw.post(PATH, json={"language": "eng", "name": "S", "vtt": SRT})
    assert made.status_code == 201
    assert isinstance(made.json()["id"], int)
    track_id = made.json()["id"]
    patched = raw.patch(f"{PATH}/{track_id}", json={"name": "T"})
    assert patched.status_code == 200
    assert "id" not in patched.json()
    assert patched.json()["name"] == "T"
    gone = raw.delete(f"{PATH}/{track_id}")
    assert gone.status_code == 204
    assert gone.content == b""
    assert raw.get(f"{PATH}/{track_id}").status_code == 404
    assert raw.get("/streaming/videos/31337/subtitles").status_code == 404
    assert raw.get("/streaming/videos/abc/subtitles").status_code == 404
    assert raw.post(PATH, content=b"{not json").status_code == 400
    assert httpx.get(api.base_url + PATH).status_code == 401
    logged = [r for r in api.requests if r.method == "POST"]
    assert json.loads(logged[0].body)["vtt"] == SRT


def test_tasks_still_served_next_to_videos() -> None:
    """Adding videos leaves the task routes as they were."""
    with FakeGcoreAPI(tasks=[make_task("t-1")], api_key=KEY) as api:
        api.add_video(1)
        with Client(api_key=KEY, base_url=api.base_url) as client:
            assert client.get_task("t-1")["status"] == "SUCCESS"
            assert client.list_tracks(1) == ()


def test_replace_updates_the_first_of_several_and_names_the_others(
    api: FakeGcoreAPI, client: Client
) -> None:
    """Names need not be unique: the first match is updated, the rest reported, none added."""
    extra = api.add_video(
        VIDEO, [{"language": "eng", "name": "English (AI-generated)", "vtt": SRT}]
    )
    result = client.publish_vtt(
        VIDEO, AI_VTT + "\n00:00:05.000 --> 00:00:06.000\nmore\n", language="eng",
        name="English (AI-generated)", replace=True,
    )  # fmt: skip
    assert result.action == "updated"
    assert result.others == tuple(extra)
    assert len(api.video_tracks(VIDEO)) == 2
    assert api.video_tracks(VIDEO)[1]["vtt"] == SRT


def test_track_map_round_trip(tmp_path: Path) -> None:
    """Quotes and commas survive; a BOM and blank lines are fine; files resolve from the map."""
    from gcore_captions.errors import FormatError
    from gcore_captions.trackmap import read_track_map, track_map_text

    text = track_map_text([(7, "a b.vtt", "eng", 'Say "hi", all'), (8, "/abs/x.srt", None, None)])
    path = tmp_path / "m.csv"
    path.write_text("\ufeff" + text + "\n\n", encoding="utf-8")
    first, second = read_track_map(path)
    assert (first.video_id, first.file, first.name) == (
        "7",
        str(tmp_path / "a b.vtt"),
        'Say "hi", all',
    )
    assert (second.file, second.language, second.name, second.line) == ("/abs/x.srt", None, None, 3)
    path.write_text("video_id,file\n7,\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 2: no file"):
        read_track_map(path)
    path.write_bytes(b"video_id,file\n7,\xff\n")
    with pytest.raises(FormatError, match="not UTF-8"):
        read_track_map(path)


def test_a_rate_limited_create_is_sent_again(api: FakeGcoreAPI, client: Client) -> None:
    """429 means nothing was created: the create is resent (no lookup needed), once."""
    api.inject(Fault.rate_limited(), path="/streaming/videos/7/subtitles")
    client.create_track(7, language="eng", name="English", vtt=AI_VTT)
    assert len(api.video_tracks(7)) == 1
    assert [r.method for r in api.requests] == ["POST", "POST"]


def test_a_lost_update_answer_is_retried_in_place(api: FakeGcoreAPI, client: Client) -> None:
    """PATCH sets fields: sending it again after a lost answer changes nothing more."""
    (ai,) = client.list_tracks(VIDEO)
    api.inject(Fault.lose_answer(), path=f"{PATH}/{ai.id}")
    result = client.publish_vtt(
        VIDEO, SRT, language="eng", name="English (AI-generated)", replace=True
    )
    assert result.action == "updated"
    assert result.track.vtt == SRT
    assert [t["vtt"] for t in api.video_tracks(VIDEO)] == [SRT]
    assert changes(api) == ["PATCH", "PATCH"]
