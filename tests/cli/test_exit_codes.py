"""Exit codes tell the truth: 0/1 only for a run that worked, 2 usage, 3 bad input or output, 4 a bug.

Issue 9: every unexpected exception exited 1 (the code for "findings"), ``--encoding rot13`` gave a
traceback, ``--delimiter '"'`` wrote output that cannot be split back, and JSON output could hold
``Infinity``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = sorted((ROOT / "examples" / "requests").glob("*.yaml"))
LISTS = sorted((ROOT / "examples" / "lists").iterdir())
REQUEST = ROOT / "examples" / "requests" / "relatiegeschenken.yaml"
LIST = ROOT / "examples" / "lists" / "inkoop-2026.csv"

Run = Callable[..., Any]


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("something nobody expected")


# --- unexpected errors: exit 4, one line, no traceback ----------------------------------------------------


@pytest.mark.parametrize("command", ["check", "screen"])
def test_an_unexpected_error_is_exit_4_with_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    import nami_cli.assess.engine
    import nami_cli.assess.screening

    monkeypatch.setattr(nami_cli.assess.engine, "assess", boom)
    monkeypatch.setattr(nami_cli.assess.screening, "screen_source", boom)
    args = (
        ["check", str(REQUEST), "--lang", "en"]
        if command == "check"
        else ["screen", str(LIST), "-o", str(tmp_path / "o.csv"), "--lang", "en"]
    )
    result = run(*args)
    assert result.exit_code == 4
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert "internal error: RuntimeError: something nobody expected" in lines[-1]
    assert "report" in lines[-1] and "NAMI_DEBUG=1" in lines[-1]
    assert "internal error" not in "".join(lines[:-1])  # one line about it
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_nami_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import nami_cli.assess.engine

    monkeypatch.setattr(nami_cli.assess.engine, "assess", boom)
    result = run("check", str(REQUEST), env={"NAMI_DEBUG": "1"})
    assert result.exit_code == 4
    assert "Traceback" in result.stderr and "something nobody expected" in result.stderr


def test_memory_exhausted_is_exit_4(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import nami_cli.assess.engine

    def exhausted(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(nami_cli.assess.engine, "assess", exhausted)
    result = run("check", str(REQUEST), "--lang", "en")
    assert result.exit_code == 4
    assert "out of memory" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stays_130(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import nami_cli.assess.engine

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(nami_cli.assess.engine, "assess", interrupted)
    result = run("check", str(REQUEST), "--lang", "nl")
    assert result.exit_code == 130
    assert result.stderr.strip() == "nami: onderbroken"  # in the language of the command
    result = run("check", str(REQUEST), "--lang", "en")
    assert result.exit_code == 130
    assert result.stderr.strip() == "nami: interrupted"


def test_a_real_crash_in_a_fresh_process_is_exit_4(tmp_path: Path) -> None:
    """Not only under the test runner: the installed entry point maps it too."""
    code = (
        "import nami_cli.assess.engine as e\n"
        "def boom(*a, **k):\n"
        "    raise ValueError('x')\n"
        "e.assess = boom\n"
        "import sys\n"
        "from nami_cli.cli import main\n"
        f"sys.argv = ['nami', 'check', {str(REQUEST)!r}, '--lang', 'en']\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NAMI_DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 4, result.stderr
    assert "internal error: ValueError: x" in result.stderr
    assert "Traceback" not in result.stderr


# --- usage errors: exit 2 with a message ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["rot13", "klingon", "hex", "base64", ""])
def test_unknown_encoding_is_a_usage_error(run: Run, tmp_path: Path, encoding: str) -> None:
    result = run("screen", str(LIST), "--encoding", encoding, "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 2, result.output
    assert "--encoding" in result.output and "utf-8" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("delimiter", ['"', "\n", "\r", "", ";;", "ab", "a", "7", "\x00"])
def test_impossible_delimiter_is_a_usage_error(run: Run, tmp_path: Path, delimiter: str) -> None:
    result = run("screen", str(LIST), "--delimiter", delimiter, "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 2, result.output
    assert "--delimiter" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("given", "used"), [(";", ";"), ("|", "|"), ("\\t", "\t"), ("tab", "\t"), ("\t", "\t")]
)
def test_possible_delimiters_are_used(run: Run, tmp_path: Path, given: str, used: str) -> None:
    out = tmp_path / "o.csv"
    result = run("screen", "--fail-on", "never", str(LIST), "--delimiter", given, "-o", str(out))
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert used in header and header.count(used) >= 5


# --- JSON output is strict JSON: never NaN or Infinity ----------------------------------------------------


def strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def strict_lines(text: str) -> list[Any]:
    return [strict(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("request_file", REQUESTS, ids=lambda p: p.stem)
def test_check_json_is_strict(run: Run, request_file: Path) -> None:
    result = run("check", "--fail-on", "never", "-f", "json", str(request_file))
    assert result.exit_code == 0, result.stderr
    assert strict(result.stdout)["results"]


@pytest.mark.parametrize("list_file", LISTS, ids=lambda p: p.name)
def test_screen_json_outputs_are_strict(run: Run, tmp_path: Path, list_file: Path) -> None:
    summary = tmp_path / "summary.json"
    for fmt, parse in (("json", strict), ("jsonl", strict_lines)):
        out = tmp_path / f"out.{fmt}"
        result = run(
            "screen", "--fail-on", "never", str(list_file), "-o", str(out), "--summary", str(summary)
        )
        assert result.exit_code == 0, result.stderr
        assert parse(out.read_text(encoding="utf-8"))
        assert strict(summary.read_text(encoding="utf-8"))["rows_read"] > 0


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "list", "-f", "json"],
        ["matrix", "-f", "json"],
        ["schema", "request"],
        ["schema", "rules"],
        ["schema", "result"],
    ],
)
def test_other_json_outputs_are_strict(run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert strict(result.stdout)


def test_a_non_finite_number_never_reaches_json(run: Run, write: Callable[..., Path], tmp_path: Path) -> None:
    """Amounts of 9e308 and 10**400: the output holds no Infinity, whatever the run makes of them."""
    source = write(
        "huge.csv", "Omschrijving;Bedrag\nPennen met logo;9e308\nPennen met logo;1" + "0" * 400 + "\n"
    )
    summary = tmp_path / "summary.json"
    out = tmp_path / "out.json"
    result = run("screen", "--fail-on", "never", str(source), "-o", str(out), "--summary", str(summary))
    assert "Traceback" not in result.stderr
    for path in (summary, out):
        if path.exists():
            strict(path.read_text(encoding="utf-8"))
    if result.exit_code == 0:
        assert summary.exists() and out.exists()
