"""
The clients and the CLI against a hostile server (the fake API's hostile
faults): the key never comes back out, a trickling server cannot hold a
call past its time limit, a huge or endless answer is cut off at the cap,
and a task id can never reach another endpoint.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner

from gcore_captions.batch import MANIFEST_NAME
from gcore_captions.cli import main
from gcore_captions.errors import (
    APIError,
    GcoreCaptionsError,
    InvalidTaskId,
    RequestTimeout,
    ResponseError,
    ResponseTooLarge,
    TaskFailed,
)
from gcore_captions.gcore import AsyncClient, Client, check_task_id
from gcore_captions.gcore._body import BodyReader, Deadline, StopReading
from gcore_captions.gcore._flow import TooLarge, TransportFault
from gcore_captions.gcore._secrets import REDACTED, Scrubber
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task

TASK = "6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135"
KEY = "81234$9f8e7d6c5b4a/3f2e1d0c"  # Gcore's "<id>$<hex>" shape, with a "/" to escape
FAST = RetryPolicy(sleep_scale=0.001)
PLACES = ("body", "html", "location", "header", "reason", "status-line")
FORMS = ("raw", "url", "plus", "lower", "upper", "json")


def leaks(text: str) -> bool:
    """Whether ``text`` holds the key's secret part in any form a test server writes."""
    lowered = text.lower()
    return any(part in lowered for part in ("9f8e7d6c5b4a", "3f2e1d0c"))


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    leaky = make_task("leaky", status="FAILURE", error=f"bad header: APIKey {KEY}")
    with FakeGcoreAPI(tasks=[make_task(TASK), leaky], api_key=KEY) as server:
        yield server


def client_for(api: FakeGcoreAPI, **options: object) -> Client:
    return Client(api_key=KEY, base_url=api.base_url, retry_policy=FAST, **options)  # type: ignore[arg-type]


def async_client_for(api: FakeGcoreAPI, **options: object) -> AsyncClient:
    return AsyncClient(api_key=KEY, base_url=api.base_url, retry_policy=FAST, **options)  # type: ignore[arg-type]


def shown(error: BaseException) -> list[str]:
    """Every way an error's text can come out: str, repr, fields, pickle, causes."""
    texts = [str(error), repr(error), repr(error.__dict__)]
    texts.append(repr(pickle.loads(pickle.dumps(error)).__dict__))
    cause = error.__cause__ or error.__context__
    while cause is not None:
        texts += [str(cause), repr(cause)]
        cause = cause.__cause__ or cause.__context__
    return texts


# --- the key stays secret -----------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("where", PLACES)
def test_an_echoed_key_never_comes_back_out_of_the_sync_client(
    api: FakeGcoreAPI, caplog: pytest.LogCaptureFixture, where: str, form: str
) -> None:
    """Every echo place and form, retried too: not in errors, causes, logs (httpx's too)."""
    caplog.set_level(logging.DEBUG)
    api.inject(Fault.echo_authorization(where, status=503, form=form), times=3)
    with client_for(api) as client, pytest.raises(GcoreCaptionsError) as caught:
        client.get_task(TASK)
    texts = [*shown(caught.value), caplog.text, repr(client)]
    assert not any(leaks(text) for text in texts), texts
    if where in ("body", "html", "header", "status-line"):
        assert REDACTED in str(caught.value)  # the echo was there, and was scrubbed


@pytest.mark.parametrize("where", PLACES)
def test_an_echoed_key_never_comes_back_out_of_the_async_client(
    api: FakeGcoreAPI, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    """The async client reads answers through the same core: the same holds."""
    caplog.set_level(logging.DEBUG)
    api.inject(Fault.echo_authorization(where, status=400, form="url"), times=3)

    async def fetch() -> None:
        async with async_client_for(api) as client:
            await client.get_task(TASK)

    with pytest.raises(GcoreCaptionsError) as caught:
        asyncio.run(fetch())
    assert not any(leaks(text) for text in [*shown(caught.value), caplog.text])


def test_a_redirect_holding_the_key_is_not_followed(api: FakeGcoreAPI) -> None:
    """Following it would send the key in a URL, here to another host."""
    api.inject(Fault.echo_authorization("location"))
    with client_for(api) as client, pytest.raises(APIError, match="holding the API key"):
        client.get_task(TASK)
    assert len(api.requests) == 1


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)", "http://[::1"])
def test_a_redirect_to_no_http_url_is_refused(api: FakeGcoreAPI, location: str) -> None:
    """Only http(s) targets are followed; a broken one is a typed error, not httpx's."""
    api.inject(Fault.redirect(location))
    with client_for(api) as client, pytest.raises(APIError, match=r"redirect|[Ll]ocation"):
        client.get_task(TASK)


def test_a_payload_holding_the_key_is_scrubbed_before_anyone_reads_it(api: FakeGcoreAPI) -> None:
    """A task whose error text echoes the header: the payload and TaskFailed hold no key."""
    with client_for(api) as client:
        payload = client.get_task("leaky")
        with pytest.raises(TaskFailed) as caught:
            client.wait_for_task("leaky")
    assert payload["result"]["error"] == f"bad header: {REDACTED}"
    assert not any(leaks(text) for text in shown(caught.value))


def test_a_snippet_cut_inside_the_key_shows_none_of_it(api: FakeGcoreAPI) -> None:
    """The body is scrubbed whole before the 80-character snippet is cut from it."""
    page = ("x" * 70 + f"APIKey {KEY}").encode()
    with (
        httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, content=page))
        ) as own,
        Client(api_key=KEY, base_url=api.base_url, http_client=own, max_retries=0) as client,
        pytest.raises(ResponseError) as caught,
    ):
        client.get_task(TASK)
    assert "81234" not in str(caught.value)
    assert "<redac" in str(caught.value)


def test_the_scrubber_finds_every_form() -> None:
    """Raw, encoded once or twice, form-encoded, escaped, any case; nothing else changes."""
    scrub = Scrubber(KEY)
    once = quote(KEY, safe="")
    samples = [
        f"Authorization: APIKey {KEY}",
        f"auth=APIKey%20{once}",
        f"auth=apikey+{once.lower()}",
        f"auth={quote(once, safe='')}",
        "j: " + json.dumps(KEY).replace("/", "\\/"),
        repr(repr(json.dumps(KEY).replace("/", "\\/"))),
        f"<p>{KEY.upper()}</p>",
    ]
    for sample in samples:
        assert not leaks(scrub(sample)), sample
        assert REDACTED in scrub(sample)
    assert scrub("nothing to see") == "nothing to see"
    assert scrub.scrub_bytes(b"\xff\xfe " + KEY.encode()) == b"\xff\xfe " + REDACTED.encode()
    assert KEY not in repr(scrub)


def test_cli_fetch_and_wait_stderr_hold_no_key(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """The one error line of fetch and wait, and fetch --save-json's file."""
    runner = CliRunner()
    api.inject(Fault.echo_authorization("body", status=401))
    result = runner.invoke(main, ["fetch", TASK], env=api.env)
    assert result.exit_code == 1
    assert REDACTED in result.stderr
    assert not leaks(result.stderr)
    result = runner.invoke(main, ["wait", "leaky", "--poll-interval", "0.01"], env=api.env)
    assert result.exit_code == 1
    assert REDACTED in result.stderr
    assert not leaks(result.stderr)
    api.add_task(make_task("echoed", client_user_id=f"APIKey {KEY}"))
    result = runner.invoke(
        main, ["fetch", "echoed", "-o", str(tmp_path), "--save-json"], env=api.env
    )
    assert result.exit_code == 0, result.stderr
    saved = (tmp_path / "echoed.task.json").read_text(encoding="utf-8")
    assert REDACTED in saved
    assert not leaks(saved)


def test_cli_export_manifest_and_report_hold_no_key(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """An echoing 400 and a failed task whose error echoes the key: nowhere in the output."""
    api.inject(Fault.echo_authorization("body", status=400), path=f"/streaming/ai/tasks/{TASK}")
    result = CliRunner().invoke(
        main, ["export", TASK, "leaky", "-o", str(tmp_path), "--json"], env=api.env
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["failed"] == 2
    manifest = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")
    api.inject(Fault.echo_authorization("body", status=400), path=f"/streaming/ai/tasks/{TASK}")
    again = CliRunner().invoke(main, ["export", TASK, "leaky", "-o", str(tmp_path)], env=api.env)
    assert again.exit_code == 1
    for text in (result.stdout, manifest, again.stderr):
        assert REDACTED in text
        assert not leaks(text)


# --- the network cannot hold us -----------------------------------------------------


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_cannot_hold_the_sync_client(api: FakeGcoreAPI, part: str) -> None:
    """One byte every 20 ms never trips a read timeout; the 0.3 s limit per request does."""
    api.inject(Fault.trickle(0.02, part=part), times=2)
    started = time.monotonic()
    with (
        client_for(api, timeout=0.3, max_retries=1) as client,
        pytest.raises(RequestTimeout, match=r"within 0.3 s"),
    ):
        client.get_task(TASK)
    elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 1.5  # two attempts of 0.3 s, not 30 s of trickle
    assert len(api.requests) == 2


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_cannot_hold_the_async_client(api: FakeGcoreAPI, part: str) -> None:
    """The async client is cancelled on the clock, with its own http_client too."""
    api.inject(Fault.trickle(0.02, part=part))

    async def fetch() -> None:
        async with httpx.AsyncClient() as own:
            client = async_client_for(api, timeout=0.3, max_retries=0, http_client=own)
            await client.get_task(TASK)

    started = time.monotonic()
    with pytest.raises(RequestTimeout, match=r"within 0.3 s"):
        asyncio.run(fetch())
    assert time.monotonic() - started < 1.0


def test_a_callers_sync_client_still_bounds_a_trickled_body(api: FakeGcoreAPI) -> None:
    """With your own httpx.Client the body is bounded chunk by chunk."""
    api.inject(Fault.trickle(0.02, part="body"))
    started = time.monotonic()
    with (
        httpx.Client() as own,
        client_for(api, timeout=0.3, max_retries=0, http_client=own) as client,
        pytest.raises(RequestTimeout),
    ):
        client.get_task(TASK)
    assert time.monotonic() - started < 1.0


def test_the_limit_is_per_request_not_per_call(api: FakeGcoreAPI) -> None:
    """Waiting polls many times; each poll has the limit, the wait its own timeout."""
    api.add_task(make_task("w"), statuses=["PENDING", "PENDING", "PENDING", "SUCCESS"])
    started = time.monotonic()
    with client_for(api, timeout=0.2) as client:
        payload = client.wait_for_task("w", poll_interval=0.1, timeout=10)
    assert time.monotonic() - started > 0.4  # longer than the limit of one request
    assert payload["status"] == "SUCCESS"


def test_cli_timeout_limits_each_request(api: FakeGcoreAPI) -> None:
    """fetch --timeout 0.3: a trickled first answer (6 s of it) is given up on, the retry works."""
    api.inject(Fault.trickle(0.02, part="headers"))
    started = time.monotonic()
    result = CliRunner().invoke(main, ["fetch", TASK, "--timeout", "0.3"], env=api.env)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 2.0  # 0.3 s, a backoff of at most 0.5 s, the answer
    assert len(api.requests) == 2


def test_cli_timeout_on_a_waiting_command_keeps_its_old_meaning(api: FakeGcoreAPI) -> None:
    """A lone --timeout on wait is still the wait limit (with a note); both options split them."""
    api.add_task(make_task("slow", status="PENDING"))
    runner = CliRunner()
    result = runner.invoke(
        main, ["wait", "slow", "--timeout", "0.2", "--poll-interval", "0.05"], env=api.env
    )
    assert result.exit_code == 1
    assert "read as --wait-timeout 0.2" in result.stderr
    assert "did not finish" in result.stderr
    result = runner.invoke(
        main,
        ["wait", "slow", "--wait-timeout", "0.2", "--timeout", "5", "--poll-interval", "0.05"],
        env=api.env,
    )
    assert result.exit_code == 1
    assert "read as" not in result.stderr
    assert "did not finish" in result.stderr


def test_cli_export_timeout_limits_each_request(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """export --timeout reaches the clients the export makes; it needs no --wait."""
    api.inject(Fault.trickle(0.02, part="headers"))
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["export", TASK, "-o", str(tmp_path), "--timeout", "0.3"], env=api.env
    )
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 2.0
    assert len(api.requests) == 2


# --- memory: a cap on each answer ---------------------------------------------------


def test_an_endless_body_is_cut_off_at_the_default_cap(api: FakeGcoreAPI) -> None:
    """A chunked body that never ends: ResponseTooLarge at 64 MiB, not retried."""
    api.inject(Fault.huge_body())
    with client_for(api) as client, pytest.raises(ResponseTooLarge, match="67108864 bytes"):
        client.get_task(TASK)
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    "fault",
    [Fault.huge_body(), Fault.huge_body(32 * 1024 * 1024, gzip=True)],
    ids=["endless", "gzip"],
)
def test_a_huge_body_is_never_buffered_past_the_cap(api: FakeGcoreAPI, fault: Fault) -> None:
    """Streamed and decoded a step at a time: the traced peak stays near the 4 MiB cap."""
    cap = 4 * 1024 * 1024
    api.inject(fault)
    with client_for(api, max_response_bytes=cap) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLarge):
                client.get_task(TASK)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 1.5 * cap  # a bomb's 64 KiB chunk could expand to twice the cap before


@pytest.mark.parametrize(
    "fault",
    [
        Fault.huge_body(4 * 1024 * 1024),
        Fault.huge_body(1000, content_length=10**12),
        Fault.huge_body(16 * 1024 * 1024, gzip=True),
        Fault.huge_body(),
    ],
    ids=["long", "announced", "gzip-bomb", "endless"],
)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_huge_answers_stop_at_a_configured_cap(api: FakeGcoreAPI, fault: Fault, kind: str) -> None:
    """Long, announced, compressed-bomb or endless: the cap holds on the decoded bytes."""
    api.inject(fault)

    def fetch() -> None:
        if kind == "sync":
            with client_for(api, max_response_bytes=1024 * 1024) as client:
                client.get_task(TASK)
            return

        async def run() -> None:
            async with async_client_for(api, max_response_bytes=1024 * 1024) as client:
                await client.get_task(TASK)

        asyncio.run(run())

    with pytest.raises(ResponseTooLarge, match="cap of 1048576 bytes"):
        fetch()


def test_a_gzip_answer_is_decoded_and_a_broken_one_is_a_typed_error() -> None:
    """We ask for gzip and decode it ourselves (bounded); bad data is a ResponseError."""
    payload = json.dumps(make_task(TASK)).encode()
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    packed = packer.compress(payload) + packer.flush()
    answers = iter([packed, packed[: len(packed) // 2], b"not gzip at all"])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["accept-encoding"])
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=_Raw(next(answers)))

    with Client(
        api_key=KEY,
        base_url="http://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_retries=0,
    ) as client:
        assert client.get_task(TASK)["task_id"] == TASK
        for _ in range(2):
            with pytest.raises(ResponseError, match="compressed data"):
                client.get_task(TASK)
    assert seen == ["gzip, deflate"] * 3


class _Raw(httpx.SyncByteStream):
    """A body httpx has not read yet (so the client streams and decodes it)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self._data


def test_the_body_reader_refuses_encodings_we_did_not_ask_for() -> None:
    """A brotli or zstd answer would be decoded unbounded by httpx: refused instead."""
    request = httpx.Request("GET", "http://api.test/x")
    response = httpx.Response(
        200, headers={"Content-Encoding": "br"}, stream=_Raw(b""), request=request
    )
    with pytest.raises(StopReading) as caught:
        BodyReader(response, max_bytes=10, deadline=Deadline(None))
    assert isinstance(caught.value.reply, TransportFault)
    assert "'br'" in str(caught.value.reply.error)
    small = httpx.Response(200, headers={"Content-Length": "11"}, stream=_Raw(b""), request=request)
    with pytest.raises(StopReading) as caught:
        BodyReader(small, max_bytes=10, deadline=Deadline(None))
    assert caught.value.reply == TooLarge(small, 10, 11)


def test_a_lying_short_content_length_ends_in_a_typed_answer(api: FakeGcoreAPI) -> None:
    """The body is cut at the length; the rest poisons the connection: retried, then fine."""
    api.inject(Fault.short_length(20))
    with client_for(api) as client:
        assert client.get_task(TASK)["task_id"] == TASK


def test_a_huge_retry_after_falls_back_to_backoff(api: FakeGcoreAPI) -> None:
    """Retry-After of 10^12 s (or not a number): our backoff, never a wait for ever."""
    api.inject(Fault.rate_limited(retry_after=10**12), Fault.rate_limited(retry_after="1e400"))
    started = time.monotonic()
    with client_for(api) as client:
        assert client.get_task(TASK)["task_id"] == TASK
    assert time.monotonic() - started < 1.0


# --- task ids never reach another endpoint -----------------------------------------

BAD_IDS = [
    ".",
    "..",
    "...",
    "a/b",
    "../streaming/ai/tasks",
    "%2e%2e",
    "%2F",
    "a?status=SUCCESS",
    "a#b",
    "a b",
    "a\tb",
    "a\x00b",
    "a\nb",
    "a\\b",
    "tâche",
    "x" * 129,
    "",
    "   ",
]


@pytest.mark.parametrize("task_id", BAD_IDS)
def test_bad_task_ids_are_refused_before_any_request(api: FakeGcoreAPI, task_id: str) -> None:
    """get, get_transcript, wait and cancel, sync and async: InvalidTaskId, no request."""
    with client_for(api) as client:
        for call in (
            client.get_task,
            client.get_transcript,
            client.wait_for_task,
            client.wait_for,
            client.cancel_task,
        ):
            with pytest.raises(InvalidTaskId):
                call(task_id)

    async def each() -> None:
        async with async_client_for(api) as client:
            for call in (client.get_task, client.wait_for_task, client.cancel_task):
                with pytest.raises(InvalidTaskId):
                    await call(task_id)

    asyncio.run(each())
    assert api.requests == []


def test_good_task_ids_pass_unchanged() -> None:
    """UUIDs, the fake API's ids, and surrounding spaces stripped as before."""
    assert check_task_id(TASK) == TASK
    assert check_task_id(" t-1.v2_x~ ") == "t-1.v2_x~"
    assert isinstance(InvalidTaskId("x"), ValueError)


@pytest.mark.parametrize("task_id", ["..", "a/b", "%2e%2e", "a?b", "a b"])
@pytest.mark.parametrize("command", ["fetch", "wait"])
def test_cli_refuses_bad_task_ids_as_usage_errors(
    api: FakeGcoreAPI, command: str, task_id: str
) -> None:
    """Exit 2 naming the id; nothing is sent."""
    result = CliRunner().invoke(main, [command, task_id], env=api.env)
    assert result.exit_code == 2
    assert "not a task id" in result.stderr
    assert api.requests == []


def test_export_fails_bad_ids_without_sending_them(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Each bad id is one failed task; only the good one is requested."""
    result = CliRunner().invoke(
        main,
        ["export", "--ids-file", "-", "-o", str(tmp_path), "--json"],
        input=f"..\n%2e%2e\na?b\n{TASK}\n",
        env=api.env,
    )
    report = json.loads(result.stdout)
    assert (report["written"], report["failed"]) == (1, 3)
    assert [r.path for r in api.requests] == [f"/streaming/ai/tasks/{TASK}"]


@pytest.mark.parametrize(
    "body", [b"<" * 400_000, b"[" * 100_000, b'{"error": ' + b"[" * 100_000 + b"}"]
)
def test_hostile_error_bodies_give_a_typed_error_quickly(api: FakeGcoreAPI, body: bytes) -> None:
    """Unclosed tags (once quadratic: 40 KB took 2.7 s) and JSON nested past Python's limit."""
    api.inject(Fault.http(400, body))
    started = time.monotonic()
    with client_for(api) as client, pytest.raises(APIError, match="HTTP 400"):
        client.get_task(TASK)
    assert time.monotonic() - started < 1.0


def test_cli_preview_takes_the_request_timeout(api: FakeGcoreAPI) -> None:
    """preview fetches a task id too: --timeout limits that request."""
    api.inject(Fault.trickle(0.02, part="headers"))
    started = time.monotonic()
    result = CliRunner().invoke(main, ["preview", TASK, "-o", "-", "--timeout", "0.3"], env=api.env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!doctype html>")
    assert time.monotonic() - started < 2.0
    assert len(api.requests) == 2


@pytest.mark.parametrize(
    "args",
    [
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "1e300"),
        ("--wait-timeout", "nan"),
        ("--poll-interval", "nan"),
        ("--poll-interval", "inf"),
    ],
)
def test_cli_refuses_seconds_no_timer_can_hold(api: FakeGcoreAPI, args: tuple[str, ...]) -> None:
    """NaN passes click's range check and 1e300 overflows the socket timer: usage errors."""
    result = CliRunner().invoke(main, ["wait", TASK, *args], env=api.env)
    assert result.exit_code == 2
    assert "is not" in result.stderr
    assert api.requests == []


def test_a_redirect_to_the_same_machine_under_another_name_carries_no_key(
    api: FakeGcoreAPI,
) -> None:
    """localhost is not 127.0.0.1: the origin is compared as written, so no key goes there."""
    port = httpx.URL(api.base_url).port
    api.inject(Fault.redirect(f"http://localhost:{port}/streaming/ai/tasks/{TASK}"))
    with client_for(api) as client, pytest.raises(GcoreCaptionsError, match=r"401|credentials"):
        client.get_task(TASK)
    assert [r.authorized for r in api.requests] == [True, False]


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_answers_are_decoded_with_or_without_the_zlib_header(wbits: int) -> None:
    """Servers disagree on what "deflate" means; both are read, within the cap."""
    payload = json.dumps(make_task(TASK)).encode()
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    packed = packer.compress(payload) + packer.flush()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "deflate"}, stream=_Raw(packed))

    own = httpx.Client(transport=httpx.MockTransport(handler))
    with Client(api_key=KEY, base_url="http://api.test", http_client=own) as client:
        assert client.get_task(TASK)["task_id"] == TASK
    own.close()
