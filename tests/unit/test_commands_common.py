"""The machinery every command shares (``nami_cli.commands.common``): the error guard that maps every way a
run can end to its exit code and one message, colour choice, ``--lang`` read from the command line,
output writing and the final flush of stdout."""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import pytest
import typer

from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import Lang
from nami_cli.commands.common import (
    INTERNAL_ERROR,
    Color,
    argv_lang,
    console,
    emit,
    finish_stdout,
    guard,
    resolve_lang,
    stdout_path,
    use_color,
)


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read nami's messages in English (the default language is Dutch)."""
    monkeypatch.setenv("NAMI_LANG", "en")


def _ends(fn: Any, *args: Any, **kwargs: Any) -> int:
    """The exit code ``guard(fn)`` ends with (0 when it returns)."""
    try:
        guard(fn)(*args, **kwargs)
    except typer.Exit as end:
        return end.exit_code
    return 0


def _raise(exc: BaseException) -> Any:
    def command(**_: Any) -> NoReturn:
        raise exc

    return command


def test_guard_returns_what_the_command_returns() -> None:
    assert guard(lambda x: x * 2)(21) == 42


def test_guard_invalid_input_is_exit_3_with_each_problem(capsys: pytest.CaptureFixture[str]) -> None:
    problems = [Problem("the file has no rows", file="a.csv", line=3, column=1), Problem("no pack folder")]
    assert _ends(_raise(NamiError(problems))) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "a.csv:3:1: the file has no rows"
    assert err[1] == "nami: no pack folder"


@pytest.mark.parametrize(("lang", "message"), [("nl", "nami: onderbroken"), ("en", "nami: interrupted")])
def test_guard_ctrl_c_is_130_in_the_language_of_the_command(
    capsys: pytest.CaptureFixture[str], lang: Lang, message: str
) -> None:
    assert _ends(_raise(KeyboardInterrupt()), lang=lang) == 130
    assert capsys.readouterr().err == message + "\n"


def test_guard_language_without_a_lang_option_comes_from_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["nami", "validate", "--lang=en"])
    assert _ends(_raise(KeyboardInterrupt())) == 130
    assert capsys.readouterr().err == "nami: interrupted\n"


def test_guard_sigterm_ends_like_ctrl_c_with_128_plus_the_signal(capsys: pytest.CaptureFixture[str]) -> None:
    """A real SIGTERM to this process while the command runs: the guard's handler turns it into an
    exception, so the command unwinds (its ``finally`` runs) and the run ends with 143."""
    unwound: list[bool] = []

    def command(lang: Lang) -> None:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)  # the handler raises at once; the sleep is not finished
        finally:
            unwound.append(True)

    before = signal.getsignal(signal.SIGTERM)
    assert _ends(command, lang="en") == 128 + signal.SIGTERM
    assert unwound == [True]
    assert capsys.readouterr().err == "nami: stopped by a signal; no output file was changed\n"
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def test_guard_broken_pipe_is_a_quiet_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ends(_raise(BrokenPipeError(errno.EPIPE, "Broken pipe"))) == 0
    assert capsys.readouterr().err == ""


def test_guard_lets_typer_usage_errors_through() -> None:
    with pytest.raises(typer.BadParameter):
        guard(_raise(typer.BadParameter("no")))()
    assert _ends(_raise(typer.Exit(1))) == 1


def test_guard_io_error_names_the_file_and_is_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    exc = PermissionError(errno.EACCES, "Permission denied", "/data/list.csv")
    assert _ends(_raise(exc)) == 3
    assert capsys.readouterr().err == "nami: /data/list.csv: Permission denied\n"


def test_guard_io_error_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ends(_raise(OSError(errno.ENOENT, "No such thing"))) == 3
    assert capsys.readouterr().err == "nami: No such thing\n"


def test_guard_disk_full_without_a_file_is_blamed_on_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert _ends(_raise(OSError(errno.ENOSPC, "No space left on device"))) == 3
    assert capsys.readouterr().err == "nami: cannot write to stdout: No space left on device\n"


def test_guard_control_characters_in_a_file_name_are_shown_not_sent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exc = FileNotFoundError(errno.ENOENT, "No such file or directory", "evil\x1b[2Jname.csv")
    assert _ends(_raise(exc)) == 3
    err = capsys.readouterr().err
    assert "\x1b" not in err and "evil" in err and "name.csv: No such file or directory" in err


def test_guard_a_bug_is_exit_4_with_one_line_and_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ends(_raise(ZeroDivisionError("division by zero"))) == INTERNAL_ERROR == 4
    err = capsys.readouterr().err
    assert err.startswith("nami: internal error: ZeroDivisionError: division by zero. This is a bug in nami ")
    assert "NAMI_DEBUG=1 shows the traceback" in err and err.endswith("Exit 4.\n")
    assert "Traceback" not in err and err.count("\n") == 1


def test_guard_a_bug_shows_the_traceback_with_nami_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAMI_DEBUG", "1")
    assert _ends(_raise(ValueError("bad state"))) == 4
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ValueError: bad state" in err
    assert "nami: internal error: ValueError: bad state." in err


def test_guard_a_long_error_is_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ends(_raise(RuntimeError("x" * 1000))) == 4
    line = capsys.readouterr().err
    assert "x" * 300 + "…" in line and "x" * 301 not in line


def test_guard_memory_exhausted_is_exit_4_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ends(_raise(MemoryError())) == 4
    err = capsys.readouterr().err
    assert err.startswith("nami: out of memory;") and "internal error" not in err


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        (Color.always, {"NO_COLOR": "1"}, False, True),
        (Color.never, {"FORCE_COLOR": "1"}, True, False),
        (Color.auto, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        (Color.auto, {"FORCE_COLOR": "1"}, False, True),
        (Color.auto, {}, True, True),
        (Color.auto, {}, False, False),
    ],
)
def test_use_color(
    monkeypatch: pytest.MonkeyPatch, choice: Color, env: dict[str, str], tty: bool, expected: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert use_color(choice, Stream()) is expected


def test_a_console_without_colour_writes_plain_text() -> None:
    out = console(Color.never)
    with out.capture() as captured:
        out.print("[bold red]Niet[/]")
    assert captured.get() == "Niet\n"
    out = console(Color.always)
    with out.capture() as captured:
        out.print("[bold red]Niet[/]")
    assert "\x1b[" in captured.get() and "Niet" in captured.get()


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["check", "--lang", "en", "a.yaml"], "en"),
        (["check", "--lang=en"], "en"),
        (["check", "--lang", "fr"], "nl"),
        (["check", "--lang"], "nl"),
        (["check", "a.yaml"], "nl"),
    ],
)
def test_argv_lang(argv: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NAMI_LANG")
    assert argv_lang(argv) == lang


def test_the_language_defaults_to_nami_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAMI_LANG", "en")
    assert resolve_lang(None) == "en" and argv_lang(["check"]) == "en"
    assert resolve_lang("nl") == "nl"


def test_stdout_path() -> None:
    assert stdout_path(None) is None and stdout_path("-") is None and stdout_path(Path("-")) is None
    assert stdout_path(Path("out/a.csv")) == "out/a.csv"


def test_emit_to_stdout_and_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emit("een\n", None)
    emit("twee\n", "-")
    target = tmp_path / "out.txt"
    emit("drie\n", target)
    captured = capsys.readouterr()
    assert captured.out == "een\ntwee\n"
    assert target.read_text(encoding="utf-8") == "drie\n"
    assert captured.err == f"nami: wrote {target}\n"
    emit("vier\n", target, quiet=True)
    assert target.read_text(encoding="utf-8") == "vier\n" and capsys.readouterr().err == ""


class _FailingStdout(io.StringIO):
    def __init__(self, exc: BaseException) -> None:
        super().__init__()
        self.exc = exc

    def flush(self) -> None:
        raise self.exc


def test_finish_stdout_says_why_stdout_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _FailingStdout(OSError(errno.ENOSPC, "No space left on device")))
    assert finish_stdout() is False
    assert capsys.readouterr().err == "nami: cannot write to stdout: No space left on device\n"


def test_finish_stdout_a_closed_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _FailingStdout(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    assert finish_stdout() is True
    assert capsys.readouterr().err == ""


def test_finish_stdout_flushes(monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[bool] = []

    class Out(io.StringIO):
        def flush(self) -> None:
            flushed.append(True)

    monkeypatch.setattr(sys, "stdout", Out())
    assert finish_stdout() is True and flushed == [True]
