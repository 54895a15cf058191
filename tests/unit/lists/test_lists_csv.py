"""Reading CSV: dialects, encodings, numbers, quoted newlines, ragged and blank rows, errors, streaming."""

from __future__ import annotations

import io
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.lists.readers import ListSource, SourceRow, open_list

DATA = Path(__file__).parent / "data"

WriteBytes = Callable[..., Path]


def read_all(path: str | Path, **kwargs: Any) -> tuple[ListSource, list[SourceRow]]:
    """Open a list, read every row, close it; the source keeps its headers and detected settings."""
    with open_list(str(path), **kwargs) as source:
        rows = list(source.rows())
    return source, rows


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Omschrijving,Bedrag\nPennen,12\n", ","),
        ("Omschrijving;Bedrag\nPennen;12,50\n", ";"),
        ("Omschrijving\tBedrag\nPennen\t12,50\n", "\t"),
        # commas inside a ;-separated file do not fool the detection
        ("Omschrijving;Bedrag;Aantal\nPennen, blauw;1.234,56;3\nKoffie;12,50;1\n", ";"),
        # nor do delimiters inside quotes
        ('Omschrijving,Bedrag\n"Pennen; blauw; rood",12\n"a;b;c;d",3\n', ","),
    ],
)
def test_delimiter_detection(write_bytes: WriteBytes, text: str, delimiter: str) -> None:
    source, rows = read_all(write_bytes("list.csv", text))
    assert source.delimiter == delimiter
    assert source.format == "csv"
    assert source.headers[:2] == ["Omschrijving", "Bedrag"]
    assert all(row.error is None for row in rows)


def test_single_column_file(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("list.csv", "Omschrijving\nPennen\nKoffie\n"))
    assert source.headers == ["Omschrijving"]
    assert [r.cells for r in rows] == [["Pennen"], ["Koffie"]]


def test_excel_sep_line(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("list.csv", "sep=|\r\nOmschrijving|Bedrag\r\nPennen|12\r\n"))
    assert source.delimiter == "|"
    assert source.headers == ["Omschrijving", "Bedrag"]
    assert rows[0].row == 2 and rows[0].cells == ["Pennen", "12"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Omschrijving;Bedrag\nCafé ☕;€ 12,50\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Omschrijving;Bedrag\nCafé ☕;€ 12,50\n".encode(), "utf-8-sig"),
        ("Omschrijving;Bedrag\nCafé;€ 12,50\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(write_bytes: WriteBytes, data: bytes, encoding: str) -> None:
    source, rows = read_all(write_bytes("list.csv", data))
    assert source.encoding == encoding
    assert source.headers == ["Omschrijving", "Bedrag"]  # no BOM in the first header
    assert rows[0].cells[0].startswith("Café")
    assert rows[0].cells[1] == "€ 12,50"
    assert rows[0].error is None


def test_cp1252_fixture_with_quoted_newline() -> None:
    source, rows = read_all(DATA / "spend-nl-cp1252.csv")
    assert (source.encoding, source.delimiter, source.decimal) == ("cp1252", ";", ",")
    assert source.headers[-1] == "Bedrag excl. BTW"
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].cells[2] == "Café de Hoek"
    assert rows[1].cells[2] == "Drukkerij €uro"
    assert rows[1].cells[3] == "Folders\r\nA5, 2 kleuren"
    assert rows[1].cells[-1] == "-45,00"


def test_cp1252_late_in_a_big_file_is_still_cp1252(write_bytes: WriteBytes) -> None:
    body = "".join(f"Regel {i};{i},50\n" for i in range(200_000))  # ~3 MB of ASCII first
    data = ("Omschrijving;Bedrag\n" + body + "Caf\xe9;1,00\n").encode("cp1252")
    source, rows = read_all(write_bytes("list.csv", data))
    assert source.encoding == "cp1252"
    assert rows[-1].cells == ["Café", "1,00"] and rows[-1].error is None
    assert len(rows) == 200_001


def test_cp1252_byte_at_a_read_boundary(write_bytes: WriteBytes) -> None:
    from nami_cli.lists.encoding import SCAN_CHUNK

    head = b"Omschrijving;Bedrag\nth\xe9;0\n"
    filler = b"x" * (SCAN_CHUNK - len(head) - 1 - 3) + b";1\n"  # the next byte is the last of the chunk
    data = head + filler + b"\xe9;2\n" + b"caf\xe9;3\n"
    assert data[SCAN_CHUNK - 1] == 0xE9
    source, rows = read_all(write_bytes("list.csv", data))
    assert source.encoding == "cp1252"
    assert [r.cells[0] for r in rows[2:]] == ["é", "café"]
    assert rows[0].cells[0] == "thé"


def test_undefined_cp1252_bytes_do_not_crash(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("list.csv", b"Omschrijving;Bedrag\nA\x81B \xe9;1\n"))
    assert source.encoding == "cp1252"
    assert rows[0].cells[0] == "A\x81B é"


def test_stray_cp1252_byte_in_a_utf8_file_is_a_row_error(write_bytes: WriteBytes) -> None:
    data = "Omschrijving;Bedrag\nCafé;1\n".encode() + b"Th\xe9;2\n" + "Crème;3\n".encode()
    source, rows = read_all(write_bytes("list.csv", data))
    assert source.encoding == "utf-8"
    assert [r.cells[0] for r in rows] == ["Café", "Thé", "Crème"]
    assert rows[0].error is None and rows[2].error is None
    assert rows[1].error == 'bytes that are not UTF-8, read as Windows-1252, in column "Omschrijving" (e9)'


@pytest.mark.parametrize(
    ("text", "decimal"),
    [
        ("Omschrijving;Bedrag\nA;1.234,56\nB;12,50\n", ","),
        ('Omschrijving,Amount\nA,"1,234.56"\nB,12.50\n', "."),
        ("Omschrijving;Bedrag\nA;1.500\nB;2.000\n", ","),
        ("Omschrijving,Bedrag\nA,3\nB,4\n", "."),  # no evidence: a comma list is English
        ("Omschrijving;Bedrag\nA;3\nB;4\n", ","),  # no evidence: a semicolon list is Dutch
    ],
)
def test_decimal_detection(write_bytes: WriteBytes, text: str, decimal: str) -> None:
    source, _ = read_all(write_bytes("list.csv", text))
    assert source.decimal == decimal


def test_quoted_newlines_keep_record_numbers(write_bytes: WriteBytes) -> None:
    text = 'Omschrijving,Bedrag\n"regel 1\nregel 2\nregel 3",1\nKoffie,2\n"a ""quote""",3\n'
    _, rows = read_all(write_bytes("list.csv", text))
    assert [(r.row, r.cells) for r in rows] == [
        (2, ["regel 1\nregel 2\nregel 3", "1"]),
        (3, ["Koffie", "2"]),
        (4, ['a "quote"', "3"]),
    ]


def test_ragged_rows_keep_their_data(write_bytes: WriteBytes) -> None:
    text = "A;B;C\n1;2;3\n4;5\n6;7;8;9;x\n10;11;12;;\n"
    _, rows = read_all(write_bytes("list.csv", text))
    assert [(r.row, r.cells, r.error) for r in rows] == [
        (2, ["1", "2", "3"], None),
        (3, ["4", "5", ""], "row has 2 cells, header has 3"),
        (4, ["6", "7", "8"], 'row has 5 cells, header has 3; extra cells: "9", "x"'),
        (5, ["10", "11", "12"], None),  # trailing empty cells are no data
    ]


def test_trailing_empty_header_cells_are_dropped(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("list.csv", "A;B;;\n1;2;;\n3;4;;x\n"))
    assert source.headers == ["A", "B"]
    assert rows[0].error is None
    assert rows[1].error == 'row has 4 cells, header has 2; extra cells: "", "x"'


def test_blank_rows_are_skipped_but_counted(write_bytes: WriteBytes) -> None:
    text = "\nA;B\n1;2\n\n;\n3;4\n\n"
    with open_list(str(write_bytes("list.csv", text))) as source:
        rows = list(source.rows())
        assert source.blank_rows == 3
    assert [(r.row, r.cells) for r in rows] == [(3, ["1", "2"]), (6, ["3", "4"])]


def test_rows_can_be_read_once(write_bytes: WriteBytes) -> None:
    with open_list(str(write_bytes("list.csv", "A\n1\n"))) as source:
        list(source.rows())
        with pytest.raises(RuntimeError):
            source.rows()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\n", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"A;B\x00\x01\x02", "binary file"),
        ("A;B\n1;2\n".encode("utf-16"), "UTF-16"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "not a readable XLS workbook"),
    ],
)
def test_file_errors(write_bytes: WriteBytes, data: bytes, message: str) -> None:
    path = write_bytes("list.csv" if b"\xd0\xcf" not in data else "list", data)
    with pytest.raises(NamiError, match=message) as info:
        open_list(str(path))
    assert info.value.problems[0].file == str(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(NamiError, match="file not found"):
        open_list(str(tmp_path / "nope.csv"))
    with pytest.raises(NamiError, match="is a folder"):
        open_list(str(tmp_path))


def test_no_header(write_bytes: WriteBytes) -> None:
    with pytest.raises(NamiError, match="no header row"):
        open_list(str(write_bytes("list.csv", ";;;\n;;\n")))


def _numbered(n: int, start: int = 0) -> str:
    return "".join(f"item {i};{i}\n" for i in range(start, start + n))


@pytest.mark.parametrize("where", [3, 1500])  # found while sampling (open_list), or in rows()
def test_a_runaway_quote_is_a_row_error_at_its_line_and_the_rows_after_it_are_read(
    write_bytes: WriteBytes, where: int
) -> None:
    text = "A;B\n" + _numbered(where - 2) + 'broken;"open\n' + _numbered(1000, where)
    _, rows = read_all(write_bytes("list.csv", text))
    assert len(rows) == text.count("\n") - 1  # one row per physical line after the header
    bad = [r for r in rows if r.error]
    assert [(r.row, r.cells) for r in bad] == [(where, ["broken", "open"])]
    assert bad[0].error is not None
    assert bad[0].error.startswith(f'a quote (") opened in line {where} is not closed within 100 lines')
    assert sum(int(r.cells[1]) for r in rows if not r.error) == sum(range(where - 2)) + sum(
        range(where, where + 1000)
    )
    assert rows[-1].row == where + 1000


def test_a_quote_still_open_at_the_end_gives_the_lines_after_it_back(write_bytes: WriteBytes) -> None:
    text = 'A;B\n1;2\n3;"open\n' + _numbered(20)
    _, rows = read_all(write_bytes("list.csv", text))
    assert len(rows) == 22
    assert rows[1].error is not None and "is not closed before the end of the file" in rows[1].error
    assert [r.cells for r in rows[2:4]] == [["item 0", "0"], ["item 1", "1"]]


def test_a_quote_closed_only_far_down_is_a_runaway_too(write_bytes: WriteBytes) -> None:
    text = 'A;B\n3;"open\n' + _numbered(300) + 'end";4\n' + _numbered(2, 300)
    _, rows = read_all(write_bytes("list.csv", text))
    assert len(rows) == text.count("\n") - 1
    assert rows[0].error is not None and rows[0].cells == ["3", "open"]
    assert rows[-3].cells == ['end"', "4"]  # the closing quote's line, read on its own


def test_quoted_cells_over_a_few_lines_stay_one_cell(write_bytes: WriteBytes) -> None:
    cell = "\n".join(f"line {i}" for i in range(100))  # 100 lines: the most a cell may span
    text = f'A;B\n"{cell}";1\nnext;2\n'
    _, rows = read_all(write_bytes("list.csv", text))
    assert [(r.row, r.cells, r.error) for r in rows] == [(2, [cell, "1"], None), (3, ["next", "2"], None)]


def test_a_quoted_cell_of_more_than_a_mebibyte_is_a_runaway(write_bytes: WriteBytes) -> None:
    text = 'A;B\n3;"' + ("x" * 30_000 + "\n") * 40 + '";5\nnext;2\n'
    _, rows = read_all(write_bytes("list.csv", text))
    assert rows[0].error is not None and "within 100 lines or 1 MiB" in rows[0].error
    assert rows[-1].cells == ["next", "2"]
    assert len(rows) == text.count("\n") - 1


def test_a_line_too_long_to_read_is_a_row_error(write_bytes: WriteBytes) -> None:
    text = "A;B\n1;2\n" + "x" * (3 << 20) + "\r\n3;4\n"
    _, rows = read_all(write_bytes("list.csv", text))
    assert [(r.row, r.cells) for r in rows] == [(2, ["1", "2"]), (3, ["", ""]), (4, ["3", "4"])]
    assert rows[1].error == "line 3 is longer than 1,048,576 characters (3,145,730): not read"
    # and at the very end, without a line end
    _, rows = read_all(write_bytes("list2.csv", "A;B\n1;2\n" + "x" * (3 << 20)))
    assert len(rows) == 2 and rows[1].error is not None


def test_a_header_that_opens_a_runaway_quote_stops_the_file(write_bytes: WriteBytes) -> None:
    with pytest.raises(NamiError, match="cannot read the header") as info:
        read_all(write_bytes("list.csv", 'sep=;\nA;"B\n' + _numbered(200)))
    assert info.value.problems[0].line == 2


def test_unclosed_quote_at_the_end_is_a_ragged_row(write_bytes: WriteBytes) -> None:
    _, rows = read_all(write_bytes("list.csv", 'A;B\n1;2\n"open;3\n'))
    assert rows[1].error == "row has 1 cells, header has 2"
    assert rows[1].cells == ["open;3\n", ""]


def test_format_override_and_sniffing(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("export.dat", "Omschrijving;Bedrag\nA;1\n"))
    assert source.format == "csv" and rows[0].cells == ["A", "1"]
    source, rows = read_all(write_bytes("export.json", "Omschrijving;Bedrag\nA;1\n"), input_format="csv")
    assert source.format == "csv" and rows[0].cells == ["A", "1"]
    with pytest.raises(NamiError, match="unknown input format"):
        open_list(str(write_bytes("x.csv", "A\n1\n")), input_format="xlsb")
    with pytest.raises(NamiError, match="--sheet applies to workbooks"):
        open_list(str(write_bytes("x.csv", "A\n1\n")), sheet="Blad1")


def test_tsv_extension(write_bytes: WriteBytes) -> None:
    source, rows = read_all(write_bytes("list.tsv", "Omschrijving\n A, B \n"))
    assert source.delimiter == "\t"
    assert rows[0].cells == [" A, B "]


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"Omschrijving;Bedrag\n" + "".join(f"Café {i};{i},50\n" for i in range(50_000)).encode()
    data += b"Th\xe9;1\n"  # after the sniffed first MiB: a per-row error, not a crash
    stdin = _Stdin(data)
    monkeypatch.setattr(sys, "stdin", stdin)
    source, rows = read_all("-")
    assert source.file == "<stdin>"
    assert (source.format, source.delimiter, source.encoding, source.decimal) == ("csv", ";", "utf-8", ",")
    assert len(rows) == 50_001
    assert rows[0].cells == ["Café 0", "0,50"]
    assert rows[-1].cells == ["Thé", "1"] and rows[-1].error is not None
    assert not stdin.buffer.closed  # stdin stays open


def test_row_count_and_order_are_preserved(write_bytes: WriteBytes) -> None:
    n = 20_000
    text = "Nr;Omschrijving\n" + "".join(
        f'{i};"tekst {i}\nmet regel"\n' if i % 7 == 0 else f"{i};tekst {i}\n" for i in range(n)
    )
    _, rows = read_all(write_bytes("list.csv", text))
    assert [r.cells[0] for r in rows] == [str(i) for i in range(n)]
    assert [r.row for r in rows] == list(range(2, n + 2))


def _write_spend(path: Path, rows: int) -> int:
    """A spend file of ``rows`` distinct rows (about 117 bytes each); its size."""
    line = (
        "F{0:08d};03-01-2026;Leverancier {1} BV;Omschrijving van regel {0} met wat tekst;"
        "Kostensoort {1};KP{1:03d};{1};1.{1:03d},50\n"
    )
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Factuurnummer;Boekdatum;Crediteur;Omschrijving;Kostensoort;Kostenplaats;Aantal;Bedrag\n")
        for i in range(rows):
            f.write(line.format(i, i % 997))
    return path.stat().st_size


def _peak_reading(path: Path) -> tuple[int, int]:
    """(rows read, peak traced memory) for reading every row of ``path``."""
    tracemalloc.start()
    try:
        count = 0
        with open_list(str(path)) as source:
            for _row in source.rows():
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_memory_does_not_grow_with_the_rows(tmp_path: Path) -> None:
    """Four times the rows, the same peak: only fixed-size buffers and the first rows (looked ahead to
    recognise the columns) are held. The small file is well past the look-ahead (500 rows), so what
    grows from it to the large one is what is held per row."""
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _write_spend(small, 5_000)
    size = _write_spend(large, 20_000)
    count_small, peak_small = _peak_reading(small)
    count_large, peak_large = _peak_reading(large)
    assert (count_small, count_large) == (5_000, 20_000)
    assert peak_large < peak_small * 1.1 + 64_000, (peak_small, peak_large)
    assert peak_large < size / 2, f"peak {peak_large} for a {size}-byte file"


def test_progress_in_bytes(write_bytes: WriteBytes) -> None:
    path = write_bytes("list.csv", "A;B\n" + "".join(f"{i};x\n" for i in range(100_000)))
    with open_list(str(path)) as source:
        assert source.size == path.stat().st_size
        rows = source.rows()
        for _ in range(50_000):
            next(rows)
        halfway = source.bytes_read()
        assert halfway is not None and 0 < halfway < source.size
        for _ in rows:
            pass
        assert source.bytes_read() == source.size
