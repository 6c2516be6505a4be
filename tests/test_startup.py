"""
Start-up stays light: ``import gcore_captions`` and ``gcore-captions
--version`` load none of the heavy dependencies (asyncio, ssl, the HTTP
client, click, rich, charset-normalizer); everything still resolves when it is used. Not timed:
what is imported decides the start-up time, and it can be checked exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import gcore_captions
from gcore_captions.cli import main

SRC = str(Path(gcore_captions.__file__).resolve().parents[1])
HEAVY = ("asyncio", "ssl", "httpx", "click", "rich", "charset_normalizer")


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = dict(os.environ, PYTHONPATH=SRC)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_loads_no_heavy_module() -> None:
    loaded = _modules_after("import gcore_captions")
    assert not loaded & set(HEAVY)
    assert "gcore_captions.formats" not in loaded
    assert "gcore_captions.quality" not in loaded


def test_version_loads_no_command_module() -> None:
    loaded = _modules_after(
        "from gcore_captions.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert not loaded & {"asyncio", "ssl", "httpx", "rich"}
    # Only the shared error-line helpers the group itself uses, no command.
    assert {m for m in loaded if m.startswith("gcore_captions.cli.")} <= {
        "gcore_captions.cli._common"
    }


def test_every_public_name_resolves() -> None:
    for name in gcore_captions.__all__:
        assert getattr(gcore_captions, name) is not None, name
    assert set(gcore_captions.__all__) <= set(dir(gcore_captions))


def test_every_command_is_listed_and_loads() -> None:
    assert list(main.commands) == [
        "check", "convert", "export", "fetch", "list", "preview", "publish", "tracks",
        "transcribe", "wait",
    ]  # fmt: skip
    for name, command in main.commands.items():
        assert command.name == name
