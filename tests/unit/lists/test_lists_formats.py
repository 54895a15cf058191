"""The reader's parts: one format table for readers, writers and the CLI; codec handlers registered once;
OCDS mapped from a release without I/O."""

from __future__ import annotations

import codecs
import copy
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nami_cli.lists import formats, writers
from nami_cli.lists.read.ocds import OCDS_HEADERS, release_rows
from nami_cli.lists.readers import READERS, open_list

WriteBytes = Callable[..., Path]


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("out.csv", "csv"),
        ("out.TXT", "csv"),
        ("out.tsv", "tsv"),
        ("out.tab", "tsv"),
        ("out.xlsx", "xlsx"),
        ("out.xlsm", "xlsx"),
        ("out.json", "json"),
        ("out.NDJSON", "jsonl"),
        ("out.jsonl", "jsonl"),
        ("out.xls", None),  # read, never written
        ("out.ods", None),
        ("out.pdf", None),
        ("-", None),
        (None, None),
    ],
)
def test_the_writer_takes_its_format_from_the_one_table(name: str | None, written: str | None) -> None:
    assert writers.fmt_from_path(name) == written == formats.output_format(name)


@pytest.mark.parametrize(
    ("name", "head", "reader"),
    [
        ("a.csv", b"a;b\n1;2\n", "csv"),
        ("a.tsv", b"a\tb\n", "csv"),
        ("a.txt", b"[1]", "csv"),  # the extension wins over the content
        ("a.json", b"a,b\n", "json"),
        ("a.ndjson", b"{}\n", "jsonl"),
        ("a.xlsx", b"PK\x03\x04rest", "xlsx"),
        ("a.ods", b"PK\x03\x04rest", "ods"),
        ("a.zip", b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "ods"),
        ("a.dat", formats.XLS_MAGIC + b"rest", "xls"),
        ("-", b'  [{"a": 1}]', "json"),
        ("-", b"a,b\n", "csv"),
    ],
)
def test_detection_reads_the_same_table(name: str, head: bytes, reader: str) -> None:
    assert formats.detect_format(name, head) == reader


def test_every_extension_of_the_table_is_read_or_written_as_the_table_says() -> None:
    for fmt in formats.FORMATS:
        for ext in fmt.extensions:
            assert formats.output_format("x" + ext) == (fmt.name if fmt.writes else None)
            read = formats.read_format("x" + ext)
            assert read is not None and read.reader == fmt.reader
    assert set(READERS) == set(formats.INPUT_FORMATS)


def test_the_cli_options_accept_the_formats_of_the_table(tmp_path: Path) -> None:
    from nami_cli.cli import app
    from nami_cli.commands import screen

    assert [m.value for m in screen.InputFormat] == list(formats.INPUT_FORMATS)
    assert [m.value for m in screen.ScreenFormat] == list(formats.OUTPUT_FORMATS)
    listed = tmp_path / "lijst.csv"
    listed.write_text("omschrijving;bedrag\nkoffie;12,50\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["screen", str(listed), "--input-format", "csv", "-f", "jsonl", "-q"])
    assert ok.exit_code in (0, 1), ok.output
    assert '"omschrijving": "koffie"' in ok.stdout
    refused = runner.invoke(app, ["screen", str(listed), "-f", "ods"])  # read, not written
    assert refused.exit_code == 2


def _lists(write_bytes: WriteBytes, count: int) -> list[Path]:
    """CSV and JSON lists in UTF-8 with stray Windows-1252 bytes and in Windows-1252: both handlers work."""
    paths = []
    for i in range(count):
        if i % 3 == 0:
            paths.append(write_bytes(f"l{i}.csv", b"omschrijving;bedrag\ncaf\xc3\xa9;1\nth\xe9;2\n"))
        elif i % 3 == 1:
            paths.append(write_bytes(f"l{i}.csv", b"omschrijving;bedrag\ncaf\xe9 \x81;1\n"))
        else:
            paths.append(write_bytes(f"l{i}.json", b'[{"a": "caf\xc3\xa9"}, {"a": "th\xe9"}]'))
    return paths


def _read(path: Path) -> list[Any]:
    with open_list(str(path)) as source:
        return list(source.rows())


def test_reading_lists_registers_no_codec_handler(
    write_bytes: WriteBytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[str] = []
    monkeypatch.setattr(codecs, "register_error", lambda name, handler: registered.append(name))
    monkeypatch.setattr(codecs, "register", lambda search: registered.append(repr(search)))
    rows = [row for path in _lists(write_bytes, 30) for row in _read(path)]
    assert registered == []
    errors = [row.error for row in rows if row.error]
    assert len(errors) == 20  # each utf-8 list with a stray byte: one row error naming the column
    assert all("read as Windows-1252" in e for e in errors)
    assert codecs.lookup_error("nami-utf8-lenient") is not None  # registered once, at import


def test_reading_many_lists_does_not_grow_memory(write_bytes: WriteBytes) -> None:
    paths = _lists(write_bytes, 300)
    for path in paths[:30]:  # warm up: imports, regex caches
        _read(path)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for path in paths[30:]:
            _read(path)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert grown < 32 * 1024, f"{grown:,} bytes more after reading 270 lists"  # a handler a file: 77 KB


def _cpv(release: dict[str, Any]) -> list[str]:
    return [cells[OCDS_HEADERS.index("cpv")] for cells, _ in release_rows(release)]


def test_ocds_takes_every_cpv_of_an_item_then_the_tenders() -> None:
    release = {
        "ocid": "ocds-1",
        "tender": {
            "classification": {"scheme": "CPV", "id": "30192000-1"},
            "items": [
                {  # the classification is not CPV: the second additional classification is
                    "description": "a",
                    "classification": {"scheme": "UNSPSC", "id": "44121600"},
                    "additionalClassifications": [
                        {"scheme": "CPV", "id": ""},
                        {"scheme": "cpv", "id": "39294100-0"},
                    ],
                },
                {"description": "b", "classification": {"scheme": "CPV", "id": "22800000"}},
                {"description": "c"},  # no CPV at all: the tender's
            ],
        },
        "awards": [{"id": "aw1", "items": [{"description": "d"}]}],
    }
    kept = copy.deepcopy(release)
    assert _cpv(release) == ["39294100", "22800000", "30192000", "30192000"]
    assert release == kept  # a pure mapping: the release is not changed


def test_an_invalid_cpv_is_kept_as_written_for_the_row_check() -> None:
    release = {"tender": {"items": [{"classification": {"scheme": "CPV", "id": "bogus"}}]}}
    assert _cpv(release) == ["bogus"]
    assert release_rows("not a release") == [([""] * len(OCDS_HEADERS), "release is not a JSON object")]
