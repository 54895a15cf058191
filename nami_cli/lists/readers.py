"""Read a purchase list or spend export row by row: CSV, XLSX, XLS, ODS, JSON array, JSON Lines, OCDS.

Use::

    with open_list("spend.csv") as source:     # or source = open_list(...); ...; source.close()
        source.headers, source.decimal          # known before the first row
        for row in source.rows():               # streamed; rows() can be iterated once
            row.row, row.cells, row.error

``ListSource.size`` and ``bytes_read()`` give progress in bytes (files only).

Every problem that stops the whole file (missing, empty, binary, undecodable, no header, JSON syntax
error, unknown sheet) raises ``NamiError`` with ``file`` and, where there is one, ``line``/``column`` --
also from inside ``rows()`` when the problem is further down a streamed file. A problem with one row
never raises: the row comes with ``error`` set and keeps its cells.

How it is split, the way table libraries split it: ``open_list`` opens the bytes and reads the head;
``formats`` detects the format (one extension table for readers and writers); ``encoding`` decides a
text file's encoding; the reader registered for the format in ``READERS`` (one module per format in
``lists/read/``, each a function ``Opened -> ListSource``) reads the rows. Each module's docstring holds
its format's decisions. Shared by all:

- Row numbers (``SourceRow.row``) are spreadsheet rows: the header is row 1, the first data row 2.
- Blank records (no cells, or only empty cells) are skipped: they hold no data. They still count for the
  row numbers of the rows after them, and ``ListSource.blank_rows`` says how many were skipped.
- ``decimal`` comes from ``detect_decimal`` over the number-like cells of the first 500 rows; without
  evidence a ``;`` or tab separated CSV is Dutch (``,``) and a ``,`` separated one English (``.``).
  XLSX, JSON and OCDS numbers are converted to text with a ``.``: their default is ``.``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import IO, Any

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Msg
from nami_cli.lists.formats import INPUT_FORMATS, SNIFF_CHARS, STDIN_SAMPLE, WORKBOOKS, detect_format
from nami_cli.lists.read.base import ListSource, Opened, SourceRow
from nami_cli.lists.read.csv import open_csv
from nami_cli.lists.read.json import open_json
from nami_cli.lists.read.jsonl import open_jsonl
from nami_cli.lists.read.ocds import OCDS_HEADERS
from nami_cli.lists.read.sheets import open_sheet

__all__ = ["INPUT_FORMATS", "OCDS_HEADERS", "READERS", "ListSource", "SourceRow", "open_list"]

READERS: dict[str, Callable[[Opened], ListSource]] = {
    "csv": open_csv,
    "xlsx": open_sheet,
    "xls": open_sheet,
    "ods": open_sheet,
    "json": open_json,
    "jsonl": open_jsonl,
    "ocds": open_json,  # JSON or JSON Lines, every document read as OCDS
}
"""The reader of each input format (``formats.INPUT_FORMATS``): a new format is a module and a line."""

if set(READERS) != set(INPUT_FORMATS):  # pragma: no cover - a format added on one side only
    raise AssertionError("READERS must have a reader for each of formats.INPUT_FORMATS")


class _Prefixed(io.RawIOBase):
    """Bytes already read (to sniff them) followed by the rest of a stream that cannot seek (stdin)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _open_bytes(path: str) -> tuple[IO[bytes], str, bool]:
    if path == "-":
        return sys.stdin.buffer, "<stdin>", False
    try:
        if os.path.isdir(path):
            raise NamiError(Problem(Msg("list.is_folder"), file=path))
        return open(path, "rb"), path, True  # closed by the ListSource
    except FileNotFoundError:
        raise NamiError(Problem(Msg("list.not_found"), file=path)) from None
    except OSError as exc:
        raise NamiError(
            Problem(Msg("list.cannot_read", reason=exc.strerror or str(exc)), file=path)
        ) from None


def _read_head(stream: IO[bytes], seekable: bool, size: int) -> tuple[bytes, IO[bytes]]:
    """The first ``size`` bytes, and a stream that still starts at the beginning."""
    head = stream.read(size)
    if seekable:
        stream.seek(0)
        return head, stream
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)


def open_list(path: str, *, sheet: str | None = None, input_format: str | None = None) -> ListSource:
    """Open a purchase list or spend export (``path`` ``-``: stdin, sniffed as CSV, JSON or a workbook).

    ``input_format`` (a value of ``INPUT_FORMATS``) overrides detection by extension and content;
    ``sheet`` picks a workbook's sheet by name (or by number, 1 = first). Returns a ``ListSource``;
    close it (or use ``with``). Raises ``NamiError`` for a file that cannot be read. stdin itself is
    never closed.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise NamiError(
            Problem(Msg("list.unknown_format", format=repr(input_format), formats=", ".join(INPUT_FORMATS)))
        )
    raw, file, seekable = _open_bytes(path)
    head_size = SNIFF_CHARS if seekable else STDIN_SAMPLE
    stream: IO[bytes] | None = None
    try:
        head, stream = _read_head(raw, seekable, head_size)
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise NamiError(Problem(Msg("list.empty"), file=file))
        fmt = input_format or detect_format(path, head)
        if sheet is not None and fmt not in WORKBOOKS:
            raise NamiError(Problem(Msg("list.sheet_only_workbooks"), file=file))
        source = READERS[fmt](Opened(stream, head, seekable, file, path, sheet, fmt))
        if seekable and fmt not in WORKBOOKS:
            source.size = os.fstat(stream.fileno()).st_size
            source._raw = stream
        return source
    except BaseException:
        if stream is not None:
            stream.close()  # for stdin a wrapper: stdin itself stays open
        elif seekable:
            raw.close()
        raise
