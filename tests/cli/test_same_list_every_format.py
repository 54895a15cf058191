"""The same purchase list saved as CSV, XLSX, XLS and ODS screens the same (issue 13).

The four files are shipped in tests/data/same-list (made once by its make.py: no maintained library
writes .xls any more). Each is screened through the CLI; the nami columns of every row and the summary
(apart from the file name) must be equal.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SAME = Path(__file__).resolve().parents[1] / "data" / "same-list"
FORMATS = ("csv", "xlsx", "xls", "ods")


def _screen(run: Callable[..., Any], tmp_path: Path, ext: str) -> tuple[list[dict[str, str]], dict[str, Any]]:
    out, summary = tmp_path / f"uit-{ext}.csv", tmp_path / f"samenvatting-{ext}.json"
    result = run("screen", str(SAME / f"lijst.{ext}"), "-o", str(out), "--summary", str(summary))
    assert result.exit_code == 1, result.stderr  # opportunities found: exit 1
    text = out.read_text(encoding="utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","  # an output keeps its input's dialect
    rows = [
        {k: v for k, v in row.items() if k.startswith("nami_")}
        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)
    ]
    data = json.loads(summary.read_text(encoding="utf-8"))
    data.pop("file")
    return rows, data


@pytest.mark.parametrize("ext", FORMATS[1:])
def test_every_format_gives_the_csv_results(run: Callable[..., Any], tmp_path: Path, ext: str) -> None:
    csv_rows, csv_summary = _screen(run, tmp_path, "csv")
    rows, summary = _screen(run, tmp_path, ext)
    assert rows == csv_rows
    assert summary == csv_summary


def test_the_shared_list_is_screened_for_real(run: Callable[..., Any], tmp_path: Path) -> None:
    rows, summary = _screen(run, tmp_path, "ods")
    assert len(rows) == 9  # nothing dropped, nothing invented
    by_row = {r["nami_row"]: r for r in rows}
    assert by_row["2"]["nami_category"] == "promotional-items"
    assert by_row["5"]["nami_advice"] == "none" and by_row["5"]["nami_scope"]  # a tax: no goods purchase
    assert by_row["8"]["nami_error"]  # no text at all
    assert by_row["10"]["nami_error"]  # the total row
    assert summary["rows_read"] == 9 and summary["rows_with_errors"] == 2
    # the total row's amount is not added to the spend
    assert summary["spend_total"] == pytest.approx(48842.71)
