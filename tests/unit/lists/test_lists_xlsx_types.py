"""XLSX output keeps each cell's type: read the written file back with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from nami_cli.lists.writers import column_kinds, open_writer


def read_back(path: Path) -> list[dict[str, Any]]:
    wb = load_workbook(path)
    rows = list(wb.active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_workbook_keeps_its_types(run: Callable[..., Any], tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Omschrijving", "Code", "CPV", "Order", "Bedrag", "Datum", "Geboekt"])
    ws.append(["Pennen met logo", "00123", "30192700-8", "4500", 1050, dt.date(2025, 3, 1), "2025-03-01"])
    ws.append(["Kopieerpapier", "00124", "30197630", "4501", 89.9, dt.datetime(2025, 3, 2, 10, 30), "x"])
    wb.save(tmp_path / "in.xlsx")
    result = run("screen", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "uit.xlsx"), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    pens, paper = read_back(tmp_path / "uit.xlsx")
    assert pens["Code"] == "00123" and pens["CPV"] == "30192700-8" and paper["CPV"] == "30197630"
    assert pens["Order"] == "4500"  # text in the source, text in the output
    assert pens["Bedrag"] == 1050 and paper["Bedrag"] == 89.9
    assert pens["Datum"] == dt.datetime(2025, 3, 1) and paper["Datum"] == dt.datetime(2025, 3, 2, 10, 30)
    assert pens["Geboekt"] == "2025-03-01"  # a text that looks like a date stays text
    assert pens["nami_row"] == 2 and isinstance(pens["nami_advice"], str)


def test_csv_cells_stay_text_except_the_amount(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write(
        "in.csv",
        "Omschrijving;Kostenplaats;CPV;Bedrag;Datum\n"
        "Pennen met logo;4500;30192700;1.234,56;01-03-2025\n"
        "Kopieerpapier;0042;30197630;12,3,4;02-03-2025\n"
        "Stoelen;4501;39112000;-300;03-03-2025\n",
    )
    result = run("screen", str(source), "-o", str(tmp_path / "uit.xlsx"), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    pens, paper, chairs = read_back(tmp_path / "uit.xlsx")
    assert pens["Kostenplaats"] == "4500" and paper["Kostenplaats"] == "0042"
    assert pens["CPV"] == "30192700" and pens["Datum"] == "01-03-2025"
    assert pens["Bedrag"] == 1234.56 and chairs["Bedrag"] == -300
    assert paper["Bedrag"] == "12,3,4"  # not a number: kept as written


def test_column_kinds() -> None:
    assert column_kinds(["text", "text"], 4, 1) == ["text", "number", "auto", "auto"]
    assert column_kinds(["text", "date"], 2, 1) == ["text", "date"]
    assert column_kinds(None, 2, 0) == ["auto", "auto"]


def test_writer_kinds_directly(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    with open_writer(
        str(out), "xlsx", ["t", "n", "d", "a"], kinds=["text", "number", "date", "auto"], decimal=","
    ) as writer:
        writer.write(["=1+1", "1.234,5", "2025-01-02", "12"])
        writer.write(["", "", "", ""])
        writer.write(["0012", "abc", "not a date", "0012"])
    first, empty, second = read_back(out)
    assert first == {"t": "'=1+1", "n": 1234.5, "d": dt.datetime(2025, 1, 2), "a": 12}
    assert second == {"t": "0012", "n": "abc", "d": "not a date", "a": "0012"}
    assert set(empty.values()) == {None}
