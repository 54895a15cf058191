"""Data never drives the terminal: escape sequences are shown as ``\\x1b``, rich markup is printed as written.

Issue 9: OSC 52 (clipboard), OSC 0 (window title), ``ESC[2J`` in a title or a list cell reached the
terminal; a cell ``[link=...]`` became a hyperlink and ``[/bold]`` crashed the terminal table.
"""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.safetext import markup_escape, plain, visible, visible_line

ROOT = Path(__file__).resolve().parents[2]

Run = Callable[..., Any]

# the payloads, as YAML double-quoted escapes (YAML itself refuses raw control characters)
OSC52 = "\\e]52;c;cm0gLXJmIH4=\\a"
TITLE = "\\e]0;pwned\\a"
CLEAR = "\\e[2J\\x9b31m"
MARKUP = "[link=https://evil.example]klik[/link] [blink reverse]x[/bold]"


def no_control(text: str) -> None:
    """Nothing in ``text`` a terminal would obey: no ESC, BEL, C1 control; the payload visible instead."""
    for char in ("\x1b", "\x07", "\x9b"):
        assert char not in text, repr(text)


def test_visible_shows_every_control_character() -> None:
    assert visible("a\x1b]0;x\x07b") == "a\\x1b]0;x\\x07b"
    assert visible("\x9b2J\x7f") == "\\x9b2J\\x7f"
    assert visible("line\nnext\tcell\r") == "line\nnext\tcell\\r"
    assert visible_line("line\nnext\tcell") == "line\\nnext\\tcell"
    assert visible("gewoon: € 1.234,50 — ok ✓") == "gewoon: € 1.234,50 — ok ✓"
    assert markup_escape("[bold]x[/bold]") == "\\[bold]x\\[/bold]"


def test_plain_text_is_never_markup() -> None:
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, color_system=None, width=200)
    console.print(plain(MARKUP + "\x1b[2J"))
    assert out.getvalue().strip() == MARKUP + "\\x1b[2J"


@pytest.fixture
def hostile_request(tmp_path: Path) -> Path:
    path = tmp_path / "aanvraag.yaml"
    path.write_text(
        "nami: 1\n"
        f'title: "Relatiegeschenken {MARKUP}"\n'
        f'description: "500 pennen met logo {CLEAR}"\n'
        "quantity: 500\n"
        "answers:\n"
        "  refuse:\n"
        "    answer: yes\n"
        f'    justification: "nodig {OSC52} {TITLE} {CLEAR} [red]rood[/red]"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("color", ["never", "always"])
def test_check_text_shows_escapes_and_markup_literally(run: Run, hostile_request: Path, color: str) -> None:
    result = run("check", "--fail-on", "never", "--color", color, str(hostile_request))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07" in out
    assert "\\x1b]0;pwned" in out and "\\x1b[2J\\x9b31m" in out
    assert "[link=https://evil.example]" in out
    assert "[red]rood[/red]" in out
    if color == "never":
        no_control(out)
    else:  # rich's own colours only: every ESC opens an SGR sequence (ESC [ digits m)
        import re

        assert re.fullmatch(r"(?:[^\x1b\x07\x9b]|\x1b\[[0-9;]*m)*", out, re.S)


def test_file_names_in_messages_are_visible(run: Run, tmp_path: Path) -> None:
    evil = str(tmp_path / "x\x1b]0;pwned\x07\n.yaml")
    result = run("check", evil)
    assert result.exit_code == 3
    no_control(result.stderr)
    assert "\\x1b]0;pwned\\x07\\n.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # a newline in a name cannot fake a line


def test_problem_messages_with_data_are_visible(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text("Omschrijving\x1b[2J;Bedrag\nPennen;1\n", encoding="utf-8")
    result = run("screen", str(path), "--map", "description=Nope\x1b]52;c;eA==\x07", "-o", os.devnull)
    assert result.exit_code == 3
    no_control(result.stderr)
    assert "\\x1b" in result.stderr


def test_screen_messages_show_header_escapes(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lijst\x1b]0;t\x07.csv"
    path.write_text("Omschrijving\x1b[2J;Bedrag\nPennen met logo;1\n", encoding="utf-8")
    mapping = "description=Omschrijving\x1b[2J"
    result = run("screen", "--fail-on", "never", str(path), "--map", mapping, "-o", os.devnull)
    assert result.exit_code == 0, result.stderr
    no_control(result.stderr)
    assert "lijst\\x1b]0;t\\x07.csv" in result.stderr
    assert "Omschrijving\\x1b[2J" in result.stderr


def _pty_run(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run nami with stdout and stderr on a pseudo-terminal (so the table is drawn) and read all of it."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "300", "LINES": "50", "NAMI_LANG": "en", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "nami_cli", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(main)
    return proc.wait(20), b"".join(chunks).decode("utf-8", "replace")


def test_screen_terminal_table_with_hostile_cells(tmp_path: Path) -> None:
    """The table on a terminal: markup in a cell is printed as written (no crash), escapes visible."""
    path = tmp_path / "lijst.csv"
    path.write_text(
        "Omschrijving;Bedrag\n"
        '"Pennen met logo [/bold] [link=https://evil.example]klik[/link] \x1b]52;c;eA==\x07";10\n'
        "Kopieerpapier;20\n"
        '"Wegwerpbekers \x9b31m \x1b[2J [blink reverse]x";30\n',
        encoding="utf-8",
    )
    code, out = _pty_run(["screen", "--color", "never", "--fail-on", "never", str(path)], tmp_path)
    assert code == 0, out
    no_control(out)
    flat = "".join(out.split())  # the table may fold a long cell over lines
    assert "[/bold]" in flat and "[link=https://evil.example]klik[/link]" in flat
    assert "\\x1b]52;c;eA==\\x07" in flat and "\\x9b31m" in flat and "[blinkreverse]x" in flat


@pytest.fixture
def hostile_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "examples" / "rules", pack)
    rules = pack / "kerstpakketten.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace(
        "      en: Fixed Christmas packages\n",
        f'      en: "Fixed Christmas packages {TITLE} {MARKUP}"\n',
    )
    text = text.replace(
        "      en: The Christmas package is a fixed tradition\n",
        f'      en: "The Christmas package is a fixed tradition {CLEAR} [/bold]"\n',
    )
    rules.write_text(text, encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "show", "rethink-christmas-packages"],
        ["rules", "show", "christmas-package-tradition"],
        ["rules", "list"],
        ["matrix"],
    ],
)
def test_rule_pack_texts_are_shown_literally(run: Run, hostile_pack: Path, args: list[str]) -> None:
    wide = {"COLUMNS": "400"}  # a table folds long cells between the other columns
    result = run(*args, "--lang", "en", "--color", "never", "--rules", str(hostile_pack), env=wide)
    assert result.exit_code == 0, result.stderr
    no_control(result.stdout)
    flat = "".join(result.stdout.split())
    assert "\\x1b" in flat
    if args[-1] != "christmas-package-tradition" and args[0] != "matrix":
        assert "[link=https://evil.example]klik[/link]" in flat
    else:
        assert "[/bold]" in flat


def test_interview_notes_are_visible() -> None:
    from rich.console import Console

    from nami_cli.interactive.interview.prompter import QuestionaryPrompter

    out = io.StringIO()
    prompter = QuestionaryPrompter("en", Console(file=out, color_system=None, width=200))
    prompter.note("title: x\x1b]0;pwned\x07 [bold]y[/bold]", kind="finding")
    assert out.getvalue().strip() == "title: x\\x1b]0;pwned\\x07 [bold]y[/bold]"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_show_control_characters_visibly(run: Run, hostile_request: Path, fmt: str) -> None:
    result = run("check", "--fail-on", "never", "-f", fmt, str(hostile_request))
    assert result.exit_code == 0, result.stderr
    no_control(result.stdout)
    assert "x1b]52;c;cm0gLXJmIH4=" in result.stdout.replace("\\]", "]")


def test_screen_report_shows_control_characters_visibly(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text('Omschrijving;Bedrag\n"Pennen met logo \x1b]0;t\x07";100\n', encoding="utf-8")
    report = tmp_path / "r.html"
    result = run("screen", "--fail-on", "never", str(path), "-o", os.devnull, "--report", str(report))
    assert result.exit_code == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    no_control(html)
    assert "\\x1b]0;t\\x07" in html
