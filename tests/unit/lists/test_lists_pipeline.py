"""The whole layer as nami screen uses it: read -> map -> request -> write; nothing lost, order kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from nami_cli.lists.columns import map_columns
from nami_cli.lists.readers import open_list
from nami_cli.lists.rows import row_to_request
from nami_cli.lists.writers import open_writer

NAMI_COLUMNS = (  # as nami screen appends them (spec section 7)
    "nami_advice",
    "nami_refuse",
    "nami_rethink",
    "nami_reduce",
    "nami_category",
    "nami_rules",
    "nami_obstacles",
    "nami_error",
)

SPEND = (
    "Factuurnummer;Omschrijving;Kostensoort;Aantal;Bedrag\r\n"
    "F1;Pennen met logo;Relatiegeschenken;500;1.050,00\r\n"
    'F2;=HYPERLINK("http://x");Drukwerk;1;12,50\r\n'
    "\r\n"
    "F3;;;2;3,00\r\n"
    "F4;Koffie;Catering;veel;12,3,4\r\n"
    "F5;Creditnota;Catering;1;-45,00\r\n"
    "F6;Stoelen;Meubilair\r\n"
    'F7;"Bureau\r\nmet la";Meubilair;1;1.234,56;extra\r\n'
)


def screen(path: Path, out: Path) -> list[tuple[int, dict[str, object], str | None]]:
    seen = []
    with open_list(str(path)) as source:
        cmap = map_columns(source.headers, [], file=source.file)
        headers = source.headers + list(NAMI_COLUMNS)
        assert source.delimiter and source.encoding
        with open_writer(str(out), "csv", headers, delimiter=source.delimiter, encoding=source.encoding) as w:
            for row in source.rows():
                request, _, error = row_to_request(row.cells, cmap, source.decimal)
                error = row.error or error
                seen.append((row.row, request, error))
                advice = "" if error else "refuse"
                w.write([*row.cells, advice, "", "", "", "", "", "", error or ""])
    return seen


def test_every_row_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_bytes(SPEND.encode("utf-8"))
    out = tmp_path / "screened.csv"
    seen = screen(path, out)
    assert [r for r, _, _ in seen] == [2, 3, 5, 6, 7, 8, 9]
    errors = {r: e for r, _, e in seen}
    assert errors[2] is None and errors[3] is None and errors[7] is None
    assert errors[5] == "no description, category or CPV code"
    assert errors[6] == 'column "Aantal": "veel" is not a number; column "Bedrag": "12,3,4" is not a number'
    assert errors[8] == "row has 3 cells, header has 5"
    assert errors[9] == 'row has 6 cells, header has 5; extra cells: "extra"'
    assert seen[0][1]["estimated_value"] == 1050.0

    with open(out, encoding="utf-8", newline="") as f:
        written = list(csv.reader(f, delimiter=";"))
    assert written[0] == ["Factuurnummer", "Omschrijving", "Kostensoort", "Aantal", "Bedrag", *NAMI_COLUMNS]
    assert [r[0] for r in written[1:]] == ["F1", "F2", "F3", "F4", "F5", "F6", "F7"]
    assert written[2][1] == '\'=HYPERLINK("http://x")'  # neutralised
    assert written[5][4] == "-45,00"  # a negative number stays a number
    assert written[7][1] == "Bureau\r\nmet la"
    assert written[7][-1] == 'row has 6 cells, header has 5; extra cells: "extra"'


def test_screen_from_xlsx_to_xlsx_and_json(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Item description", "Quantity", "Amount"])
    ws.append(["Pens", 500, 1050.5])
    ws.append(["@team -A1", 1, -3])
    wb.save(tmp_path / "in.xlsx")
    with open_list(str(tmp_path / "in.xlsx")) as source:
        cmap = map_columns(source.headers, [], file=source.file)
        rows = list(source.rows())
    requests = [row_to_request(r.cells, cmap, source.decimal)[0] for r in rows]
    assert requests[0] == {"title": "Pens", "quantity": 500, "estimated_value": 1050.5}
    for fmt in ("xlsx", "json"):
        out = tmp_path / f"out.{fmt}"
        with open_writer(str(out), fmt, source.headers) as w:
            for r in rows:
                w.write(r.cells)
        if fmt == "xlsx":
            values = [[c.value for c in row] for row in load_workbook(out).worksheets[0].iter_rows()]
            assert values == [
                ["Item description", "Quantity", "Amount"],
                ["Pens", 500, 1050.5],
                ["'@team -A1", 1, -3],
            ]
        else:
            assert io.StringIO(out.read_text()).read().count('"Item description"') == 2
