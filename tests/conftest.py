"""Shared fixtures: a CLI runner with a pinned terminal, the shipped pack and a small test pack."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nami_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "requests"
TEST_PACK = Path(__file__).resolve().parent / "data" / "pack"


@pytest.fixture(scope="session")
def _cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nami-cache")


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch, _cache_root: Path) -> None:
    for name in ("NAMI_LANG", "NO_COLOR", "FORCE_COLOR", "NAMI_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    # nami keeps no cache; should one come back, it must never touch the user's own
    monkeypatch.setenv("NAMI_CACHE_DIR", str(_cache_root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_root))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")


@pytest.fixture
def run() -> Callable[..., Any]:
    """Run ``nami ARGS`` in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a text (or bytes) file in a temporary folder and return its path."""

    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session")
def result_schema() -> dict[str, Any]:
    from nami_cli.commands.schema import schema_for

    return json.loads(json.dumps(schema_for("result")))


def cwd_relative(path: Path) -> str:
    return os.path.relpath(path)
