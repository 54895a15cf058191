"""A workbook whose first sheet is a cover page: name the sheet to try, or list the sheets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from nami_cli.lists.read import sheets


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read nami's messages in English (the default language is Dutch)."""
    monkeypatch.setenv("NAMI_LANG", "en")


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


COVER = [["Inkoopanalyse gemeente Voorbeeld"], [], ["Opgesteld door", "Team Inkoop"], ["Datum", "2025-03-01"]]
DATA = [["Omschrijving", "Bedrag"], ["Pennen met logo", 1050], ["Kopieerpapier A4", 89.9]]


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both workbook readers: calamine, and openpyxl's streaming reader (used for very large sheets)."""
    if request.param == "openpyxl":
        monkeypatch.setattr(sheets, "CALAMINE_CELLS", 0)
    return str(request.param)


def test_a_cover_sheet_names_the_sheet_to_try(run: Callable[..., Any], tmp_path: Path, reader: str) -> None:
    book = workbook(tmp_path / "lijst.xlsx", {"Voorblad": COVER, "Toelichting": [["Tekst"]], "Data": DATA})
    result = run("screen", str(book), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 3, result.output
    assert "no description, category or CPV column found" in result.stderr
    assert "try --sheet Data" in result.stderr
    assert "Traceback" not in result.stderr
    again = run("screen", str(book), "--sheet", "Data", "-o", str(tmp_path / "o.csv"), "--fail-on", "never")
    assert again.exit_code == 0, again.output


def test_an_empty_first_sheet_names_the_sheet_to_try(
    run: Callable[..., Any], tmp_path: Path, reader: str
) -> None:
    book = workbook(tmp_path / "lijst.xlsx", {"Leeg": [], "Uitgaven 2025": DATA})
    result = run("screen", str(book), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 3, result.output
    assert "is empty" in result.stderr and "try --sheet 'Uitgaven 2025'" in result.stderr


def test_no_usable_sheet_lists_the_sheets_with_their_headers(
    run: Callable[..., Any], tmp_path: Path, reader: str
) -> None:
    book = workbook(
        tmp_path / "lijst.xlsx",
        {"Voorblad": COVER, "Cijfers": [["Jaar", "Kwartaal", "Waarde"], [2025, 1, 10]], "Leeg": []},
    )
    result = run("screen", str(book), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 3, result.output
    err = " ".join(result.stderr.split())
    assert "No other sheet has such a column either" in err
    assert "'Cijfers': 'Jaar', 'Kwartaal', 'Waarde'" in err and "'Leeg': (empty)" in err
    assert "try --sheet" not in err


def test_a_chosen_sheet_is_not_second_guessed(run: Callable[..., Any], tmp_path: Path) -> None:
    book = workbook(tmp_path / "lijst.xlsx", {"Voorblad": COVER, "Data": DATA})
    result = run("screen", str(book), "--sheet", "Voorblad", "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 3
    assert "try --sheet Data" in result.stderr  # still the helpful hint, the choice was the user's


def test_a_csv_gets_no_sheet_hint(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    result = run("screen", str(write("a.csv", "Jaar;Waarde\n2025;10\n")), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code == 3 and "--sheet" not in result.stderr
