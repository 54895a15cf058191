"""row_to_request: the request for the engine, the extra info, the row error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nami_cli.base.number_parser import parse_number
from nami_cli.lists.columns import map_columns
from nami_cli.lists.rows import NO_TEXT, row_to_request

HEADERS = ["Nr", "Omschrijving", "Kostensoort", "CPV", "Aantal", "Eenheid", "Stuksprijs", "Bedrag"]
CMAP = map_columns(HEADERS, [], file="x")


def convert(values: dict[str, str], decimal: str = ",") -> tuple[dict[str, Any], dict[str, Any], str | None]:
    cells = [values.get(h, "") for h in HEADERS]
    return row_to_request(cells, CMAP, decimal)


def test_full_row() -> None:
    request, extra, error = convert(
        {
            "Nr": " INK-1 ",
            "Omschrijving": "Pennen met logo",
            "Kostensoort": "Relatiegeschenken",
            "CPV": "30192130-1",
            "Aantal": "500",
            "Eenheid": "stuks",
            "Stuksprijs": "2,10",
            "Bedrag": "1.050,00",
        }
    )
    assert error is None
    assert request == {
        "id": "INK-1",
        "title": "Pennen met logo",
        "description": "Relatiegeschenken",
        "cpv": "30192130",
        "quantity": 500,
        "unit": "stuks",
        "unit_price": 2.1,
        "estimated_value": 1050.0,
    }
    assert type(request["quantity"]) is int
    assert extra == {"amount": 1050.0, "category_text": "Relatiegeschenken"}


def test_category_alone_becomes_the_title() -> None:
    request, _extra, error = convert({"Kostensoort": "Catering", "Bedrag": "12,50"})
    assert error is None
    assert request == {"title": "Catering", "estimated_value": 12.5}


def test_cpv_alone_gives_a_title() -> None:
    request, _, error = convert({"CPV": "45233130.0"})
    assert error is None
    assert request == {"title": "CPV 45233130", "cpv": "45233130"}


def test_no_text_is_an_error() -> None:
    request, extra, error = convert({"Bedrag": "12,50"})
    assert error == NO_TEXT
    assert extra["amount"] == 12.5
    assert "title" not in request


def test_whitespace_only_cells_are_empty() -> None:
    _, _, error = convert({"Omschrijving": "   ", "CPV": "  ", "Bedrag": " "})
    assert error == NO_TEXT


def test_bad_number_names_the_column_and_the_value() -> None:
    request, extra, error = convert({"Omschrijving": "Koffie", "Bedrag": "12,3,4"})
    assert error == 'column "Bedrag": "12,3,4" is not a number'
    assert extra["amount"] is None
    assert "estimated_value" not in request


def test_bad_cpv_names_the_column() -> None:
    _, _, error = convert({"Omschrijving": "Koffie", "CPV": "1234"})
    assert error is not None and error.startswith('column "CPV": "1234" is not a CPV code')


def test_several_errors_are_joined() -> None:
    _, _, error = convert({"Aantal": "veel", "Bedrag": "nan"})
    assert error == (
        f'{NO_TEXT}; column "Aantal": "veel" is not a number; column "Bedrag": "nan" is not a number'
    )


def test_negative_amount_is_a_credit_not_an_error() -> None:
    request, extra, error = convert({"Omschrijving": "Creditnota pennen", "Bedrag": "-1.050,00"})
    assert error is None
    assert extra["amount"] == -1050.0
    assert "estimated_value" not in request
    assert "credit" in extra["note"]


def test_quantity_must_be_positive_for_the_engine() -> None:
    request, extra, error = convert({"Omschrijving": "Retour", "Aantal": "-2", "Stuksprijs": "-3"})
    assert error is None
    assert "quantity" not in request and "unit_price" not in request
    assert extra["note"] == "quantity -2 is not > 0: not passed on; negative unit price -3: not passed on"


def test_fractional_quantity_stays_a_float() -> None:
    request, _, _ = convert({"Omschrijving": "Kabel", "Aantal": "2,5"})
    assert request["quantity"] == 2.5


def test_amount_from_quantity_and_price_when_there_is_no_amount_column() -> None:
    cmap = map_columns(["Omschrijving", "Aantal", "Stuksprijs"], [], file="x")
    request, extra, _ = row_to_request(["Pennen", "500", "2,10"], cmap, ",")
    assert extra["amount"] == pytest.approx(1050.0)
    assert "estimated_value" not in request  # the engine computes its own default


def test_english_numbers() -> None:
    request, extra, error = convert({"Omschrijving": "Pens", "Aantal": "1,000", "Bedrag": "1,234.50"}, ".")
    assert error is None
    assert request["quantity"] == 1000
    assert extra["amount"] == 1234.5


@pytest.mark.parametrize(
    ("raw", "decimal", "expected"),
    [
        ("1.500", ",", 1500.0),
        ("1.500", ".", 1.5),
        ("€ 1.234,56", ",", 1234.56),
        ("(12,50)", ",", -12.5),
        ("12.50", ",", 12.5),
        ("1,23E+05", ",", 123000.0),
        ("0.500", ",", 0.5),
    ],
)
def test_amount_forms(raw: str, decimal: str, expected: float) -> None:
    _, extra, error = convert({"Omschrijving": "x", "Bedrag": raw}, decimal)
    assert error is None
    assert extra["amount"] == pytest.approx(expected)


def test_joined_description_columns() -> None:
    cmap = map_columns(["A", "B", "C"], ["description=A", "description=B", "category=C"], file="x")
    request, _, _ = row_to_request(["Pennen", " met logo ", "Relatiegeschenken"], cmap, ",")
    assert request["title"] == "Pennen met logo"
    request, _, _ = row_to_request(["", "met logo", ""], cmap, ",")
    assert request == {"title": "met logo"}


def test_short_cells_are_padded() -> None:
    request, _, error = row_to_request(["1", "Pennen"], CMAP, ",")
    assert error is None and request == {"id": "1", "title": "Pennen"}


def test_converters_are_cached_per_decimal_style() -> None:
    cmap = map_columns(["Omschrijving", "Bedrag"], [], file="x")
    assert row_to_request(["a", "1.500"], cmap, ",")[1]["amount"] == 1500.0
    assert row_to_request(["a", "1.500"], cmap, ".")[1]["amount"] == 1.5
    assert set(cmap._converters) == {",", "."}


def test_header_text_is_not_code() -> None:
    # header names end up only in messages, never in the generated converter
    headers = ['Omschrijving"); import os #', "Bedrag\n"]
    cmap = map_columns(headers, ["description=" + headers[0]], file="x")
    _, _, error = row_to_request(["x", "zes"], cmap, ",")
    assert error == 'column "Bedrag\n": "zes" is not a number'


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(
        st.text(alphabet="0123456789.,-+ _eE\u0661\u0662\u00a0€", max_size=12),
        st.from_regex(r"-?[0-9]{1,3}([.,][0-9]{3}){0,2}([.,][0-9]{1,2})?", fullmatch=True),
    ),
    decimal=st.sampled_from([",", "."]),
)
def test_a_rows_numbers_are_what_the_number_parser_reads(text: str, decimal: str) -> None:
    """The converter's fast paths (float() on the usual shapes) read exactly what parse_number reads,
    and refuse what it refuses: no "1_000" or digits of another script slip through float()."""
    try:
        expected: float | None = parse_number(text, decimal)
    except ValueError:
        expected = None
    request, _, error = convert({"Omschrijving": "Pennen", "Stuksprijs": text}, decimal)
    _, extra2, error2 = convert({"Omschrijving": "Pennen", "Bedrag": text}, decimal)
    if expected is None:
        if text.strip():
            assert error is not None and error2 is not None, text
    else:
        assert error is None and error2 is None, text
        assert extra2["amount"] == expected, text
        assert request.get("unit_price") == (expected if expected >= 0 else None), text
