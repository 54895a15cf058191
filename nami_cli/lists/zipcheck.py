"""Limits of zip-based workbooks (XLSX, ODS), checked before any spreadsheet library parses them.

A workbook is a zip of XML parts. A hostile or broken one can hold a part that inflates to gigabytes
(a "zip bomb"), a zip header that understates a part's size, a sheet of millions of empty rows, a row of
millions of cells, or a cell reference beyond the last column a sheet can have. Spreadsheet libraries
hold shared strings (and, for some, the whole sheet) in memory, so these are checked first, streaming:

- every part's declared size, and its *actual* inflated size while inflating it (never more than the
  limit plus one chunk is inflated; a part that inflates past its declared size is refused);
- for the XML of a sheet: the number of rows, the highest row number, the most cells in one row, the
  highest column of a cell reference and the number of cells (``SheetStats``).

Each broken limit raises ``NamiError`` (exit 3) with the file, what was found and how to go on (save
the sheet as CSV). ``check_zip`` returns the parts by name.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Msg, count_text

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "SheetStats", "check_zip", "inflate", "scan_xlsx_sheet"]

MAX_ENTRIES = 10_000  # parts in one workbook
MAX_PART = 2 << 30  # one part, uncompressed: a sheet of a million rows fits
MAX_TOTAL = 4 << 30  # all parts together, uncompressed
MAX_SHARED = 64 << 20  # the shared strings of an XLSX: every reader keeps them in memory
MAX_ROWS = 1_048_576  # a sheet's last row (Excel, LibreOffice)
MAX_COLUMNS = 16_384  # a sheet's last column, XFD
MAX_CELLS = 60_000_000  # cells in one sheet
CHUNK = 1 << 20  # inflated bytes handled at a time


@dataclass
class SheetStats:
    """What the XML of one sheet holds (see ``scan_xlsx_sheet``)."""

    rows: int = 0  # <row> elements
    last_row: int = 0  # the highest row number (r="...") or the row count, whichever is higher
    cells: int = 0  # <c> elements
    row_cells: int = 0  # the most <c> elements in one row
    last_column: int = 0  # the highest column of a cell reference (1 = A)
    unplaced: bool = False  # some cells have no reference (their place is their order)

    @property
    def width(self) -> int:
        """The columns a dense table of the sheet needs (at most)."""
        return max(self.last_column, self.row_cells) if self.unplaced else self.last_column

    @property
    def dense_cells(self) -> int:
        """Cells of a dense table from A1 to the last row and column: what a reader that holds the
        whole sheet allocates."""
        return self.last_row * self.width


def _problem(file: str, message: Msg) -> NamiError:
    return NamiError(Problem(Msg("zip.as_csv", message=message), file=file))


def check_zip(
    stream: IO[bytes], file: str, *, limits: Callable[[str], int] | None = None
) -> dict[str, zipfile.ZipInfo]:
    """Check the zip directory: entries, declared sizes (``limits(name)`` gives a part's limit; default
    ``MAX_PART``) and compression methods. Returns the parts by name."""
    try:
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NamiError(Problem(Msg("zip.damaged_archive", error=str(exc)), file=file)) from None
    if len(infos) > MAX_ENTRIES:
        raise _problem(
            file, Msg("zip.too_many_parts", n=count_text(len(infos)), limit=count_text(MAX_ENTRIES))
        )
    total = 0
    parts: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        limit = limits(info.filename) if limits else MAX_PART
        if info.file_size > limit:
            raise _problem(
                file,
                Msg(
                    "zip.part_too_big",
                    part=info.filename,
                    size=count_text(info.file_size),
                    limit=count_text(limit),
                ),
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NamiError(
                Problem(
                    Msg("zip.compression", part=info.filename, method=info.compress_type),
                    file=file,
                )
            )
        total += info.file_size
        parts[info.filename] = info
    if total > MAX_TOTAL:
        raise _problem(file, Msg("zip.total_too_big", size=count_text(total), limit=count_text(MAX_TOTAL)))
    return parts


def inflate(
    stream: IO[bytes],
    info: zipfile.ZipInfo,
    file: str,
    limit: int,
    feed: Callable[[bytes], None] | None = None,
) -> int:
    """Inflate one part from the raw zip data, ``CHUNK`` bytes at a time, handing each chunk to ``feed``;
    the actual size. Refused (``NamiError``) as soon as it passes ``limit`` or its declared size."""
    stream.seek(info.header_offset)
    header = stream.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise NamiError(Problem(Msg("zip.part_damaged", part=info.filename), file=file))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    stream.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    allowed = min(limit, info.file_size)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    size = 0
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        else:
            data = stream.read(min(left, 1 << 16))
            if not data:
                break
            left -= len(data)
        try:
            out = inflater.decompress(data, CHUNK) if inflater is not None else data
        except zlib.error as exc:
            raise NamiError(
                Problem(Msg("zip.part_error", part=info.filename, error=str(exc)), file=file)
            ) from None
        size += len(out)
        if size > allowed:
            if size > info.file_size:
                raise _problem(
                    file,
                    Msg("zip.inflates_beyond", part=info.filename, size=count_text(info.file_size)),
                )
            raise _problem(
                file,
                Msg("zip.part_over_limit", part=info.filename, limit=count_text(limit)),
            )
        if feed is not None and out:
            feed(out)
        if inflater is not None and inflater.eof:
            break
    return size


_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="([0-9]{1,12})"')
_CELL_COLUMN = re.compile(rb'<c\b[^>]*?\sr="([A-Za-z]{1,12})')
_ROW_NUMBER_FIRST = re.compile(rb'<row r="([0-9]{1,12})"')
_CELL_COLUMN_FIRST = re.compile(rb'<c r="([A-Za-z]{1,12})')


def _cells(data: bytes) -> int:
    return data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")


def column_index(letters: bytes) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class _SheetScanner:
    """Counts rows and cells of sheet XML fed in chunks (tags may be cut between chunks)."""

    def __init__(self, file: str = "", sheet: str = "") -> None:
        self.file = file
        self.sheet = sheet
        self.stats = SheetStats()
        self._carry = b""
        self._open_row = 0  # cells of the row still open at the end of the last chunk
        self._placed = 0  # cells with a reference
        self._columns: set[bytes] = set()

    def feed(self, data: bytes) -> None:
        data = self._carry + data
        cut = data.rfind(b">") + 1
        if cut == 0:  # no tag end at all (a long text): keep only what could start a tag
            self._carry = data[-64:]
            return
        self._carry = data[cut:][-4096:]
        self._count(data[:cut])
        st = self.stats
        if (
            st.rows > MAX_ROWS
            or st.cells > MAX_CELLS
            or max(st.last_row, st.rows) > MAX_ROWS
            or (max(st.row_cells, self._open_row) > MAX_COLUMNS)
        ):  # stop early
            self.finish()
            _check_sheet(st, self.file, self.sheet)

    def _count(self, data: bytes) -> None:
        st = self.stats
        cells = _cells(data)
        rows = data.count(b"<row")
        st.cells += cells
        st.rows += rows
        columns = _CELL_COLUMN_FIRST.findall(data)  # r="" as the first attribute: the usual case
        if len(columns) < cells:
            columns = _CELL_COLUMN.findall(data)
        self._placed += len(columns)
        if columns:
            self._columns.update(columns)
        if len(columns) < cells or self._open_row + cells > MAX_COLUMNS:  # count the cells of each row
            counts = [_cells(s) for s in data.split(b"<row")]
            st.row_cells = max(st.row_cells, self._open_row + counts[0], max(counts[1:-1], default=0))
            self._open_row = counts[-1] if rows else self._open_row + counts[0]
        elif rows:
            self._open_row = _cells(data[data.rfind(b"<row") :])
        else:
            self._open_row += cells
        if rows:
            numbers = _ROW_NUMBER_FIRST.findall(data)
            if len(numbers) < rows:
                numbers = _ROW_NUMBER.findall(data)
            if numbers:
                st.last_row = max(st.last_row, max(map(int, numbers)))

    def finish(self) -> SheetStats:
        if self._carry:
            self._count(self._carry)
        st = self.stats
        st.row_cells = max(st.row_cells, self._open_row)
        st.last_row = max(st.last_row, st.rows)
        if self._columns:
            st.last_column = max(column_index(c) for c in self._columns)
        st.unplaced = self._placed < st.cells
        return st


def scan_xlsx_sheet(stream: IO[bytes], info: zipfile.ZipInfo, file: str, sheet: str) -> SheetStats:
    """Inflate the XML of one sheet (checking its size) and count its rows and cells; refuse a sheet
    beyond the limits of a spreadsheet (rows, columns, cells)."""
    scanner = _SheetScanner(file, sheet)
    inflate(stream, info, file, MAX_PART, scanner.feed)
    st = scanner.finish()
    _check_sheet(st, file, sheet)
    return st


def _check_sheet(st: SheetStats, file: str, sheet: str) -> None:
    where = Msg("zip.sheet", sheet=repr(sheet))
    if st.rows > MAX_ROWS:
        raise _problem(file, Msg("zip.too_many_rows", where=where, limit=count_text(MAX_ROWS)))
    if st.last_row > MAX_ROWS:
        raise _problem(
            file, Msg("zip.rows_beyond", where=where, row=count_text(st.last_row), limit=count_text(MAX_ROWS))
        )
    if st.last_column > MAX_COLUMNS:
        raise _problem(
            file,
            Msg(
                "zip.column_beyond",
                where=where,
                column=count_text(st.last_column),
                limit=count_text(MAX_COLUMNS),
            ),
        )
    if st.row_cells > MAX_COLUMNS:
        raise _problem(
            file,
            Msg(
                "zip.row_too_wide", where=where, cells=count_text(st.row_cells), limit=count_text(MAX_COLUMNS)
            ),
        )
    if st.cells > MAX_CELLS:
        raise _problem(file, Msg("zip.too_many_cells", where=where, limit=count_text(MAX_CELLS)))
