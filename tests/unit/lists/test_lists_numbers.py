"""parse_number, detect_decimal and normalise_cpv."""

from __future__ import annotations

import pytest

from nami_cli.lists.cells import detect_decimal, normalise_cpv, parse_number


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1234", ",", 1234.0),
        ("1.234,56", ",", 1234.56),
        ("1.500", ",", 1500.0),
        ("1.500", ".", 1.5),
        ("1,500", ".", 1500.0),
        ("1,500", ",", 1.5),
        ("1,234.56", ".", 1234.56),
        ("1,234.56", ",", 1234.56),  # both separators: the last one is the decimal one
        ("1.234,56", ".", 1234.56),
        ("1234.56", ".", 1234.56),
        ("12.50", ",", 12.5),  # a dot with two digits after it cannot be thousands
        ("0.500", ",", 0.5),  # nor can a group that starts with 0
        ("-12,50", ",", -12.5),
        ("+3", ",", 3.0),
        ("€ 1.234,56", ",", 1234.56),
        ("€1.234,56", ",", 1234.56),
        ("1.234,56 €", ",", 1234.56),
        ("EUR 12", ",", 12.0),
        ("12,50 EUR", ",", 12.5),
        ("-€ 12,50", ",", -12.5),
        ("€ -12,50", ",", -12.5),
        ("$1,234.50", ".", 1234.5),
        ("1 234,56", ",", 1234.56),
        ("1\u00a0234,56", ",", 1234.56),
        ("1\u202f234\u202f567,89", ",", 1234567.89),
        ("1.234.567", ",", 1234567.0),
        ("1,234,567", ".", 1234567.0),
        ("(12,50)", ",", -12.5),
        ("12,50-", ",", -12.5),
        ("\u221212,5", ",", -12.5),
        ("1,23E+05", ",", 123000.0),
        (" 42 ", ",", 42.0),
        (",5", ",", 0.5),
    ],
)
def test_parse_number(text: str, decimal: str, expected: float) -> None:
    assert parse_number(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1.23.4",
        "12,3,4",
        "abc",
        "",
        "   ",
        "nan",
        "inf",
        "12%",
        "1.2345,6",
        "12 34",
        "1,2.3",
        "--5",
        "1..5",
        "€",
        "-(5)",
        "-5-",
    ],
)
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text, ",")


def test_parse_number_message_quotes_the_text() -> None:
    with pytest.raises(ValueError) as info:
        parse_number("1.23.4", ",")
    assert str(info.value) == '"1.23.4" is not a number'


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["1.234,56", "12,50", "3"], ","),
        (["1,234.56", "12.50", "3"], "."),
        (["12,5", "0,75", "1.234,00"], ","),
        (["0.5", "12.25"], "."),
        (["1.500", "2.000"], ","),  # ambiguous: read as thousands
        (["1,500", "2,000"], "."),
        (["12,50", "1.500", "1.500", "1.500"], ","),  # certain evidence beats ambiguous evidence
        (["03-01-2026", "01.02.2026", "KP100", "Pennen"], ","),  # no numbers: the default
        (["€ 12,50", "(3,25)"], ","),
    ],
)
def test_detect_decimal(samples: list[str], expected: str) -> None:
    assert detect_decimal(samples) == expected


def test_detect_decimal_default() -> None:
    assert detect_decimal(["a", "12"], default=".") == "."
    assert detect_decimal([], default=",") == ","


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45233130", "45233130"),
        ("45233130-9", "45233130"),
        ("45233130.0", "45233130"),
        (" 45233130-9 ", "45233130"),
        ("45233130-9 Construction work for highways", "45233130"),
        ("3221000", "03221000"),  # a spreadsheet dropped the leading zero
        ("03221000-1", "03221000"),
    ],
)
def test_normalise_cpv(text: str, expected: str) -> None:
    assert normalise_cpv(text) == expected


@pytest.mark.parametrize("text", ["452331301", "45233130-99", "CPV", "45.233.130", "123", "", "45233130-X"])
def test_normalise_cpv_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a CPV code"):
        normalise_cpv(text)
