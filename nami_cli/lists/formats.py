"""File formats: the one table of file name extensions, read by the readers and the writers alike, and
the detection of a list's format from its name and first bytes.

``FORMATS`` lists every format with the extensions that ask for it, whether nami reads it (and with
which reader: a ``.tsv`` is read by the CSV reader, with a tab as the default delimiter) and whether
it writes it. ``INPUT_FORMATS`` and ``OUTPUT_FORMATS`` are the values of ``--input-format`` and
``--format``, in the order the CLI lists them; ``choices`` makes the CLI's enum of them.

Detection (``detect_format``): an OLE header is an XLS workbook; a zip archive is an ODS workbook when
it names the ODF spreadsheet type (or is called ``.ods``), else XLSX; otherwise the extension decides;
without a known one (stdin too) a first character ``[`` or ``{`` is JSON, anything else CSV. Whether
a JSON document is one document or JSON Lines is decided from its first lines (``json_kind``).

This module imports nothing heavy: the CLI builds its option types from it at start-up.
"""

from __future__ import annotations

import codecs
import os
from enum import Enum
from typing import NamedTuple

__all__ = [
    "FORMATS",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "WORKBOOKS",
    "choices",
    "detect_format",
    "output_format",
    "read_format",
]


class FileFormat(NamedTuple):
    """A format: its name, the extensions that ask for it, the reader that reads it (None: not read),
    and whether nami writes it."""

    name: str
    extensions: tuple[str, ...]
    reader: str | None
    writes: bool


FORMATS = (
    FileFormat("csv", (".csv", ".txt"), "csv", writes=True),
    FileFormat("tsv", (".tsv", ".tab"), "csv", writes=True),  # read as CSV, a tab by default
    FileFormat("xlsx", (".xlsx", ".xlsm"), "xlsx", writes=True),
    FileFormat("xls", (".xls",), "xls", writes=False),
    FileFormat("ods", (".ods",), "ods", writes=False),
    FileFormat("json", (".json",), "json", writes=True),
    FileFormat("jsonl", (".jsonl", ".ndjson"), "jsonl", writes=True),
    FileFormat("ocds", (), "ocds", writes=False),  # JSON by its extension; OCDS by its content
)

INPUT_FORMATS = ("csv", "xlsx", "xls", "ods", "json", "jsonl", "ocds")
"""``--input-format``'s values: every reader of ``FORMATS``, in the CLI's order (checked below)."""
OUTPUT_FORMATS = ("csv", "tsv", "xlsx", "jsonl", "json")
"""``--format``'s values: every format of ``FORMATS`` that is written, in the CLI's order."""
WORKBOOKS = ("xlsx", "xls", "ods")

_BY_EXTENSION = {ext: fmt for fmt in FORMATS for ext in fmt.extensions}

if {f.reader for f in FORMATS if f.reader} != set(INPUT_FORMATS) or {
    f.name for f in FORMATS if f.writes
} != set(OUTPUT_FORMATS):  # pragma: no cover - a table edited on one side only
    raise AssertionError("INPUT_FORMATS and OUTPUT_FORMATS must list the readers and writers of FORMATS")

SNIFF_CHARS = 1 << 16  # bytes of a file read to detect its format and check that it is text
STDIN_SAMPLE = 1 << 20  # ... of stdin (which cannot be read again: its encoding is decided on these)
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _extension(path: str | None) -> str:
    return os.path.splitext(path)[1].lower() if path and path != "-" else ""


def read_format(path: str | None) -> FileFormat | None:
    """The format a file name asks for when it is read, or None (no known extension, or stdin)."""
    fmt = _BY_EXTENSION.get(_extension(path))
    return fmt if fmt is not None and fmt.reader is not None else None


def output_format(path: str | None) -> str | None:
    """The output format an ``-o`` file name asks for (``.csv .tsv .xlsx .jsonl .ndjson .json``), or None."""
    fmt = _BY_EXTENSION.get(_extension(path))
    return fmt.name if fmt is not None and fmt.writes else None


def choices(name: str, values: tuple[str, ...]) -> type[Enum]:
    """An enum of ``values`` (member name = value) for a CLI option that accepts them."""
    return Enum(name, [(value, value) for value in values], type=str)  # type: ignore[return-value]


def detect_format(path: str, head: bytes) -> str:
    """The reader for a file: from its first bytes and its name (see the module docstring)."""
    if head.startswith(XLS_MAGIC):
        return "xls"
    ext = _extension(path)
    if head.startswith(ZIP_MAGIC):
        return "ods" if _ODS_MIME in head[:256] or ext == ".ods" else "xlsx"
    fmt = read_format(path)
    if fmt is not None and fmt.reader is not None:
        return fmt.reader
    return "json" if first_char(head) in ("[", "{") else "csv"


def first_char(head: bytes) -> str:
    text = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    stripped = text.lstrip()
    return chr(stripped[0]) if stripped else ""


def json_kind(head: bytes) -> str:
    """'json' (one document: an array or an object, maybe pretty-printed) or 'jsonl' (one object a line).

    JSON Lines: the first line is an object on its own line; or it looks like one (``{...}``, at the
    start of the line) but is broken, and another line of the sample is an object on its own (a pretty
    printed document has only ``{`` on its first line)."""
    text = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    text = text.lstrip()
    if text[:1] == b"[":
        return "json"
    lines = text.split(b"\n")
    if len(lines) < 2:  # a single line (or longer than the sample): one document, streamed
        return "json"
    first = lines[0].rstrip()
    if _json_object(first):
        return "jsonl"
    if len(first) > 1 and first.endswith(b"}"):
        complete = lines[1:-1]  # the last one may be cut off by the sample
        if any(line[:1] == b"{" and _json_object(line.rstrip()) for line in complete[:1000]):
            return "jsonl"
    return "json"


def _json_object(line: bytes) -> bool:
    import json

    try:
        return isinstance(json.loads(line.decode("utf-8", "replace")), dict)
    except (ValueError, RecursionError):
        return False
