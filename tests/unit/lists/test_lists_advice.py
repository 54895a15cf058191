"""nami_advice says "none" where no strategy applies, as the summary does; an unreadable row stays empty."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_no_strategy_is_none_in_the_rows_and_the_summary(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write(
        "in.csv",
        "Omschrijving;Bedrag\nPennen met logo;100\nOnderhoud lift;2000\nKoffiebekers;12,3,4\n",
    )
    out, summary = tmp_path / "uit.csv", tmp_path / "s.json"
    result = run("screen", str(source), "-o", str(out), "--summary", str(summary), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        pens, lift, cups = csv.DictReader(handle, delimiter=";")
    assert pens["nami_advice"] == "refuse"
    assert lift["nami_advice"] == "none" and lift["nami_error"] == ""
    assert cups["nami_advice"] == "" and cups["nami_error"]
    counts = json.loads(summary.read_text(encoding="utf-8"))["rows_per_advice"]
    assert counts["none"] == 1 and counts["refuse"] == 1 and counts["error"] == 1
