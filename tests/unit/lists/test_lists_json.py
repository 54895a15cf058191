"""Reading JSON arrays, JSON Lines and OCDS packages."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.lists.readers import OCDS_HEADERS, ListSource, SourceRow, open_list

DATA = Path(__file__).parent / "data"

WriteBytes = Callable[..., Path]


def read_all(path: str | Path, **kwargs: Any) -> tuple[ListSource, list[SourceRow]]:
    with open_list(str(path), **kwargs) as source:
        rows = list(source.rows())
    return source, rows


def ocds(row: SourceRow) -> dict[str, str]:
    return dict(zip(OCDS_HEADERS, row.cells, strict=True))


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


# --- JSON array -------------------------------------------------------------------------------------------


def test_json_array(write_bytes: WriteBytes) -> None:
    items = [
        {"omschrijving": "Pennen", "bedrag": 1050.5, "aantal": 500, "akkoord": True},
        {"omschrijving": "Koffie", "bedrag": None, "tags": ["a", "b"], "meta": {"x": 1}},
        {"bedrag": 12.0, "cpv": 45233130.0, "omschrijving": "Weg"},
    ]
    source, rows = read_all(write_bytes("lijst.json", json.dumps(items, indent=2)))
    assert (source.format, source.encoding, source.decimal) == ("json", "utf-8", ".")
    assert source.headers == ["omschrijving", "bedrag", "aantal", "akkoord", "tags", "meta", "cpv"]
    assert [(r.row, r.cells, r.error) for r in rows] == [
        (2, ["Pennen", "1050.5", "500", "true", "", "", ""], None),
        (3, ["Koffie", "", "", "", '["a","b"]', '{"x":1}', ""], None),
        (4, ["Weg", "12", "", "", "", "", "45233130"], None),
    ]


def test_json_keys_seen_late_in_a_file_are_columns(write_bytes: WriteBytes) -> None:
    items: list[dict[str, Any]] = [{"omschrijving": f"r{i}"} for i in range(1500)]
    items[1400]["leverancier"] = "Laat BV"
    source, rows = read_all(write_bytes("lijst.json", json.dumps(items)))
    assert source.headers == ["omschrijving", "leverancier"]
    assert rows[1400].cells == ["r1400", "Laat BV"] and rows[1400].error is None


def test_json_keys_seen_late_on_stdin_are_kept_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    items: list[dict[str, Any]] = [{"omschrijving": f"r{i}"} for i in range(1500)]
    items[1400]["leverancier"] = "Laat BV"
    monkeypatch.setattr(sys, "stdin", _Stdin(json.dumps(items).encode()))
    source, rows = read_all("-")
    assert source.headers == ["omschrijving"]
    assert len(rows) == 1500
    assert rows[1400].cells == ["r1400"]
    assert rows[1400].error == 'keys not in the first 1000 objects: {"leverancier": "Laat BV"}'


def test_json_item_that_is_not_an_object_is_a_row_error(write_bytes: WriteBytes) -> None:
    _, rows = read_all(write_bytes("lijst.json", '[{"a": "x"}, 12, ["y"], {"a": "z"}]'))
    assert [(r.row, r.cells, r.error) for r in rows] == [
        (2, ["x"], None),
        (3, [""], "not a JSON object: 12"),
        (4, [""], 'not a JSON object: ["y"]'),
        (5, ["z"], None),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('[\n  {"a": 1},\n  {"a": 2,}\n]', 3, 11),
        ('[\n  {"a": 1}\n  {"a": 2}\n]', 3, 3),
        ('[{"a": 1},\n', 2, 1),
        ('{"a": 1', 1, 8),
    ],
)
def test_json_syntax_error_has_line_and_column(
    write_bytes: WriteBytes, text: str, line: int, column: int
) -> None:
    path = write_bytes("lijst.json", text)
    with pytest.raises(NamiError) as info:
        read_all(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column) == (str(path), line, column)
    assert str(problem.message).startswith("invalid JSON: ")


def test_json_syntax_error_far_down_stdin_stops_the_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "[\n" + ",\n".join(f'{{"a": "{i}"}}' for i in range(3000)) + ",\n{oops}\n]"
    monkeypatch.setattr(sys, "stdin", _Stdin(text.encode()))
    with open_list("-") as source:
        seen = []
        with pytest.raises(NamiError) as info:
            for row in source.rows():
                seen.append(row)
    assert len(seen) == 3000
    assert info.value.problems[0].line == 3002


def test_json_values_across_read_chunks(write_bytes: WriteBytes) -> None:
    # numbers and long strings that straddle the 64 KiB reads, and one item bigger than a read
    items = [{"n": 123456789.125 + i, "s": "x" * (i % 50)} for i in range(20_000)]
    items[777]["s"] = "lang " * 40_000
    _, rows = read_all(write_bytes("lijst.json", json.dumps(items)))
    assert len(rows) == 20_000
    assert all(r.cells[0] == repr(123456789.125 + i) for i, r in enumerate(rows))
    assert rows[777].cells[1] == "lang " * 40_000


def test_empty_json_array(write_bytes: WriteBytes) -> None:
    with pytest.raises(NamiError, match="holds no items"):
        open_list(str(write_bytes("lijst.json", "[ ]")))


def test_json_decimal_from_text_numbers(write_bytes: WriteBytes) -> None:
    items = [{"omschrijving": "a", "bedrag": "1.234,56"}, {"omschrijving": "b", "bedrag": "12,50"}]
    source, _ = read_all(write_bytes("lijst.json", json.dumps(items)))
    assert source.decimal == ","


# --- JSON Lines ---------------------------------------------------------------------------------------------


def test_jsonl_with_a_bad_line(write_bytes: WriteBytes) -> None:
    text = (
        '{"omschrijving": "Pennen", "bedrag": 12}\n\n'
        '{"omschrijving": "Koffie", oops}\n[1, 2]\n{"omschrijving": "Thee"}\n'
    )
    source, rows = read_all(write_bytes("lijst.jsonl", text))
    assert (source.format, source.headers) == ("jsonl", ["omschrijving", "bedrag"])
    assert [(r.row, r.cells) for r in rows] == [
        (2, ["Pennen", "12"]),
        (4, ["", ""]),
        (5, ["", ""]),
        (6, ["Thee", ""]),
    ]
    assert rows[0].error is None and rows[3].error is None
    assert rows[1].error == (
        "line 3 is not valid JSON (Expecting property name enclosed in double quotes at column 28): "
        '{"omschrijving": "Koffie", oops}'
    )
    assert rows[2].error == "not a JSON object: [1, 2]"
    assert source.blank_rows == 1


def test_jsonl_is_sniffed_without_extension(write_bytes: WriteBytes) -> None:
    text = '{"omschrijving": "a"}\n{"omschrijving": "b"}\n'
    for name in ("lijst.json", "lijst.txt.gz", "lijst"):
        source, rows = read_all(write_bytes(name, text))
        assert source.format == "jsonl", name
        assert [r.cells for r in rows] == [["a"], ["b"]]


def test_jsonl_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b'{"omschrijving": "a"}\n{"omschrijving": "b", "x": 1}\n'))
    source, rows = read_all("-")
    assert source.format == "jsonl"
    assert source.headers == ["omschrijving", "x"]
    assert rows[1].cells == ["b", "1"]


# --- OCDS ------------------------------------------------------------------------------------------------


def test_ocds_release_package() -> None:
    source, rows = read_all(DATA / "ocds-release-package.json")
    assert (source.format, source.decimal) == ("ocds", ".")
    assert source.headers == OCDS_HEADERS
    got = [(r.row, ocds(r), r.error) for r in rows]
    assert got[0] == (
        2,
        {
            "ocid": "ocds-xmpl-0001",
            "release_id": "ocds-xmpl-0001-tender",
            "date": "2026-01-10T09:00:00Z",
            "buyer": "Gemeente Voorbeeld",
            "source": "tender",
            "item_id": "1",
            "description": "Pennen met logo",
            "cpv": "30192130",
            "quantity": "500",
            "unit": "stuks",
            "unit_price": "2.1",
            "amount": "1050",
            "currency": "EUR",
            "supplier": "",
        },
        None,
    )
    # item without description: the tender title; CPV from the additional classification
    assert got[1][1]["description"] == "Relatiegeschenken jubileum"
    assert got[1][1]["cpv"] == "39294100"
    assert got[1][1]["amount"] == ""  # two items: the tender value is not split
    # a tender without items: one row from the tender itself
    assert got[2][1]["source"] == "tender" and got[2][1]["description"] == "Catering nieuwjaarsreceptie"
    assert got[2][1]["amount"] == "8000"
    # an award item: suppliers, the award date, the award value (single item)
    award = got[3][1]
    assert (award["source"], award["supplier"], award["date"]) == (
        "award",
        "Pennenland BV; Logo & Co",
        "2026-02-01T12:00:00Z",
    )
    assert (award["amount"], award["cpv"]) == ("1000", "30192130")
    # a release with nothing to screen still gives a row, with an error
    assert got[4][0] == 6
    assert got[4][1]["ocid"] == "ocds-xmpl-0003"
    assert got[4][2] == "release has no tender or award to screen"
    assert len(rows) == 5


def test_ocds_record_package() -> None:
    source, rows = read_all(DATA / "ocds-record-package.json")
    assert source.format == "ocds"
    first = ocds(rows[0])
    assert (first["release_id"], first["cpv"], first["quantity"], first["amount"]) == (
        "ocds-xmpl-0010-compiled",
        "45233130",
        "8",
        "960000",
    )
    assert rows[0].error is None
    assert rows[1].error == "record ocds-xmpl-0011 has no compiledRelease and only linked releases"
    assert len(rows) == 2


def _release(cpv: Any) -> dict[str, Any]:
    return {
        "ocid": "ocds-x-1",
        "id": "r1",
        "tag": ["tender"],
        "tender": {"title": "Weg", "items": [{"id": "1", "classification": {"scheme": "CPV", "id": cpv}}]},
    }


def test_ocds_single_release_and_cpv_forms(write_bytes: WriteBytes) -> None:
    for cpv, expected in [
        ("45233130.0", "45233130"),
        ("45233130-9", "45233130"),
        (45233130.0, "45233130"),
        ("x1", "x1"),
    ]:
        source, rows = read_all(write_bytes("release.json", json.dumps(_release(cpv), indent=1)))
        assert source.format == "ocds"
        assert ocds(rows[0])["cpv"] == expected


def test_ocds_array_and_jsonl_of_releases(write_bytes: WriteBytes) -> None:
    releases = [_release("45233130.0"), _release("30192130-1")]
    source, rows = read_all(write_bytes("releases.json", json.dumps(releases)))
    assert source.format == "ocds" and [ocds(r)["cpv"] for r in rows] == ["45233130", "30192130"]
    text = "\n".join(json.dumps(r) for r in releases) + "\n{broken\n"
    source, rows = read_all(write_bytes("releases.jsonl", text))
    assert source.format == "ocds"
    assert [ocds(r)["cpv"] for r in rows[:2]] == ["45233130", "30192130"]
    assert rows[2].error is not None and rows[2].error.startswith("line 3 is not valid JSON")


def test_ocds_package_streams_its_releases(write_bytes: WriteBytes) -> None:
    package = {"uri": "x", "releases": [_release(f"{30192130 + i}") for i in range(3000)], "version": "1.1"}
    _source, rows = read_all(write_bytes("pkg.json", json.dumps(package)))
    assert len(rows) == 3000
    assert [r.row for r in rows[:3]] == [2, 3, 4]
    assert ocds(rows[-1])["cpv"] == str(30192130 + 2999)


def test_input_format_ocds_on_a_plain_array(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("x.json", '[{"a": 1}]'), input_format="ocds")
    assert source.format == "ocds"
    assert rows[0].error == "not an OCDS release, record or package"


def _peak_memory(path: Path) -> tuple[int, int]:
    """(rows read, peak traced memory) for reading every row of ``path``."""
    tracemalloc.start()
    try:
        count = 0
        with open_list(str(path)) as source:
            for _ in source.rows():
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def _write_big(path: Path, shape: str, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        if shape == "jsonl":
            for i in range(n):
                f.write(json.dumps({"omschrijving": f"Regel {i} met tekst", "bedrag": i + 0.5}) + "\n")
            return
        f.write('{"uri": "x", "releases": [\n' if shape == "ocds" else "[\n")
        for i in range(n):
            item = _release(str(30000000 + i)) if shape == "ocds" else {"omschrijving": f"Regel {i}", "n": i}
            f.write(("," if i else "") + json.dumps(item) + "\n")
        f.write("]}\n" if shape == "ocds" else "]\n")


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["array", "jsonl", "ocds"])
def test_json_memory_does_not_grow_with_the_items(tmp_path: Path, shape: str) -> None:
    """Four times the items, (nearly) the same peak. The small file is past the reader's look-ahead and
    its buffers fill (the peak stops rising at about 8,000 rows or 2,000 releases), so what grows from
    the small file to the big one is what is held per item. The OCDS files stay larger (5,000 and 20,000
    releases): the big one must outweigh the reader's fixed cost (about 2 MB) for the second check."""
    small, big = tmp_path / f"small.{shape}", tmp_path / f"big.{shape}"
    n = 5_000 if shape == "ocds" else 8_000
    _write_big(small, shape, n)
    _write_big(big, shape, 4 * n)
    count_small, peak_small = _peak_memory(small)
    count_big, peak_big = _peak_memory(big)
    assert (count_small, count_big) == (n, 4 * n)
    # four times the items, (nearly) the same memory: only fixed-size buffers and samples are held
    assert peak_big < peak_small * 1.3 + 100_000, (peak_small, peak_big)
    assert peak_big < big.stat().st_size, (peak_big, big.stat().st_size)
