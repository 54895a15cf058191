"""Headers as finance systems and people write them: typos, pivot names, units, content, unused text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from column_helpers import columns

from nami_cli.lists.columns import FIELDS, header_unit, map_columns
from nami_cli.lists.rows import row_to_request


def mapped(headers: list[str], sample: list[list[str]] | None = None) -> dict[str, list[str]]:
    cmap = map_columns(headers, [], file="list.csv", sample=sample)
    return {f: columns(cmap, f) for f in FIELDS if columns(cmap, f)}


def test_a_typo_in_a_header_matches_as_the_right_spelling_would() -> None:
    typo = mapped(["Invoice No", "Expenditure Catergory", "Amount"])
    right = mapped(["Invoice No", "Expenditure Category", "Amount"])
    assert typo["category"] == ["Expenditure Catergory"]
    assert {k: len(v) for k, v in typo.items()} == {k: len(v) for k, v in right.items()}
    cmap = map_columns(["Expenditure Catergory"], [], file="x.csv")
    assert "category <- Expenditure Catergory  (read as 'expenditure category')" in cmap.describe()


@pytest.mark.parametrize("header", ["Leverancier nr", "Datums", "Kostenplaatsen code", "Bedragen incl. BTW"])
def test_near_but_different_headers_are_not_taken(header: str) -> None:
    assert mapped(["Omschrijving", header]) == {"description": ["Omschrijving"]}


def test_an_exact_alias_beats_a_typo() -> None:
    assert mapped(["Omschrijving", "Catergory", "Category"])["category"] == ["Category"]


@pytest.mark.parametrize(
    "header", ["Sum of Inv Amount", "Invoice Amount", "Net Amount", "Realisatie (*1000)", "Paid Amount"]
)
def test_finance_system_amount_names(header: str) -> None:
    assert mapped(["Description", header])["amount"] == [header]


@pytest.mark.parametrize(
    ("header", "bare", "scale"),
    [
        ("Realisatie (*1000)", "Realisatie", 1000),
        ("Bedrag x €1.000", "Bedrag", 1000),
        ("Bedrag (x 1000)", "Bedrag", 1000),
        ("Uitgaven k€", "Uitgaven", 1000),
        ("Spend (€ k)", "Spend", 1000),
        ("Spend (£'000)", "Spend", 1000),
        ("Begroting (x 1.000.000)", "Begroting", 1_000_000),
        ("Bedrag", "Bedrag", 1),
        ("Tax 1000", "Tax 1000", 1),
        ("Box number", "Box number", 1),
    ],
)
def test_unit_in_the_header(header: str, bare: str, scale: int) -> None:
    assert header_unit(header) == (bare, scale)


def test_amounts_in_thousands_are_scaled_exactly() -> None:
    cmap = map_columns(["Omschrijving", "Realisatie (*1000)"], [], file="x.csv")
    assert cmap.amount_scale == 1000
    assert "amounts × 1000" in cmap.describe()
    request, extra, error = row_to_request(["Koffiebekers", "1,1"], cmap, ",")
    assert error is None
    assert extra["amount"] == 1100.0 and request["estimated_value"] == 1100.0  # not 1100.0000000000002
    _, extra, error = row_to_request(["Krediet", "-0,3"], cmap, ",")
    assert extra["amount"] == -300.0 and error is None
    _, extra, error = row_to_request(["Veel", "9999999999999"], cmap, ",")
    assert extra["amount"] is None and error is not None and "1e15" in error


def test_a_unit_on_a_column_that_is_not_the_amount_scales_nothing() -> None:
    cmap = map_columns(["Omschrijving", "Aantal (x 1000)", "Bedrag"], [], file="x.csv")
    assert cmap.amount_scale == 1
    assert columns(cmap, "quantity") == ["Aantal (x 1000)"]


def test_the_unit_of_a_mapped_amount_column_counts_too() -> None:
    cmap = map_columns(["Omschrijving", "Kolom B (x 1000)"], ["amount=Kolom B (x 1000)"], file="x.csv")
    assert cmap.amount_scale == 1000


def test_amount_found_by_content_when_no_header_names_it() -> None:
    sample = [
        ["Pennen", "2024", "12,50", "0012"],
        ["Papier", "2024", "1.200,00", "0013"],
        ["Koffie", "2025", "7", "0014"],
        ["Stoelen", "2025", "", "0015"],
    ]
    cmap = map_columns(["Omschrijving", "Jaar", "Kolom3", "Code"], [], file="x.csv", sample=sample)
    assert columns(cmap, "amount") == ["Kolom3"]  # not the year, not the zero-padded code
    assert "amount <- Kolom3  (its cells are amounts)" in cmap.describe()


def test_no_amount_guessed_when_two_columns_look_alike() -> None:
    sample = [["Pennen", "12,50", "13,00"], ["Papier", "1,5", "2"], ["Koffie", "7", "8,25"]]
    cmap = map_columns(["Omschrijving", "A", "B"], [], file="x.csv", sample=sample)
    assert columns(cmap, "amount") == []


def test_no_amount_guessed_from_text_or_dates() -> None:
    sample = [["Pennen", "2024-01-03", "x12"], ["Papier", "2024-02-03", "a"], ["Koffie", "3-4-2024", "b"]]
    cmap = map_columns(["Omschrijving", "Wanneer", "Wat"], [], file="x.csv", sample=sample)
    assert columns(cmap, "amount") == []


def test_unused_free_text_is_named_with_the_map_that_would_use_it() -> None:
    cmap = map_columns(["Item", "Extended Description", "Amount"], [], file="x.csv")
    assert columns(cmap, "description") == ["Item"]
    assert (
        "unused: Extended Description holds free text; to screen it too: "
        "--map description=Item --map 'description=Extended Description'"
    ) in cmap.describe()


def test_unused_long_text_is_found_by_content() -> None:
    sample = [
        ["Pennen", "bestelling voor de afdeling communicatie, met logo"],
        ["Papier", "jaarcontract kantoorartikelen via het raamcontract"],
        ["Koffie", "koffiebekers voor de vergaderzalen op de derde verdieping"],
    ]
    cmap = map_columns(["Omschrijving", "Extra"], [], file="x.csv", sample=sample)
    assert "unused: Extra holds free text" in cmap.describe()
    short = [["Pennen", "ja"], ["Papier", "nee"], ["Koffie", "ja"]]
    assert "unused" not in map_columns(["Omschrijving", "Extra"], [], file="x.csv", sample=short).describe()


def test_screen_scales_thousands_and_says_so(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write(
        "begroting.csv", "Omschrijving;Realisatie (*1000)\nKoffiebekers;1,1\nPennen met logo;2,5\n"
    )
    summary = tmp_path / "s.json"
    result = run(
        "screen", str(source), "-o", str(tmp_path / "o.csv"), "--summary", str(summary), "--fail-on", "never"
    )
    assert result.exit_code == 0, result.output
    assert "amount <- Realisatie (*1000)  (bedragen × 1000, de eenheid in de kop)" in result.stderr
    assert json.loads(summary.read_text(encoding="utf-8"))["spend_total"] == 3600.0


def test_screen_finds_the_amount_by_content(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write("lijst.csv", "Omschrijving;Kolom2\nKoffiebekers;10,5\nPennen met logo;20\nPapier;4\n")
    summary = tmp_path / "s.json"
    result = run(
        "screen", str(source), "-o", str(tmp_path / "o.csv"), "--summary", str(summary), "--fail-on", "never"
    )
    assert result.exit_code == 0, result.output
    assert "amount <- Kolom2  (de cellen zijn bedragen)" in result.stderr
    assert json.loads(summary.read_text(encoding="utf-8"))["spend_total"] == 34.5


def test_uk_council_transparency_headers() -> None:
    """Header rows as English councils publish their spend over £500 (the files in spend-dev)."""
    calderdale = mapped(
        [
            "Body",
            "Date",
            "Invoice Number",
            "Net Amount",
            "Irrecoverable VAT",
            "Supplier(Beneficiary) Name",
            "Supplier Registered Company Number",
            "Expense Area",
            "Procurement Classification: Council's Procurement Category Name",
            "Extended Description",
            "Definition",
        ]
    )
    assert calderdale["category"] == ["Procurement Classification: Council's Procurement Category Name"]
    assert calderdale["description"] == ["Extended Description"]
    assert calderdale["amount"] == ["Net Amount"] and calderdale["supplier"] == ["Supplier(Beneficiary) Name"]
    assert calderdale["cost_centre"] == ["Expense Area"]
    tyneside = mapped(
        [
            "Payment Date",
            "Transaction Number",
            "Net Amount",
            "Supplier (Beneficiary) Name",
            "Local Supplier Internal Reference",
            "SeRCOP Expenditure Category",
            "Purpose of Spend",
            "Procurement Classification",
        ]
    )
    assert tyneside["category"] == ["Procurement Classification"]  # an exact alias beats a suffix
    assert tyneside["description"] == ["Purpose of Spend"]
    assert mapped(["SeRCOP Expenditure Category"])["category"] == ["SeRCOP Expenditure Category"]


def test_a_constant_long_text_is_not_called_free_text() -> None:
    sample = [["Pennen", "Harrogate Borough Council"], ["Papier", "Harrogate Borough Council"]] * 3
    cmap = map_columns(["Omschrijving", "Organisatie"], [], file="x.csv", sample=sample)
    assert "unused" not in cmap.describe()
