"""The safe YAML loader and the request model: every kind of bad input, and YAML 1.1 surprises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.load.request import MAX_REQUEST_BYTES, load_request


def problems(path: Path) -> list[str]:
    with pytest.raises(NamiError) as info:
        load_request(str(path))
    return [str(p) for p in info.value.problems]


def test_spec_example_location(write: Callable[..., Path]) -> None:
    path = write("request.yaml", "nami: 1\nid: INK-1\ntitle: Pennen\nunit: stuks\nquantity: 0\n")
    assert problems(path) == [f"{path}:5:11: quantity: must be greater than 0"]


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("title: &a x\ndescription: *a\n", ":2:1", "aliases"),
        ("title: a\ntitle: b\n", ":2:1", "duplicate key 'title' (first at line 1)"),
        ("title: a\n---\ntitle: b\n", ":2:1", "several YAML documents"),
        ("- title: a\n", ":1:1", "must be a mapping"),
        ("just text\n", ":1:1", "not a single value"),
        ("title: !!python/object:os.system x\n", ":1:8", "tag !!python/object:os.system is not allowed"),
        ("title: !custom x\n", ":1:8", "tag !custom is not allowed"),
        ("title: a\n? [x]\n: y\n", ":2:3", "a key must be plain text"),
        ("title: [unclosed\n", ":2:1", "YAML syntax error"),
        ("", ":1:1", "the file is empty"),
        ("title: x\n<<: {a: 1}\n", ":2:1", "merge keys"),
    ],
)
def test_bad_yaml(write: Callable[..., Path], text: str, where: str, needle: str) -> None:
    path = write("r.yaml", text)
    (message,) = problems(path)
    assert message.startswith(f"{path}{where}:"), message
    assert needle in message


def test_deep_nesting_is_refused(write: Callable[..., Path]) -> None:
    path = write("r.yaml", "title: x\ndescription: " + "[" * 200 + "]" * 200 + "\n")
    (message,) = problems(path)
    assert "nested more than" in message or "nesting depth" in message


def test_too_large_refused_before_parsing(write: Callable[..., Path]) -> None:
    path = write("big.yaml", "title: x\n# " + "a" * MAX_REQUEST_BYTES + "\n")
    (message,) = problems(path)
    assert "more than the limit" in message and str(path) in message


def test_binary_file(write: Callable[..., Path]) -> None:
    path = write("r.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    assert "binary file" in problems(path)[0]


def test_not_utf8_points_at_the_byte(write: Callable[..., Path]) -> None:
    path = write("r.yaml", "title: x\ndescription: caf\xe9\n".encode("latin-1"))
    (message,) = problems(path)
    assert message.startswith(f"{path}:2:17:") and "not valid UTF-8" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in problems(tmp_path / "nope.yaml")[0]


def test_bom_is_accepted(write: Callable[..., Path]) -> None:
    request, _ = load_request(str(write("r.yaml", "\ufefftitle: Pennen\n")))
    assert request.title == "Pennen"


def test_yaml_11_surprises_read_as_meant(write: Callable[..., Path]) -> None:
    path = write(
        "r.yaml",
        "id: 0123\ntitle: 2026\ncpv: 39294100\nunit: NO\nneeded_by: 2027-03-01\nquantity: 0100\n"
        "answers:\n  refuse: {answer: NO, justification: geen}\n  rethink: yes\n  reduce: {answer: Ja}\n",
    )
    request, _ = load_request(str(path))
    assert request.id == "0123"
    assert request.title == "2026"
    assert request.cpv == "39294100"
    assert request.unit == "NO"
    assert request.needed_by is not None and request.needed_by.isoformat() == "2027-03-01"
    loose, _ = load_request(str(write("d.yaml", "title: x\nneeded_by: 2027-3-1\n")))
    assert loose.needed_by is not None and loose.needed_by.isoformat() == "2027-03-01"
    assert request.quantity == 100
    assert request.answers is not None
    assert request.answers.refuse is not None and request.answers.refuse.answer == "no"
    assert request.answers.rethink is not None and request.answers.rethink.answer == "yes"
    assert request.answers.reduce is not None and request.answers.reduce.answer == "yes"


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("cpv: 45233130.0", 'write 8 digits with an optional check digit, in quotes: cpv: "39294100-0"'),
        ("cpv: '1234'", "is not a CPV code"),
        ("unit_price: 2,10", "write decimals with a point"),
        ("quantity: yes", "must be a number, not 'yes'"),
        ("quantity: -3", "must be greater than 0"),
        ("estimated_value: .nan", "finite number"),
        ("needed_by: 20270301", "is not a date; write it as YYYY-MM-DD"),
        ("needed_by: next week", "must be a date written as YYYY-MM-DD"),
        ("needed_by: 2027-2-30", "is not a day in the calendar"),
        ("reason: because", "must be one of"),
        ("usage: {users: 2.5}", "must be a whole number"),
        (
            "replaces: {age_years: 4, colour: red}",
            "unknown key 'colour'; allowed keys: age_years, condition, trigger",
        ),
        ("answers: {refuse: {answer: maybe}}", "must be one of 'yes', 'no' or 'unsure', not 'maybe'"),
        ("obstacles: budget", "must be a list"),
    ],
)
def test_field_errors_are_located(write: Callable[..., Path], line: str, needle: str) -> None:
    path = write("r.yaml", f"title: Pennen\n{line}\n")
    (message,) = problems(path)
    assert message.startswith(f"{path}:2:"), message
    assert needle in message


def test_title_is_required_and_not_blank(write: Callable[..., Path]) -> None:
    assert problems(write("a.yaml", "description: x\n"))[0].endswith("title: is required")
    assert "title: must not be empty" in problems(write("b.yaml", "title: '  '\n"))[0]


def test_all_problems_reported_at_once(write: Callable[..., Path]) -> None:
    path = write("r.yaml", "title: x\nquantity: 0\nunit_price: -1\ncolour: red\n")
    assert len(problems(path)) == 3
