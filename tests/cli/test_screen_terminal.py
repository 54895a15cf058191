"""``nami screen`` on a terminal, in-process: the table of rows with an opportunity on stdout, the summary
(counts, spend per advice, scope, top rules) and the progress bar on stderr, in both languages.

The command only shows these when stdout or stderr is a terminal, so these tests run the click command
with streams that say they are one (``tests/cli/test_width.py`` runs the same views in a real
pseudo-terminal, in a fresh process)."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
import typer

from nami_cli.cli import app

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "examples" / "lists" / "inkoop-2026.csv"


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def screen_on_terminal(
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    width: int = 100,
    stdout_tty: bool = True,
    color: bool = False,
) -> tuple[int, str, str]:
    """Run ``nami screen ARGS`` with stderr (and stdout, unless told not) a terminal of ``width`` columns,
    without colour (``NO_COLOR``) unless told: (exit code, stdout, stderr)."""
    out: io.StringIO = _Terminal() if stdout_tty else io.StringIO()
    err = _Terminal()
    monkeypatch.setenv("COLUMNS", str(width))
    if not color:
        monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    command = typer.main.get_command(app)
    code = command.main(["screen", *args], prog_name="nami", standalone_mode=False)
    return int(code or 0), out.getvalue(), err.getvalue()


def summary_of(path: Path, tmp_path: Path, *extra: str) -> dict[str, object]:
    """The summary JSON of the same list, written to a file (no terminal involved)."""
    target = tmp_path / "summary.json"
    command = typer.main.get_command(app)
    command.main(
        ["screen", str(path), "-o", str(tmp_path / "out.csv"), "--summary", str(target), "-q", *extra],
        prog_name="nami",
        standalone_mode=False,
    )
    data: dict[str, object] = json.loads(target.read_text(encoding="utf-8"))
    return data


def test_a_wide_terminal_shows_a_table_of_the_rows_with_an_opportunity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = screen_on_terminal(monkeypatch, str(LIST), width=200)
    assert code == 1  # opportunities found: the default --fail-on opportunity
    assert "Rijen met een kans" in out
    header = next(line for line in out.splitlines() if "omschrijving" in line)
    columns = r"rij\s+┃\s+omschrijving\s+.*┃\s+bedrag\s+┃\s+categorie\s+┃\s+advies\s+┃\s+regels"
    assert re.search(columns, header)
    row = next(line for line in out.splitlines() if "pennen met logo" in line)
    first = r"^│\s+2 │ Relatiegeschenken nieuwjaarsreceptie: pennen met logo\s+│\s+€\xa01\.045,00 │"
    assert re.search(first, row)
    assert "promotional-items" in row and "Niet" in row and "refuse-promotional-items" in row
    # a row with no opportunity is not in the table, nor is the row that could not be read
    assert "Schoonmaak" not in out and "+" not in out.splitlines()[-1]


def test_a_narrow_terminal_shows_each_row_as_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = screen_on_terminal(monkeypatch, str(LIST), "--lang", "en", width=60)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "Rows with an opportunity"
    assert "┃" not in out  # no table
    first = lines.index("row 2 · Refuse · €1,045.00 · promotional-items")
    assert lines[first + 1] == "Relatiegeschenken nieuwjaarsreceptie: pennen met logo"
    assert lines[first + 2] == "rules: refuse-promotional-items, refuse-event-giveaways"
    assert all(len(line) <= 60 for line in lines)


def test_the_table_shows_fifty_rows_and_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "lang.csv"
    path.write_text(
        "Omschrijving;Bedrag\n" + "".join(f"Pennen met logo partij {i};{100 + i},00\n" for i in range(63)),
        encoding="utf-8",
    )
    _, out, _ = screen_on_terminal(monkeypatch, str(path), width=60)
    assert out.count("rij ") == 50 and "rij 51 ·" in out and "rij 52 ·" not in out
    assert out.rstrip().splitlines()[-1] == "… +13 rijen; schrijf alles weg met -o FILE"
    _, out, _ = screen_on_terminal(monkeypatch, str(path), "--lang", "en", width=60)
    assert out.rstrip().splitlines()[-1] == "… +13 rows; write them all with -o FILE"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ["rijen gelezen", "beoordeeld", "met fouten", "ingedeeld", "Uitgaven per advies", "totaal"]),
        ("en", ["rows read", "screened", "with errors", "classified", "Spend per advice", "total"]),
    ],
)
def test_the_summary_on_a_terminal_agrees_with_the_summary_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, words: list[str]
) -> None:
    data = summary_of(LIST, tmp_path, "--lang", lang)
    _, _, err = screen_on_terminal(monkeypatch, str(LIST), "--lang", lang, width=120)
    counts = re.search(rf"nami: (\d+) {words[0]}, (\d+) {words[1]}, (\d+) {words[2]}, (\d+) {words[3]}", err)
    assert counts is not None, err
    assert [int(n) for n in counts.groups()] == [
        data["rows_read"],
        data["rows_screened"],
        data["rows_with_errors"],
        data["rows_classified"],
    ]
    assert words[4] in err
    total = next(line for line in err.splitlines() if re.search(rf"\b{words[5]}\b", line))
    assert str(data["rows_read"]) in total
    money = "€\xa0336.237,07" if lang == "nl" else "€336,237.07"  # amounts never break
    assert data["spend_total"] == 336237.07 and money in total
    top = data["top_rules"]
    assert isinstance(top, list) and top
    assert ("Meest gevonden regels" if lang == "nl" else "Top rules") in err
    assert all(rule["id"] in err for rule in top[:10])
    scope = data["spend_per_scope"]
    assert isinstance(scope, dict) and scope  # the example list holds rows that are no goods purchase
    assert ("Geen goederen (scope)" if lang == "nl" else "No goods purchase (scope)") in err
    assert all(str(item["title"]) in err for item in scope.values())


def test_written_to_a_file_the_terminal_shows_a_progress_bar_and_the_summary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "screened.csv"
    code, out, err = screen_on_terminal(monkeypatch, str(LIST), "-o", str(target), stdout_tty=False)
    assert code == 1 and out == ""
    assert target.read_text(encoding="utf-8").startswith("Boekdatum;Factuurnummer;")
    assert "nami screen" in err and "24 rijen" in err  # the progress bar, transient
    assert "nami: 24 rijen gelezen" in err and "Uitgaven per advies" in err


def test_a_terminal_gets_colour_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, err = screen_on_terminal(monkeypatch, str(LIST), width=60, color=True)
    assert "\x1b[1mrij 2 · \x1b[0m\x1b[1mNiet\x1b[0m" in out  # the head of each block in bold
    assert "\x1b[" in err
    _, out, err = screen_on_terminal(monkeypatch, str(LIST), "--color", "never", width=60, color=True)
    assert "\x1b[" not in out + err


def test_quiet_on_a_terminal_shows_the_table_but_no_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, err = screen_on_terminal(monkeypatch, str(LIST), "-q", width=60)
    assert "Rijen met een kans" in out and err == ""


def test_xlsx_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(typer.BadParameter, match="xlsx is a binary format: write it to a file with -o"):
        screen_on_terminal(monkeypatch, str(LIST), "-f", "xlsx")


def test_an_explicit_format_on_a_terminal_writes_the_format_not_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, out, err = screen_on_terminal(monkeypatch, str(LIST), "-f", "jsonl")
    first = json.loads(out.splitlines()[0])
    assert first["nami_advice"] == "refuse" and first["nami_row"] == "2"
    assert "Rijen met een kans" not in out and "Uitgaven per advies" in err
