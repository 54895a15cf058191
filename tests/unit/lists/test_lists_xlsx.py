"""Reading XLSX with openpyxl (read-only, streamed): sheets, value conversion, errors."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ods_writer import write_ods
from openpyxl import Workbook

from nami_cli.base.errors import NamiError
from nami_cli.lists.readers import ListSource, SourceRow, open_list

WriteBytes = Callable[..., Path]


def read_all(path: str | Path, **kwargs: Any) -> tuple[ListSource, list[SourceRow]]:
    with open_list(str(path), **kwargs) as source:
        rows = list(source.rows())
    return source, rows


def make_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Inkoop"
    ws.append(["Omschrijving", "Aantal", "Bedrag", "Datum", "CPV", "Akkoord", None])
    ws.append(["Pennen met logo", 500, 1050.5, dt.datetime(2026, 1, 3), 30192130, True])
    ws.append(["Koffie", 12.0, -45, dt.datetime(2026, 1, 4, 13, 30), "45233130-9", False])
    ws.append([None, None, None])  # blank row: skipped, still counted
    ws.append(["Stoelen", 3, 0.1, dt.date(2026, 2, 1), 39100000.0])
    ws.append(["Bureaus", 1, 2, None, None, None, None, "extra!"])
    other = wb.create_sheet("Andere lijst")
    other.append(["Titel"])
    other.append(["Niets"])
    other.append(["Iets"])
    wb.save(path)
    return path


def test_first_sheet_and_value_conversion(tmp_path: Path) -> None:
    source, rows = read_all(make_workbook(tmp_path / "lijst.xlsx"))
    assert (source.format, source.sheet, source.encoding, source.delimiter) == ("xlsx", "Inkoop", None, None)
    assert source.decimal == "."
    assert source.headers == ["Omschrijving", "Aantal", "Bedrag", "Datum", "CPV", "Akkoord"]
    assert [(r.row, r.cells, r.error) for r in rows] == [
        (2, ["Pennen met logo", "500", "1050.5", "2026-01-03", "30192130", "TRUE"], None),
        (3, ["Koffie", "12", "-45", "2026-01-04 13:30:00", "45233130-9", "FALSE"], None),
        (5, ["Stoelen", "3", "0.1", "2026-02-01", "39100000", ""], None),
        (6, ["Bureaus", "1", "2", "", "", ""], 'cells beyond the last header column: "extra!"'),
    ]
    assert source.blank_rows == 1


@pytest.mark.parametrize("sheet", ["Andere lijst", "andere LIJST", "2"])
def test_sheet_by_name_or_number(tmp_path: Path, sheet: str) -> None:
    source, rows = read_all(make_workbook(tmp_path / "lijst.xlsx"), sheet=sheet)
    assert source.sheet == "Andere lijst"
    assert source.headers == ["Titel"]
    assert [r.cells for r in rows] == [["Niets"], ["Iets"]]


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "lijst.xlsx")
    with pytest.raises(NamiError) as info:
        open_list(str(path), sheet="Blad1")
    assert (
        str(info.value) == f"{path}: no sheet 'Blad1' in the workbook; its sheets: 'Inkoop', 'Andere lijst'"
    )


def test_header_further_down_keeps_sheet_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Inkoopoverzicht 2026"
    ws.append([])
    ws.append(["Omschrijving", "Bedrag"])  # row 3
    ws.append(["Pennen", 12])
    wb.save(tmp_path / "x.xlsx")
    source, rows = read_all(tmp_path / "x.xlsx")
    # the title in A1 is the first non-empty row: it becomes the header (one column)
    assert source.headers == ["Inkoopoverzicht 2026"]
    assert rows[0].row == 3


def test_empty_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.save(tmp_path / "leeg.xlsx")
    with pytest.raises(NamiError, match="is empty: no header row"):
        open_list(str(tmp_path / "leeg.xlsx"))


def test_not_a_workbook(write_bytes: WriteBytes) -> None:
    with pytest.raises(NamiError, match="not an XLSX workbook"):
        open_list(str(write_bytes("lijst.xlsx", "Omschrijving;Bedrag\n")))
    with pytest.raises(NamiError, match="not a readable XLSX workbook"):
        open_list(str(write_bytes("kapot.xlsx", b"PK\x03\x04" + b"rubbish" * 10)))


def test_xlsx_is_recognised_by_content_and_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_workbook(tmp_path / "lijst.xlsx")
    renamed = tmp_path / "export.dat"
    renamed.write_bytes(path.read_bytes())
    source, rows = read_all(renamed)
    assert source.format == "xlsx" and len(rows) == 4

    class Stdin:
        buffer = io.BytesIO(path.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    source, rows = read_all("-")
    assert source.format == "xlsx" and len(rows) == 4


def test_streaming_read_of_a_larger_sheet(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Nr", "Omschrijving", "Bedrag"])
    for i in range(5000):
        ws.append([i, f"Regel {i}", i + 0.25])
    wb.save(tmp_path / "groot.xlsx")
    _, rows = read_all(tmp_path / "groot.xlsx")
    assert len(rows) == 5000
    assert rows[-1].row == 5001
    assert rows[-1].cells == ["4999", "Regel 4999", "4999.25"]


SAME_LIST: list[list[object]] = [
    ["Omschrijving", "Aantal", "Bedrag"],
    ["Relatiegeschenken pennen met logo", 500, 1050],
    ["Kopieerpapier A4", 40, 89.9],
    ["Bureaustoelen", 10, 4500],
    ["", 1, 3],
]


def test_the_same_list_as_csv_xlsx_and_ods_gives_the_same_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    csv_path = tmp_path / "lijst.csv"
    csv_path.write_text(
        "\n".join(";".join(str(v).replace(".", ",") for v in row) for row in SAME_LIST) + "\n"
    )
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in SAME_LIST:
        ws.append(row)
    wb.save(tmp_path / "lijst.xlsx")
    write_ods(tmp_path / "lijst.ods", SAME_LIST)
    seen = {}
    for name in ("lijst.csv", "lijst.xlsx", "lijst.ods"):
        with open_list(str(tmp_path / name)) as source:
            seen[name] = (source.headers, [(r.row, r.cells) for r in source.rows()])
    assert seen["lijst.xlsx"][1][0] == (2, ["Relatiegeschenken pennen met logo", "500", "1050"])
    assert seen["lijst.ods"] == seen["lijst.xlsx"]
    assert [r for r, _ in seen["lijst.csv"][1]] == [r for r, _ in seen["lijst.ods"][1]]
    with open_list(str(tmp_path / "lijst.ods"), sheet="1") as source:
        assert source.format == "ods" and source.sheet == "Data"
    with pytest.raises(NamiError, match="no sheet 'Blad9' in the workbook; its sheets: 'Data'"):
        open_list(str(tmp_path / "lijst.ods"), sheet="Blad9")
