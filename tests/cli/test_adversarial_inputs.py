"""Hostile and broken inputs (issue 9): every case ends in exit 3 or a row error with a message, never a
traceback; rows are neither lost nor invented; peak memory stays under 500 MB.

Zip bombs are made small: a deflate stream of one compressed block repeated (each block ends with a full
flush, so the copies are independent), written into a zip by hand so its header may lie.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.lists.readers import open_list


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read nami's messages in English (the default language is Dutch)."""
    monkeypatch.setenv("NAMI_LANG", "en")


Run = Callable[..., Any]
Write = Callable[..., Path]

PEAK_LIMIT_KB = 500 * 1024


# --- helpers --------------------------------------------------------------------------------------------


def _piece(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def repeated_deflate(head: bytes, block: bytes, times: int, tail: bytes) -> tuple[bytes, int]:
    """A raw deflate stream of ``head + block * times + tail`` made without compressing it all, and its
    inflated size."""
    body = _piece(head) + _piece(block) * times + _piece(tail) + b"\x03\x00"  # an empty final block
    return body, len(head) + len(block) * times + len(tail)


Part = tuple[str, bytes, int, "int | None", int]


def write_zip(path: Path, parts: list[Part]) -> None:
    """A zip of (name, raw deflate data, inflated size, size to declare or None for the true one, CRC-32);
    the bombs have no true CRC (the checks refuse them before any reader would verify it)."""
    out = bytearray()
    central = bytearray()
    for name, data, size, declared, crc in parts:
        declared = size if declared is None else declared
        offset = len(out)
        encoded = name.encode()
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), declared, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(data),
            declared,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0)
    path.write_bytes(bytes(out))


def _plain(name: str, text: str) -> Part:
    data = text.encode()
    return name, _piece(data) + b"\x03\x00", len(data), None, zlib.crc32(data)


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Omschrijving</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Bedrag</t></is></c></row>'
)
SHEET_TAIL = "</sheetData></worksheet>"
SST_HEAD = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook(
    path: Path,
    rows: str = "",
    *,
    sheet: Part | None = None,
    shared: Part | None = None,
) -> Path:
    parts = [
        _plain("[Content_Types].xml", CONTENT_TYPES),
        _plain("_rels/.rels", ROOT_RELS),
        _plain("xl/workbook.xml", WORKBOOK),
        _plain("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet or _plain("xl/worksheets/sheet1.xml", SHEET_HEAD + rows + SHEET_TAIL),
        shared or _plain("xl/sharedStrings.xml", SST_HEAD + "<si><t>Pennen</t></si></sst>"),
    ]
    write_zip(path, parts)
    return path


def run_measured(*args: str) -> tuple[int, str, int]:
    """Run ``nami ARGS`` in a fresh process; (exit code, stderr, its peak memory in KiB). A small wrapper
    process runs it, so that RUSAGE_CHILDREN holds this one command only."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(str(p.returncode) + '\\n' + str(resource.getrusage(resource.RUSAGE_CHILDREN)"
        ".ru_maxrss) + '\\n' + p.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "nami_cli", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    code, peak, stderr = out.split("\n", 2)
    return int(code), stderr, int(peak)


def screen_summary(run: Run, path: Path, tmp_path: Path, *extra: str) -> tuple[Any, dict[str, Any]]:
    summary = tmp_path / "summary.json"
    result = run(
        "screen",
        str(path),
        "-o",
        str(tmp_path / "out.csv"),
        "--summary",
        str(summary),
        "--fail-on",
        "never",
        *extra,
    )
    return result, (json.loads(summary.read_text()) if summary.exists() else {})


# --- rows never lost or invented --------------------------------------------------------------------------


def test_a_runaway_quote_keeps_every_row_and_the_spend(run: Run, write: Write, tmp_path: Path) -> None:
    rows = [f"item {i};{i}" for i in range(1, 1001)]
    text = 'Omschrijving;Bedrag\npennen;5\nkoffie;7\nthee;"open\n' + "\n".join(rows) + "\n"
    result, summary = screen_summary(run, write("lijst.csv", text), tmp_path)
    assert result.exit_code == 0, result.output
    assert summary["rows_read"] == 1003  # the physical lines after the header
    assert summary["rows_with_errors"] == 1
    assert summary["spend_total"] == pytest.approx(5 + 7 + sum(range(1, 1001)))


def test_json_lines_give_one_row_per_physical_line(run: Run, write: Write, tmp_path: Path) -> None:
    text = (
        '{"omschrijving": "pennen", "bedrag": 5}\n'
        '{"omschrijving": "koffie\r", oops}\n'  # a lone CR inside a broken line: still one line
        "not json at all\n"
        '{"omschrijving": "thee", "bedrag": 7}\n'
        '{"omschrijving": "stoelen", "bedrag": 11}\n'
    )
    result, summary = screen_summary(run, write("lijst.jsonl", text), tmp_path)
    assert result.exit_code == 0, result.output
    assert summary["rows_read"] == 5 and summary["rows_with_errors"] == 2
    assert summary["spend_total"] == pytest.approx(23)
    # the same when the first line is the broken one and the extension says nothing
    text = "{oops}\n" + '{"omschrijving": "thee", "bedrag": 7}\n' * 3
    with open_list(str(write("lijst.json", text))) as source:
        rows = list(source.rows())
    assert source.format == "jsonl" and len(rows) == 4 and rows[0].error is not None


# --- numbers --------------------------------------------------------------------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        (f"estimated_value: {HUGE}", "is too large"),
        ("quantity: " + "9" * 400, "is too large"),
        ("estimated_value: 1e400", '"1e400" is too large'),
        ("unit_price: 9e308", "is too large"),
        ("estimated_value: 1000000000000000", "is too large"),
        ("quantity: 60.000", '"60.000" is ambiguous: write 60000 or 60'),
        ("estimated_value: 36.000", '"36.000" is ambiguous: write 36000 or 36'),
        ("unit_price: 1.234", '"1.234" is ambiguous: write 1234 or 1.2340'),
        (
            "unit_price: 1.234,50",
            "write decimals with a point, without thousands separators or currency: 1234.5",
        ),
        ("unit_price: 2,10", "write decimals with a point, without thousands separators or currency: 2.1"),
        ("usage: {stock: 1.500}", '"1.500" is ambiguous'),
    ],
)
def test_request_numbers_are_located_errors(run: Run, write: Write, line: str, needle: str) -> None:
    path = write("r.yaml", f"title: Pennen\n{line}\n")
    result = run("check", str(path))
    assert result.exit_code == 3, result.output
    assert f"{path}:2:" in result.stderr and needle in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", [HUGE, "1e400", "9e308", "-1e15", "1" + "0" * 15])
def test_list_numbers_out_of_range_are_row_errors(run: Run, write: Write, tmp_path: Path, value: str) -> None:
    text = f"Omschrijving;Aantal;Bedrag\npennen;2;5\nkoffie;{value};{value}\nthee;1;7\n"
    result, summary = screen_summary(run, write("lijst.csv", text), tmp_path)
    assert result.exit_code == 0, result.output
    assert summary["rows_read"] == 3 and summary["rows_with_errors"] == 1
    assert summary["spend_total"] == pytest.approx(12)
    out = (tmp_path / "out.csv").read_text()
    assert "is too large" in out


def test_a_product_too_large_is_a_row_error(run: Run, write: Write, tmp_path: Path) -> None:
    text = "Omschrijving;Aantal;Prijs\npennen;100000000;100000000\n"
    _result, summary = screen_summary(run, write("lijst.csv", text), tmp_path)
    assert summary["rows_with_errors"] == 1 and summary["spend_total"] == 0
    assert "quantity x unit price is 1e+16" in (tmp_path / "out.csv").read_text()


@pytest.mark.parametrize(
    "doc",
    [
        '[{"omschrijving": "pennen", "bedrag": ' + HUGE + "}]",
        '[{"omschrijving": "pennen", "bedrag": 1e400}]',
        '{"omschrijving": "pennen", "bedrag": ' + HUGE + "}\n",
    ],
)
def test_json_numbers_out_of_range_are_row_errors(run: Run, write: Write, tmp_path: Path, doc: str) -> None:
    result, summary = screen_summary(run, write("lijst.json", doc), tmp_path)
    assert result.exit_code == 0, result.output
    assert summary["rows_read"] == 1 and summary["rows_with_errors"] == 1


# --- nesting and structures -----------------------------------------------------------------------------


def test_json_nested_100000_deep(run: Run, write: Write, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    result = run(
        "screen", str(write("a.json", f'[{{"omschrijving": {deep}}}]')), "-o", str(tmp_path / "o.csv")
    )
    assert result.exit_code == 3 and "nested too deeply" in result.stderr
    lines = '{"omschrijving": "pennen"}\n{"omschrijving": ' + deep + "}\n"
    result, summary = screen_summary(run, write("b.jsonl", lines), tmp_path)
    assert summary["rows_read"] == 2 and summary["rows_with_errors"] == 1
    request = write("r.yaml", "title: x\ndescription: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run("check", str(request))
    assert result.exit_code == 3 and "nest" in result.stderr


OCDS_BROKEN = [
    {"ocid": "x", "tender": {"items": 5}},
    {"ocid": "x", "tender": True},
    {"ocid": "x", "awards": [{"suppliers": 5, "items": [{"description": "a"}]}]},
    {"ocid": "x", "awards": [{"suppliers": True}]},
    {"ocid": "x", "awards": [{"suppliers": "acme"}]},
    {"ocid": "x", "awards": 7},
    {"ocid": "x", "tender": {"items": [{"unit": 5, "quantity": [1], "classification": 3}]}},
    {"ocid": "x", "tender": {"items": [{"quantity": 1e300, "unit": {"value": {"amount": 1e300}}}]}},
    {"ocid": "x", "tender": {"items": [{"additionalClassifications": 4, "description": {"a": 1}}]}},
    {"ocid": "x", "buyer": 5, "date": [1], "tender": {"title": 5, "value": 3}},
]


def test_ocds_with_values_of_the_wrong_type(run: Run, write: Write, tmp_path: Path) -> None:
    package = {"releases": OCDS_BROKEN}
    result, summary = screen_summary(run, write("ocds.json", json.dumps(package)), tmp_path)
    assert result.exit_code == 0, result.output
    assert summary["rows_read"] >= len(OCDS_BROKEN)
    lines = "\n".join(json.dumps(r) for r in OCDS_BROKEN) + "\n"
    result, summary = screen_summary(run, write("ocds.jsonl", lines), tmp_path, "--input-format", "ocds")
    assert result.exit_code == 0, result.output
    for package in ({"releases": 5}, {"records": True}, {"records": [{"compiledRelease": 5}]}):
        result = run("screen", str(write("p.json", json.dumps(package))), "-o", str(tmp_path / "o.csv"))
        assert result.exit_code in (0, 1, 3), result.output


def test_a_text_too_long_to_screen_is_a_row_error(run: Run, write: Write, tmp_path: Path) -> None:
    text = "Omschrijving;Bedrag\n" + "pennen " * 6000 + ";5\nkoffie;7\n"
    _result, summary = screen_summary(run, write("lijst.csv", text), tmp_path)
    assert summary["rows_read"] == 2 and summary["rows_with_errors"] == 1
    assert "characters, more than the limit of 32,767" in (tmp_path / "out.csv").read_text()


# --- spreadsheets ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFE2"><v>5</v></c></row>',
            "beyond the last column XFD",
        ),
        (
            '<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2"><v>5</v></c></row>',
            "shared string",
        ),
        (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
            '<c r="B2" t="d"><v>99999-99-99</v></c></row>',
            "99999-99-99",
        ),
        (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2"><v>abc</v></c></row>',
            "cannot be read",
        ),
        ('<row r="2000000"><c r="A2000000"><v>1</v></c></row>', "a sheet has at most 1,048,576 rows"),
    ],
)
def test_broken_workbooks_are_exit_3_or_a_row_error(run: Run, tmp_path: Path, rows: str, needle: str) -> None:
    path = workbook(tmp_path / "kapot.xlsx", rows)
    out = tmp_path / "o.csv"
    result = run("screen", str(path), "-o", str(out), "--fail-on", "never")
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:  # the reader could read the row: the broken cell is a row error
        assert "1 of 1 rows could not be read" in result.stderr
        return
    assert result.exit_code == 3, result.output
    assert needle in result.stderr


def _shared_strings_bomb(declared: int | None) -> Part:
    block = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    data, size = repeated_deflate(SST_HEAD.encode(), block * 1000, 1_600, b"</sst>")  # 1.6 GB inflated
    return "xl/sharedStrings.xml", data, size, declared, 0


@pytest.mark.parametrize("declared", [None, 4096])  # the true size, or a header that lies
def test_a_shared_strings_bomb_is_exit_3_with_flat_memory(tmp_path: Path, declared: int | None) -> None:
    path = workbook(
        tmp_path / "bomb.xlsx",
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
        shared=_shared_strings_bomb(declared),
    )
    assert path.stat().st_size < 4_000_000
    code, stderr, peak = run_measured("screen", str(path), "-o", str(tmp_path / "o.csv"))
    assert code == 3, stderr
    assert "sharedStrings.xml" in stderr and "Traceback" not in stderr
    assert peak < PEAK_LIMIT_KB


@pytest.mark.parametrize("row", [b"<row/>", b'<row r="7"/>'])
def test_a_sheet_of_600_mb_of_empty_rows_is_exit_3_with_flat_memory(tmp_path: Path, row: bytes) -> None:
    data, size = repeated_deflate(
        SHEET_HEAD.encode(), row * 100_000, 600_000_000 // (len(row) * 100_000), SHEET_TAIL.encode()
    )
    assert size > 300_000_000
    path = workbook(tmp_path / "leeg.xlsx", sheet=("xl/worksheets/sheet1.xml", data, size, None, 0))
    code, stderr, peak = run_measured("screen", str(path), "-o", str(tmp_path / "o.csv"))
    if row == b"<row/>":
        assert code == 3 and "rows, the most a sheet can have" in stderr, stderr
    else:  # rows with the same number: few distinct rows, but still too many row elements
        assert code == 3 and "Traceback" not in stderr, stderr
    assert peak < PEAK_LIMIT_KB


def test_a_row_of_millions_of_cells_is_exit_3(tmp_path: Path) -> None:
    data, size = repeated_deflate(
        SHEET_HEAD.encode() + b'<row r="2">',
        b"<c><v>1</v></c>" * 10_000,
        300,
        b"</row>" + SHEET_TAIL.encode(),
    )
    path = workbook(tmp_path / "breed.xlsx", sheet=("xl/worksheets/sheet1.xml", data, size, None, 0))
    code, stderr, peak = run_measured("screen", str(path), "-o", str(tmp_path / "o.csv"))
    assert code == 3 and "a row has at most 16,384" in stderr, stderr
    assert peak < PEAK_LIMIT_KB


def test_a_csv_line_of_hundreds_of_megabytes_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "lang.csv"
    with path.open("w") as out:
        out.write("Omschrijving;Bedrag\npennen;5\n")
        for _ in range(300):
            out.write("x" * (1 << 20))
        out.write("\nkoffie;7\n")
    code, stderr, peak = run_measured(
        "screen", str(path), "-o", str(tmp_path / "o.csv"), "--fail-on", "never"
    )
    assert code == 0, stderr
    assert peak < PEAK_LIMIT_KB
    assert "longer than 1,048,576 characters" in (tmp_path / "o.csv").read_text()


def test_the_number_parser_and_the_request_loader_raise_only_their_own_errors() -> None:
    from nami_cli.base.number_parser import NumberError, parse_number
    from nami_cli.load.request import parse_request

    for text in (HUGE, "1e400", "-" + HUGE, "1" * 101, "(1e999)", "€" * 200, "1,23E+9999"):
        with pytest.raises(NumberError):
            parse_number(text, ",")
    with pytest.raises(NamiError):
        parse_request(f"title: x\nquantity: 0x{'f' * 5000}\n")


def test_a_total_row_is_not_screened_nor_added_to_spend(run: Run, write: Write, tmp_path: Path) -> None:
    plain = "Omschrijving;Kostensoort;Bedrag\npennen;kantoor;5\nkoffie;;7\n"
    _, without = screen_summary(run, write("a.csv", plain), tmp_path)
    _result, summary = screen_summary(
        run, write("b.csv", plain + "Totaal;;12\nSubtotaal 2025:;;12\n"), tmp_path
    )
    assert summary["spend_total"] == without["spend_total"] == pytest.approx(12)
    assert summary["rows_read"] == 4 and summary["rows_with_errors"] == 2
    out = (tmp_path / "out.csv").read_text()
    assert out.count("a total row (") == 2 and "Totaal" in out
    # a purchase that merely mentions a total is screened
    _, summary = screen_summary(run, write("c.csv", plain + "Totaalpakket onderhoud;;12\n"), tmp_path)
    assert summary["rows_with_errors"] == 0


def test_ocds_takes_the_first_valid_cpv_then_the_tender_classification() -> None:
    from nami_cli.lists.read.ocds import release_rows

    release = {
        "ocid": "x",
        "tender": {
            "classification": {"scheme": "CPV", "id": "30192000-1"},
            "items": [
                {
                    "description": "a",
                    "additionalClassifications": [
                        {"scheme": "CPV", "id": "bogus"},
                        {"scheme": "CPV", "id": "39294100-0"},
                    ],
                },
                {"description": "b"},
                {"description": "c", "classification": {"scheme": "CPV", "id": "bogus"}},
            ],
        },
    }
    cpvs = [cells[7] for cells, _ in release_rows(release)]
    assert cpvs == ["39294100", "30192000", "bogus"]


def test_an_ods_whose_sheets_inflate_past_the_limit_is_exit_3(tmp_path: Path) -> None:
    head = b'<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet><table:table>'
    data, size = repeated_deflate(
        head, b"<table:table-row/>" * 50_000, 200, b"</table:table></office:spreadsheet>"
    )
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    stored = ("mimetype", _piece(mime) + b"\x03\x00", len(mime), None, zlib.crc32(mime))
    write_zip(tmp_path / "groot.ods", [stored, ("content.xml", data, size, None, 0)])
    code, stderr, peak = run_measured("screen", str(tmp_path / "groot.ods"), "-o", str(tmp_path / "o.csv"))
    assert code == 3 and "content.xml is 180,000" in stderr, stderr
    assert peak < PEAK_LIMIT_KB
