"""The summary of ``nami screen``: its schema, total rows counted apart, the currency, and its renderers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.console import Console

from nami_cli.assess.screening import screen_rows
from nami_cli.assess.summary import ScreenSummary, ScreenTally
from nami_cli.rulepack.pack import Pack, load_pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_LISTS = sorted((ROOT / "examples" / "lists").iterdir())

UK = (
    "Date,Supplier,Description,Net Amount (GBP)\n"
    '2022-08-01,Promo Ltd,Branded pens with logo for the open day,"£1,250.00"\n'
    "2022-08-02,Office Co,Copier paper A4,£89.90\n"
    '2022-08-03,Lift Ltd,Lift maintenance quarter,"£4,500.00"\n'
)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def summary_of(run: Callable[..., Any], source: Path, tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "summary.json"
    result = run("screen", str(source), "-o", str(tmp_path / "rows.csv"), "--summary", str(out), *args)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_schema_summary_is_printed(run: Callable[..., Any]) -> None:
    result = run("schema", "summary")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "nami screen summary (--summary)"
    assert {"spend_total", "rows_per_advice", "currency", "totals", "top_rows"} <= set(schema["properties"])
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("source", EXAMPLE_LISTS, ids=lambda p: p.name)
def test_summary_of_every_example_list_validates(
    run: Callable[..., Any], tmp_path: Path, source: Path
) -> None:
    schema = json.loads(run("schema", "summary").stdout)
    data = summary_of(run, source, tmp_path)
    jsonschema.validate(data, schema)
    assert data["currency"] == "EUR" and data["totals"] == {"rows": 0, "amount": 0.0}
    # the file read back is the model: nothing lost or added
    assert ScreenSummary.model_validate(data).model_dump(mode="json") == data


def test_schema_rejects_a_summary_with_a_missing_or_wrong_key(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    schema = json.loads(run("schema", "summary").stdout)
    data = summary_of(run, EXAMPLE_LISTS[0], tmp_path)
    broken = {k: v for k, v in data.items() if k != "rows_read"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "currency": "JPY"}, schema)


def test_a_total_row_is_counted_apart_and_not_in_the_spend(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    body = "Omschrijving;Bedrag\nPennen met logo;1.050,00\nKopieerpapier A4;89,90\n"
    plain = summary_of(run, write("zonder.csv", body), tmp_path)
    with_total = summary_of(run, write("met.csv", body + "Totaal;1.139,90\nSubtotaal 2025:;\n"), tmp_path)
    assert with_total["spend_total"] == plain["spend_total"] == 1139.9
    assert with_total["totals"] == {"rows": 2, "amount": 1139.9}
    assert plain["totals"] == {"rows": 0, "amount": 0.0}
    assert with_total["rows_read"] == plain["rows_read"] + 2
    assert with_total["rows_per_advice"]["error"] == 2
    assert with_total["spend_per_advice"] == plain["spend_per_advice"]


def test_a_total_row_without_a_label_is_found_by_its_sum(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    body = (
        "Omschrijving;Bedrag\nPennen met logo;1.050,00\nKopieerpapier A4;89,90\n;5,00\nBureaustoelen;400,00\n"
    )
    plain = summary_of(run, write("zonder.csv", body), tmp_path)
    # a subtotal of the first three rows, then the grand total of all four, neither with any text
    subtotal = body.replace("Bureaustoelen", ";1.144,90\nBureaustoelen")
    with_totals = summary_of(run, write("met.csv", subtotal + ";1.544,90\n"), tmp_path)
    assert with_totals["spend_total"] == plain["spend_total"] == 1544.9
    assert with_totals["totals"] == {"rows": 2, "amount": 2689.8}
    # a row without text whose amount is no sum stays a row without text, and stays in the spend
    assert plain["totals"] == {"rows": 0, "amount": 0.0} and plain["rows_with_errors"] == 1
    out = tmp_path / "uit.csv"
    run("screen", str(write("één.csv", body + ";1.000,00\n")), "-o", str(out))
    assert "total row" not in out.read_text(encoding="utf-8")


def test_uk_list_in_pounds(run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path) -> None:
    source = write("spend.csv", UK)
    data = summary_of(run, source, tmp_path)
    assert data["currency"] == "GBP"
    assert data["spend_total"] == 5839.9
    result = run(
        "screen",
        str(source),
        "-o",
        str(tmp_path / "r.csv"),
        "--report",
        str(tmp_path / "r.html"),
        "--lang",
        "en",
    )
    assert "currency: GBP" in result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "£5,840" in page or "£\u00a05.840" in page
    assert "€" not in page


def test_currency_option_wins(run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path) -> None:
    source = write("spend.csv", UK)
    assert summary_of(run, source, tmp_path, "--currency", "usd")["currency"] == "USD"
    assert summary_of(run, source, tmp_path, "--currency", "EUR")["currency"] == "EUR"
    result = run("screen", str(source), "--currency", "JPY")
    assert result.exit_code == 2


def test_conflicting_signs_take_the_majority_with_a_note(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write("mixed.csv", "Description,Amount\nPens,£10\nPaper,£20\nChairs,€30\n")
    out = tmp_path / "s.json"
    result = run("screen", str(source), "-o", str(tmp_path / "r.csv"), "--summary", str(out), "--lang", "en")
    assert json.loads(out.read_text())["currency"] == "GBP"
    assert "signs conflict (1× EUR, 2× GBP): the majority" in result.stderr


def test_a_list_without_any_currency_is_in_euros(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    data = summary_of(run, write("plain.csv", "Description,Amount\nPens,10\nPaper,20\n"), tmp_path)
    assert data["currency"] == "EUR"


def test_uk_spend_publication_headers_mean_pounds() -> None:
    from nami_cli.lists.columns import map_columns

    cmap = map_columns(
        ["Body Name", "Expenditure Category", "Capital / Revenue", "Net Amount", "Narrative"], file="x.csv"
    )
    assert cmap.currency == "GBP" and "Capital / Revenue" in str(cmap.currency_how)
    assert map_columns(["Omschrijving", "Bedrag"], file="x.csv").currency is None


# --- the renderers --------------------------------------------------------------------------------


def tally_of(pack: Pack, rows: list[dict[str, str]]) -> tuple[ScreenTally, list[Any]]:
    tally = ScreenTally(file="<rows>")
    screened = []
    for item in screen_rows(rows, pack):
        tally.add(item.row, item.outcome, item.amount, item.text, item.total)
        screened.append(item)
    return tally, screened


ROWS = [
    {"Omschrijving": "Pennen met logo voor de open dag", "Bedrag": "1050"},
    {"Omschrijving": "Vehicle Excise Licences", "Bedrag": "12.50"},
    {"Omschrijving": "Totaal", "Bedrag": "1062.50"},
]


def test_summary_view_in_pounds_with_the_total_rows(pack: Pack) -> None:
    from nami_cli.render.screen_text import print_summary, summary_view

    tally, _ = tally_of(pack, ROWS)
    summary = tally.summary(pack, "en", currency="GBP")
    view = summary_view(summary, "en")
    assert view.counts == "nami: 3 rows read, 2 screened, 1 with errors, 1 classified"
    assert view.totals == "nami: 1 total row not counted in the spend (£1,062.50; see nami_error)"
    advice = view.tables[0]
    assert advice.title == "Spend per advice"
    assert [row[0] for row in advice.rows] == ["Refuse", "Rethink", "Reduce", "none", "error", "total"]
    assert advice.rows[-1] == ["total", "3", "£1,062.50"]
    assert [t.title for t in view.tables] == ["Spend per advice", "No goods purchase (scope)", "Top rules"]
    console = Console(record=True, width=100, color_system=None)
    print_summary(console, summary, "en")
    text = console.export_text()
    assert "£1,062.50" in text and "€" not in text and "Taxes and levies" in text
    nl = summary_view(tally.summary(pack, "nl"), "nl")
    assert nl.totals == "nami: 1 totaalrij niet meegeteld in de uitgaven (€\u00a01.062,50; zie nami_error)"
    assert nl.tables[0].rows[-1] == ["totaal", "3", "€\u00a01.062,50"]


def test_summary_view_without_total_rows_has_no_totals_line(pack: Pack) -> None:
    from nami_cli.render.screen_text import errors_line, summary_view

    tally, _ = tally_of(pack, ROWS[:1])
    summary = tally.summary(pack, "en")
    assert summary_view(summary, "en").totals == ""
    assert errors_line(summary) == ""
    tally, _ = tally_of(pack, ROWS)
    assert errors_line(tally.summary(pack, "en")) == (
        "nami: 1 of 3 rows could not be read (see the column nami_error)"
    )


def test_rows_table_fits_or_becomes_blocks(pack: Pack) -> None:
    from nami_cli.render.screen_text import print_table, rows_view

    tally, screened = tally_of(pack, ROWS)
    shown = [s for s in screened if s.outcome is not None and s.outcome.strategies]
    summary = tally.summary(pack, "en", currency="USD")
    view = rows_view(shown, "en", "USD", more=2)
    assert view.cells[0]["amount"] == "$1,050.00" and view.cells[0]["row"] == "2"
    assert view.more == "… +2 rows; write them all with -o FILE"
    wide = Console(record=True, width=140, color_system=None)
    print_table(wide, shown, summary, "en")
    text = wide.export_text()
    assert "Rows with an opportunity" in text and "┃" in text and "$1,050.00" in text
    assert "… +" not in text  # every row with an opportunity is shown
    narrow = Console(record=True, width=50, color_system=None)
    print_table(narrow, shown, summary, "en")
    blocks = narrow.export_text()
    assert "┃" not in blocks and "row 2 · Refuse · $1,050.00" in blocks and "rules: " in blocks
    nl = rows_view(shown, "nl", more=0)
    assert nl.title == "Rijen met een kans" and nl.cells[0]["amount"] == "€\u00a01.050,00" and nl.more == ""


def test_money_in_each_currency() -> None:
    from nami_cli.render.number_format import money

    assert money(1234.5, "nl") == "€\u00a01.234,50"
    assert money(1234.5, "en", currency="GBP") == "£1,234.50"
    assert money(-5, "nl", 0, "USD") == "-$\u00a05"
    assert money(None, "en", currency="GBP") == ""


def test_mapping_lines_name_the_sheet_and_show_control_characters() -> None:
    from nami_cli.render.screen_text import print_mapping

    console = Console(record=True, width=100, color_system=None)
    print_mapping(
        console, "lijst\x1b[2J.xlsx", "Data", "xlsx", "description <- Omschrijving\ncurrency: GBP  (x)"
    )
    text = console.export_text()
    assert "\x1b" not in text
    assert text.splitlines()[1:] == ["  description <- Omschrijving", "  currency: GBP  (x)"]
    assert "(sheet Data): xlsx" in text.splitlines()[0]
