"""
Every exception gcore-captions raises.

The tree::

    GcoreCaptionsError
    ├── APIError                      (status_code, message, request_url)
    │   ├── AuthenticationError       401 / 403
    │   ├── NotFoundError             404
    │   │   └── VideoNotFound         no video with that id (its subtitle tracks)
    │   ├── FeatureDisabledError      422: AI is not enabled for this account
    │   ├── RateLimitError            429
    │   ├── ServerError               5xx
    │   ├── ConnectError           the request never got an answer
    │   │   └── RequestTimeout
    │   └── ResponseError             a 200 whose body is not the JSON we expect
    │       └── ResponseTooLarge      an answer larger than the client's size cap
    ├── TaskNotReady                  task is RECEIVED / PENDING / STARTED / RETRY
    ├── TaskFailed                    task ended in FAILURE or REVOKED
    ├── WaitTimeout                   waiting for a task ran out of time
    ├── PayloadError (ValueError)     a task payload is broken (names the JSON path)
    ├── FormatError (ValueError)      a caption file is broken (names file and line)
    ├── UnsupportedTaskError (ValueError)  e.g. a content-moderation task
    ├── InvalidTaskId (ValueError)    a task id that cannot be put in a URL safely
    ├── InvalidVideoId (ValueError)   a video id that is not a positive whole number
    ├── TrackRefused (ValueError)     a subtitle track refused before upload (size, language...)
    ├── ExportError                   batch export could not write a task's files
    └── FileError (OSError)           a file or folder cannot be read or written

All exceptions keep their fields as keyword-only attributes with defaults, so
they pickle and unpickle (across process pools) with their messages intact.
"""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConnectError",
    "ExportError",
    "FeatureDisabledError",
    "FileError",
    "FormatError",
    "GcoreCaptionsError",
    "InvalidRequest",
    "InvalidTaskId",
    "InvalidVideoId",
    "NotFoundError",
    "PayloadError",
    "QueueLimitReached",
    "RateLimitError",
    "RequestTimeout",
    "ResponseError",
    "ResponseTooLarge",
    "ServerError",
    "TaskFailed",
    "TaskNotReady",
    "TrackRefused",
    "UnsupportedTaskError",
    "VideoNotFound",
    "WaitTimeout",
]


class GcoreCaptionsError(Exception):
    """
    Base class of every error raised by gcore-captions.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild from the message and the keyword fields, so subclasses whose
        # ``__init__`` takes keyword-only arguments stay picklable.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[GcoreCaptionsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class APIError(GcoreCaptionsError):
    """
    The Gcore API answered with an error, or could not be reached.

    Attributes:
        status_code: the HTTP status, or ``None`` when no response arrived.
        message: the server's own message (its ``error``, ``detail`` or
            ``message`` field) or a description of the fault.
        request_url: the URL that was requested (never carries the API key).
        retryable: the failure is transient (a timeout, a dropped
            connection, 408/409/429/5xx, a cut-short or non-JSON body), so
            the same request may succeed later; set by the client from its
            retry policy's classification, whatever retries it made itself.
        retry_after: the wait the server asked for (``Retry-After`` or
            ``retry-after-ms``), in seconds, when it asked for one.
    """

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        request_url: str | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.request_url = request_url
        self.retryable = retryable
        self.retry_after = retry_after
        prefix = f"HTTP {status_code}: " if status_code is not None else ""
        where = f" ({request_url})" if request_url else ""
        super().__init__(f"{prefix}{message}{where}")


class AuthenticationError(APIError):
    """
    The API key is missing, invalid or not allowed to do this (401/403).
    """


class NotFoundError(APIError):
    """
    The task (or page) does not exist (404).
    """


class VideoNotFound(NotFoundError):
    """
    No video with that id: its subtitle tracks cannot be listed or changed
    (a 404 of ``/streaming/videos/{video_id}/subtitles``).
    """


class FeatureDisabledError(APIError):
    """
    AI is not enabled for this account (the API's 422).
    """


class RateLimitError(APIError):
    """
    The API kept answering 429 Too Many Requests after all retries.
    """


class QueueLimitReached(APIError):
    """
    Gcore's queue of unfinished AI tasks is full (``400 Queue limit
    reached``): nothing was created. ``create_transcription`` waits and
    tries again; this is raised only when its ``queue_timeout`` runs out.
    """


class ServerError(APIError):
    """
    The API kept answering 5xx after all retries.
    """


class ConnectError(APIError, builtins.ConnectionError):
    """
    The request never got an answer: DNS, refused or dropped connection.
    """


class RequestTimeout(ConnectError, builtins.TimeoutError):
    """
    The request timed out (connect, read or overall).
    """


class ResponseError(APIError):
    """
    A successful status came with a body that is not the JSON expected
    (truncated, not JSON, wrong shape).
    """


class ResponseTooLarge(ResponseError):
    """
    An answer was larger than the client's cap (``max_response_bytes``);
    it was cut off there, never read whole. Not retried.
    """


class TaskNotReady(GcoreCaptionsError):
    """
    The task has not finished yet (RECEIVED, PENDING, STARTED or RETRY).

    Attributes:
        task_id: the task's id.
        status: the task's status.
        progress: the task's progress, 0-100, when known.
    """

    def __init__(
        self,
        message: str = "",
        *,
        task_id: str | None = None,
        status: str | None = None,
        progress: int | None = None,
    ) -> None:
        self.task_id = task_id
        self.status = status
        self.progress = progress
        if not message:
            shown = f" ({progress}%)" if progress is not None else ""
            message = f"task {task_id} is not finished: {status}{shown}; wait for it and try again"
        super().__init__(message)


class TaskFailed(GcoreCaptionsError):
    """
    The task ended without a result: FAILURE (with the task's own error
    text) or REVOKED.

    Attributes:
        task_id: the task's id.
        status: ``"FAILURE"`` or ``"REVOKED"``.
        error: the error text the task carries, if any.
    """

    def __init__(
        self,
        message: str = "",
        *,
        task_id: str | None = None,
        status: str | None = None,
        error: str | None = None,
    ) -> None:
        self.task_id = task_id
        self.status = status
        self.error = error
        if not message:
            if status == "REVOKED":
                message = f"task {task_id} was cancelled (REVOKED)"
            else:
                message = f"task {task_id} failed: {error or 'no error text given'}"
        super().__init__(message)


class WaitTimeout(GcoreCaptionsError, builtins.TimeoutError):
    """
    Waiting for a task ran out of time before the task finished.

    Attributes:
        task_id: the task's id.
        status: the last status seen.
        progress: the last progress seen.
        waited: seconds waited.
    """

    def __init__(
        self,
        message: str = "",
        *,
        task_id: str | None = None,
        status: str | None = None,
        progress: int | None = None,
        waited: float | None = None,
    ) -> None:
        self.task_id = task_id
        self.status = status
        self.progress = progress
        self.waited = waited
        if not message:
            shown = f", {progress}%" if progress is not None else ""
            secs = f" after {waited:.{0 if waited >= 10 else 1}f} s" if waited is not None else ""
            message = f"task {task_id} did not finish{secs}: last status {status}{shown}"
        super().__init__(message)


class PayloadError(GcoreCaptionsError, ValueError):
    """
    A task payload is broken; ``path`` names the JSON path of the bad field,
    e.g. ``result.subtitles[17].end_time``.
    """

    def __init__(self, message: str = "", *, path: str | None = None) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class FormatError(GcoreCaptionsError, ValueError):
    """
    A caption file (or caption text) cannot be read or written.

    Attributes:
        reason: what is wrong.
        filename: the file, when reading from one.
        line: the 1-based line number, when known.
        cue: the 1-based cue number, when known.
    """

    def __init__(
        self,
        message: str = "",
        *,
        filename: str | None = None,
        line: int | None = None,
        cue: int | None = None,
    ) -> None:
        self.reason = message
        self.filename = filename
        self.line = line
        self.cue = cue
        where = []
        if filename:
            where.append(str(filename))
        if line is not None:
            where.append(f"line {line}")
        if cue is not None:
            where.append(f"cue {cue}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class UnsupportedTaskError(GcoreCaptionsError, ValueError):
    """
    The payload is not a transcription task (for example content moderation),
    so it has no captions to convert.
    """


class InvalidTaskId(GcoreCaptionsError, ValueError):
    """
    A task id that is empty, too long, or holds a character a Gcore task id
    never has (``/``, ``?``, ``#``, ``%``, spaces, control characters), or
    is only dots: it could reach another endpoint, so no request is sent.

    Attributes:
        task_id: the id as given.
    """

    def __init__(self, message: str = "", *, task_id: object = None) -> None:
        self.task_id = task_id
        super().__init__(message or f"not a task id: {task_id!r}")


class InvalidRequest(GcoreCaptionsError, ValueError):
    """
    A request the library refuses to send: a media URL that is not
    ``http(s)://host/...``, a language that is not a language code, a tag
    longer than the API takes. Nothing was sent.
    """


class InvalidVideoId(GcoreCaptionsError, ValueError):
    """
    A video id (or a track id) that is not a whole number (Gcore's ids are
    integers); nothing was sent.
    """


class TrackRefused(GcoreCaptionsError, ValueError):
    """
    A subtitle track refused before anything was sent: over 5 MB, a language
    that is not a known ISO 639 code, an empty name, or content that is not
    WebVTT. The message says which and by how much.
    """


class ExportError(GcoreCaptionsError):
    """
    Batch export could not produce a task's files (unsafe name, name clash,
    write failure).
    """


class FileError(GcoreCaptionsError, OSError):
    """
    A file or folder cannot be read or written: missing input, no
    permission, disk full, a name the file system refuses.

    It is also an :class:`OSError` (``errno`` and ``strerror`` are the
    original error's), so ``except OSError`` keeps working.

    Attributes:
        path: the file or folder the user named (never a hidden temporary
            file).
        action: what was being done: ``"read"``, ``"write"``...
        os_error: the original :class:`OSError`, when there is one (also
            the ``__cause__``).
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: str = "",
        action: str = "",
        os_error: OSError | None = None,
    ) -> None:
        self.path = path
        self.action = action
        self.os_error = os_error
        super().__init__(message)
        if os_error is not None:
            self.errno = os_error.errno
            self.strerror = os_error.strerror

    def __str__(self) -> str:
        # OSError would print "[Errno 28] ..." once errno is set.
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        state = {"path": self.path, "action": self.action, "os_error": self.os_error}
        return (_rebuild_file_error, (str(self), state))

    @classmethod
    def wrap(cls, error: OSError, path: str, action: str) -> FileError:
        """
        ``error`` as a FileError naming ``path``: "cannot write out/a.srt:
        No space left on device".
        """
        why = error.strerror or str(error) or type(error).__name__
        return cls(f"cannot {action} {path}: {why}", path=path, action=action, os_error=error)


def _rebuild_file_error(message: str, state: dict[str, Any]) -> FileError:
    return FileError(message, **state)
