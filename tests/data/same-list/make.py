"""Write the same purchase list as CSV, XLSX, XLS and ODS (run once; the files are shipped).

    python tests/data/same-list/make.py   # needs openpyxl and xlwt (xlwt only here, not a dependency)

XLS is the old binary format: no maintained library writes it any more, so the file is made once with
xlwt and shipped; the other three are made the same way for symmetry.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS: list[list[object]] = [
    ["Datum", "Omschrijving", "Leverancier", "Aantal", "Bedrag"],
    [dt.date(2026, 1, 12), "Relatiegeschenken pennen met logo", "Drukkerij Noord", 500, 1050.0],
    [dt.date(2026, 2, 3), "Kopieerpapier A4", "Kantoor BV", 40, 89.9],
    [dt.date(2026, 2, 17), "Bureaustoelen", "Meubel BV", 10, 4500.0],
    [dt.date(2026, 3, 1), "Motorrijtuigenbelasting dienstauto's", "Belastingdienst", 1, 1234.56],
    [dt.date(2026, 3, 9), "Laptops voor nieuwe medewerkers", "ICT Groep", 25, 23750.0],
    [dt.date(2026, 4, 2), "Accountantscontrole jaarrekening", "Accountants & Co", 1, 18000.0],
    [dt.date(2026, 4, 20), "", "Onbekend", 1, 3.0],
    [dt.date(2026, 5, 6), "Wegwerpbekers koffieautomaat", "Horeca Groothandel", 5000, 215.25],
    ["", "Totaal", "", "", 48942.71],
]


def write_csv(path: Path) -> None:
    def cell(v: object) -> str:
        if isinstance(v, dt.date):
            return v.strftime("%d-%m-%Y")
        if isinstance(v, float):
            return f"{v:.2f}".replace(".", ",")
        return str(v)

    path.write_text("\n".join(";".join(cell(v) for v in row) for row in ROWS) + "\n", encoding="utf-8")


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in ROWS:
        ws.append(row)
    for (cell,) in ws.iter_rows(min_row=2, min_col=1, max_col=1):
        cell.number_format = "dd-mm-yyyy"
    wb.save(path)


def write_xls(path: Path) -> None:
    import xlwt  # type: ignore[import-untyped]

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(r, c, v, date_style)
            elif v != "":
                ws.write(r, c, v)
    wb.save(str(path))


def write_ods(path: Path) -> None:
    sys.path.insert(0, str(HERE.parents[1]))  # tests/: the ODS writer the tests use
    from ods_writer import write_ods as write

    write(path, ROWS)


if __name__ == "__main__":
    write_csv(HERE / "lijst.csv")
    write_xlsx(HERE / "lijst.xlsx")
    write_xls(HERE / "lijst.xls")
    write_ods(HERE / "lijst.ods")
