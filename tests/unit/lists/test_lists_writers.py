"""Writing the annotated list: formats, dialects, formula neutralisation, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from nami_cli.base.errors import NamiError
from nami_cli.lists.readers import open_list
from nami_cli.lists.writers import ROWS_PER_WRITE, fmt_from_path, neutralise, open_writer

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 20 123 4567", "'+31 20 123 4567"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-1+2", "'-1+2"),
        ("-A1", "'-A1"),
        ("-", "'-"),
        ("-12,50", "-12,50"),  # a plain signed number stays a number
        ("-1.234,56", "-1.234,56"),
        ("-3", "-3"),
        ("+3.5", "+3.5"),
        ("", ""),
        ("a=b", "a=b"),
        ("Pennen", "Pennen"),
        (" =1", " =1"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.csv", "csv"),
        ("OUT.CSV", "csv"),
        ("out.tsv", "tsv"),
        ("out.xlsx", "xlsx"),
        ("out.jsonl", "jsonl"),
        ("out.ndjson", "jsonl"),
        ("out.json", "json"),
        ("out.txt", "csv"),
        ("out.pdf", None),
        ("out", None),
        ("-", None),
        (None, None),
    ],
)
def test_fmt_from_path(path: str | None, fmt: str | None) -> None:
    assert fmt_from_path(path) == fmt


HEADERS = ["Omschrijving", "Bedrag", "nami_advice", "nami_error"]
ROWS: list[list[str | None]] = [
    ["Pennen; blauw", "-12,50", "refuse", ""],
    ['=HYPERLINK("http://evil")', "1.234,56", None, "row has 2 cells"],
    ["Café €\nmet regel", "+31 6", "reduce", "@me"],
]


def test_csv_dialect_and_neutralisation(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with open_writer(str(out), "csv", HEADERS, delimiter=";", encoding="utf-8") as writer:
        for row in ROWS:
            writer.write(row)
    assert out.read_bytes().decode("utf-8") == (
        "Omschrijving;Bedrag;nami_advice;nami_error\r\n"
        '"Pennen; blauw";-12,50;refuse;\r\n'
        '"\'=HYPERLINK(""http://evil"")";1.234,56;;row has 2 cells\r\n'
        "\"Café €\nmet regel\";'+31 6;reduce;'@me\r\n"
    )


def test_csv_formula_in_the_first_cell_and_header(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with open_writer(str(out), "csv", ["=kop", "b"]) as writer:
        writer.write(["-2+3", "ok"])
        writer.write(["ok", "=1"])
    assert out.read_bytes() == b"'=kop,b\r\n'-2+3,ok\r\nok,'=1\r\n"


def test_tsv_and_bom(tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    with open_writer(str(out), "tsv", ["a", "b"], encoding="utf-8-sig") as writer:
        writer.write(["x y", "1"])
    assert out.read_bytes() == b"\xef\xbb\xbfa\tb\r\nx y\t1\r\n"


def test_cp1252_output_does_not_crash(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with open_writer(str(out), "csv", ["a"], encoding="cp1252") as writer:
        writer.write(["Café € ☕ → \x81"])
    # ☕ and → do not exist in Windows-1252: '?'; U+0081 (an undefined byte read back) is the byte again
    assert out.read_bytes() == b"a\r\nCaf\xe9 \x80 ? ? \x81\r\n"


def test_cp1252_round_trip_is_byte_for_byte(tmp_path: Path) -> None:
    src = DATA / "spend-nl-cp1252.csv"
    out = tmp_path / "copy.csv"
    with open_list(str(src)) as source:
        assert source.encoding and source.delimiter
        with open_writer(
            str(out), "csv", source.headers, delimiter=source.delimiter, encoding=source.encoding
        ) as w:
            for row in source.rows():
                w.write(row.cells)
    assert out.read_bytes() == src.read_bytes()


def test_xlsx_output(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with open_writer(str(out), "xlsx", [*HEADERS, "n"]) as writer:
        writer.write([*ROWS[0], "12"])
        writer.write([*ROWS[1], "-3.5"])
        writer.write([*ROWS[2], "00123"])
        writer.write(["bel\x07l", "1e5", "12345678901234567890", "0.1", "3"])
    ws = load_workbook(out).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    types = [[c.data_type for c in row] for row in ws.iter_rows()]
    assert values[0] == [*HEADERS, "n"]
    assert values[1] == ["Pennen; blauw", "-12,50", "refuse", None, 12]
    assert values[2] == ['\'=HYPERLINK("http://evil")', "1.234,56", None, "row has 2 cells", -3.5]
    assert values[3] == ["Café €\nmet regel", "'+31 6", "reduce", "'@me", "00123"]
    assert values[4] == ["bel\ufffdl", "1e5", "12345678901234567890", 0.1, 3]
    assert all(t != "f" for row in types for t in row)  # no formulas at all


def test_jsonl_and_json_output(tmp_path: Path) -> None:
    headers = ["a", "a", "", "nami_advice"]
    for fmt in ("jsonl", "json"):
        out = tmp_path / f"out.{fmt}"
        with open_writer(str(out), fmt, headers) as writer:
            writer.write(["=1", "2", "3", None])
            writer.write(["x", "y", "z", "refuse"])
        text = out.read_text(encoding="utf-8")
        objects = [json.loads(line) for line in text.splitlines()] if fmt == "jsonl" else json.loads(text)
        assert objects == [
            {"a": "=1", "a_2": "2", "column_3": "3", "nami_advice": None},  # JSON is not a spreadsheet
            {"a": "x", "a_2": "y", "column_3": "z", "nami_advice": "refuse"},
        ]


def test_empty_json_output_is_an_empty_array(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with open_writer(str(out), "json", ["a"]):
        pass
    assert json.loads(out.read_text()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "json"])
def test_atomic_nothing_left_on_failure(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_text("old content")
    with pytest.raises(RuntimeError, match="engine failed"), open_writer(str(out), fmt, ["a"]) as writer:
        writer.write(["1"])
        raise RuntimeError("engine failed")
    assert out.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out.{fmt}"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "json"])
def test_error_discards_and_no_file_before_close(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    with pytest.raises(RuntimeError, match="stopped"), open_writer(str(out), fmt, ["a"]) as writer:
        writer.write(["1"])
        assert not out.exists()  # only a temporary file until close()
        raise RuntimeError("stopped")
    assert list(tmp_path.iterdir()) == []


def test_output_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(NamiError, match="does not exist"):
        open_writer(str(tmp_path / "nope" / "out.csv"), "csv", ["a"])


def test_unknown_format_and_encoding(tmp_path: Path) -> None:
    with pytest.raises(NamiError, match="unknown output format 'pdf'"):
        open_writer(str(tmp_path / "x"), "pdf", ["a"])
    with pytest.raises(NamiError, match="unknown output encoding"):
        open_writer(str(tmp_path / "x"), "csv", ["a"], encoding="klingon")
    assert list(tmp_path.iterdir()) == []


def test_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with open_writer(None, "csv", ["a", "b"], delimiter=";") as writer:
        writer.write(["=1", "é"])
    with open_writer(None, "jsonl", ["a"]) as writer:
        writer.write(["x"])
    assert capsys.readouterr().out == "a;b\r\n'=1;é\r\n" + '{"a": "x"}\n'


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_write_parts_equals_write(tmp_path: Path, delimiter: str) -> None:
    """The fast path of write_parts (shared cells serialised once) writes exactly what write() writes,
    also over many batches of rows and with both calls mixed."""
    headers = ["a", "b", "c", "n1", "n2", "err", "row"]
    rows: list[tuple[list[str | None], tuple[str, ...], tuple[str, ...]]] = [
        (["plain", "1.234,56", "x"], ("refuse", "op;en"), ("", "2")),
        (["line\nbreak", 'q"uote', "=SUM(A1)"], ("refuse", "open"), ("", "3")),
        (["", "-12,50", "+31 20"], ("", ""), ("", "4")),
        (["tab\there", "semi;colon", "comma,here"], ('with "quote"', "x"), ('column "B": "1,2,3" bad', "5")),
        ([None, "b", "c"], ("a", "b"), ("", "6")),
        (["@cmd", "cr\rx", "ok"], ("=x", "y"), ("", "7")),
    ]
    rows = [(cells, shared, (err, f"{i}{row}")) for i in range(1, 200) for cells, shared, (err, row) in rows]
    outputs = []
    for method in ("write", "write_parts", "mixed"):
        path = tmp_path / f"{method}.csv"
        with open_writer(str(path), "csv", headers, delimiter=delimiter, encoding="utf-8") as writer:
            for i, (cells, shared, (error, row)) in enumerate(rows):
                if method == "write" or (method == "mixed" and i % 3 == 0):
                    writer.write([*cells, *shared, error, row])
                else:
                    writer.write_parts(cells, shared, error, int(row))
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count(b"\r\n") > ROWS_PER_WRITE


_CELL = st.text(alphabet=";,\t\"\n\r=+-@ 'a1.\x00é€", max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.lists(_CELL, min_size=1, max_size=4), st.sampled_from(["", 'bad ; "x"'])),
        min_size=1,
        max_size=8,
    ),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_write_parts_equals_write_for_any_cells(
    tmp_path: Path, rows: list[tuple[list[str], str]], delimiter: str
) -> None:
    """Whatever the cells hold (delimiters, quotes, line breaks, formula starts, NUL, signed numbers),
    write_parts writes what write() writes: its fast path is taken only where it is equal."""
    width = max(len(cells) for cells, _ in rows)
    headers = [f"h{i}" for i in range(width)] + ["n1", "n2", "err", "row"]
    shared = ("refuse", "-1")
    outputs = []
    for method in ("write", "write_parts"):
        path = tmp_path / f"{method}.csv"
        with open_writer(str(path), "csv", headers, delimiter=delimiter, encoding="utf-8") as writer:
            for number, (cells, error) in enumerate(rows, start=2):
                padded = cells + [""] * (width - len(cells))
                if method == "write":
                    writer.write([*padded, *shared, error, str(number)])
                else:
                    writer.write_parts(padded, shared, error, number)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]
