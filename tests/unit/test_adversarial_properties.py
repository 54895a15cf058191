"""Property-based tests (hypothesis) of the input layer: whatever the bytes, the YAML loader, the CSV,
JSON, JSON Lines and OCDS readers and the number parser raise nothing but nami's own errors, and the rows
they give reconcile with the physical input."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nami_cli.base.errors import NamiError
from nami_cli.base.number_parser import MAX_ABS, NumberError, parse_number, request_number
from nami_cli.lists.readers import open_list

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

NUMBER_CHARS = st.text(alphabet="0123456789.,-+ €$£()eE'\u00a0EURGBP", max_size=30)


@pytest.mark.slow
@SETTINGS
@given(text=st.one_of(NUMBER_CHARS, st.text(max_size=40)), decimal=st.sampled_from([",", ".", None]))
def test_the_number_parser_returns_a_sane_number_or_says_why(text: str, decimal: str | None) -> None:
    try:
        value = parse_number(text, decimal)
    except NumberError as exc:
        assert str(exc) and exc.key in ("number", "ambiguous", "range")
        return
    assert math.isfinite(value) and -MAX_ABS < value < MAX_ABS


@SETTINGS
@given(value=st.floats(min_value=-1e14, max_value=1e14, allow_nan=False))
def test_plain_numbers_read_back(value: float) -> None:
    from nami_cli.base.number_parser import plain

    text = plain(value)
    assert request_number(text) == float(text)
    assert abs(float(text) - value) <= abs(value) * 1e-9 + 1e-12


YAML_TEXT = st.lists(
    st.sampled_from([*"ab: -[]{}\n\"'#&*!|>,.0123456789eE~\t", "title: ", "quantity: ", "\n  "]), max_size=60
).map("".join)


@SETTINGS
@given(text=st.one_of(YAML_TEXT, st.text(max_size=120)))
def test_the_request_loader_raises_only_its_own_error(text: str) -> None:
    from nami_cli.load.request import parse_request

    try:
        parse_request(text, file="r.yaml")
    except NamiError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


def _read(path: Path, **kwargs: Any) -> tuple[Any, list[Any]]:
    with open_list(str(path), **kwargs) as source:
        return source, list(source.rows())


CSV_TEXT = st.text(
    alphabet=st.sampled_from([*list('ab;,"\t\r\n x1.5€'), "\x00", "é", "\u2028"]), max_size=300
)


@SETTINGS
@given(text=CSV_TEXT)
def test_the_csv_reader_keeps_every_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "l.csv"
    path.write_text("A;B\n" + text, encoding="utf-8")
    try:
        source, rows = _read(path)
    except NamiError:
        return
    assert all(len(r.cells) == len(source.headers) for r in rows)
    numbers = [r.row for r in rows]
    assert numbers == sorted(set(numbers))
    if '"' not in text:  # without quotes every physical line is one record
        normal = ("A;B\n" + text).replace("\r\n", "\n").replace("\r", "\n")
        lines = normal.count("\n") + (0 if normal.endswith("\n") else 1)
        assert len(rows) + source.blank_rows == lines - source._record_no


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(JSON_VALUES.map(json.dumps), st.text(alphabet='{}[]":,ab1 \r', max_size=20)),
        min_size=1,
        max_size=12,
    )
)
def test_json_lines_give_one_row_per_line(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"omschrijving": "x"}\n' + "\n".join(lines) + "\n", encoding="utf-8")
    try:
        source, rows = _read(path)
    except NamiError:
        return
    if source.format == "jsonl":
        assert len(rows) + source.blank_rows == len(lines) + 1


@pytest.mark.slow
@SETTINGS
@given(items=st.lists(JSON_VALUES, max_size=8))
def test_json_arrays_give_one_row_per_item(tmp_path: Path, items: list[Any]) -> None:
    path = tmp_path / "l.json"
    path.write_text(json.dumps([{"omschrijving": "x"}, *items]), encoding="utf-8")
    try:
        source, rows = _read(path)
    except NamiError:
        return
    if source.format == "json":
        assert len(rows) == len(items) + 1


OCDS_KEYS = [
    "ocid",
    "id",
    "date",
    "tender",
    "awards",
    "items",
    "value",
    "amount",
    "currency",
    "quantity",
    "unit",
    "classification",
    "additionalClassifications",
    "scheme",
    "description",
    "title",
    "suppliers",
    "name",
    "buyer",
    "releases",
    "records",
    "compiledRelease",
]
OCDS_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.sampled_from(["CPV", "45233130-9", "x"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(OCDS_KEYS), children, max_size=5)
    ),
    max_leaves=30,
)


@pytest.mark.slow
@SETTINGS
@given(release=st.dictionaries(st.sampled_from(OCDS_KEYS), OCDS_VALUES, max_size=6))
def test_ocds_of_any_shape_gives_rows_or_a_message(tmp_path: Path, release: dict[str, Any]) -> None:
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"releases": [{"ocid": "x", **release}]}), encoding="utf-8")
    try:
        _, rows = _read(path, input_format="ocds")
    except NamiError:
        return
    assert rows
