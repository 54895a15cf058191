"""Workbooks: XLSX, XLS and ODS through python-calamine; an XLSX sheet too large to hold in memory
through openpyxl's streaming reader.

- The first worksheet, or ``--sheet`` by name (any case) or number (1 = the first). When the sheet has
  no header, the message names the other sheets and their first headers.
- The header is the first row with a non-empty cell. Row numbers are the sheet's own (a header in
  row 3 makes the first data row 4). A short row is normal (empty trailing cells) and no error.
- Cells become text that round-trips: whole numbers without ``.0``, other numbers as Python's shortest
  repr, dates as ``2024-03-01``, date-times as ``2024-03-01 12:30:00``, booleans TRUE/FALSE. A formula
  gives the value last computed and saved (a workbook written by a program that does not compute has
  none: the cell is empty). ``column_kinds`` keeps each column's type for an output that keeps types.
- Limits are checked before a library parses the file (``zipcheck``: part sizes, inflation ratios,
  rows and cells of each XLSX sheet); a workbook on stdin is spooled to a temporary file first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Msg, count_text
from nami_cli.lists.cells import detect_decimal
from nami_cli.lists.formats import XLS_MAGIC, ZIP_MAGIC
from nami_cli.lists.read.base import LOOKAHEAD_ROWS, SAMPLE_ROWS, ListSource, Opened, SourceRow, value_text


def open_sheet(opened: Opened) -> ListSource:
    """The reader of ``xlsx``, ``xls`` and ``ods``."""
    return _open_workbook(
        opened.stream, opened.file, opened.seekable, opened.sheet, opened.format, opened.head
    )


MAX_SPOOL = 2 << 30  # a workbook read from stdin is kept in a temporary file up to this size


def _spool(stream: IO[bytes], spool: IO[bytes], file: str) -> None:
    size = 0
    while chunk := stream.read(1 << 20):
        size += len(chunk)
        if size > MAX_SPOOL:
            raise NamiError(
                Problem(Msg("list.stdin_workbook_too_big", limit=count_text(MAX_SPOOL)), file=file)
            )
        spool.write(chunk)
    spool.seek(0)


def _xlsx_part_limit(name: str) -> int:
    from nami_cli.lists import zipcheck

    if name == "content.xml":  # an ODS sheet: python-calamine holds it whole (about 3.3 bytes a byte)
        return MAX_ODS_CONTENT
    return zipcheck.MAX_SHARED if name.lower().endswith("sharedstrings.xml") else zipcheck.MAX_PART


CALAMINE_CELLS = 3_000_000
"""The most cells (of the dense table from A1 to the last used cell) an XLSX sheet may have to be read by
python-calamine, which holds the whole sheet in memory (about 60 bytes a cell); a larger sheet is
streamed by openpyxl (flat memory, slower)."""
MAX_XLS_BYTES = 64 << 20  # an .xls file (at most 65,536 rows x 256 columns)
MAX_ODS_CONTENT = 96 << 20  # the XML of an ODS workbook's sheets (100,000 rows of 10 columns: 71 MB)


def _open_workbook(
    stream: IO[bytes], file: str, seekable: bool, sheet: str | None, fmt: str, head: bytes
) -> ListSource:
    """Check a workbook's limits (zipcheck) before a library parses it, then open it: python-calamine
    (XLSX, XLS, ODS), or openpyxl's streaming reader for an XLSX sheet too large to hold in memory."""
    from nami_cli.lists import zipcheck

    closers: list[Callable[[], object]] = [stream.close]
    try:
        if not seekable:  # the readers need to seek: spool stdin to a temporary file
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the source
            closers.append(spool.close)
            _spool(stream, spool, file)
            stream = spool
        name = {"xlsx": "XLSX", "xls": "XLS", "ods": "ODS"}[fmt]
        if fmt == "xls":
            if not head.startswith(XLS_MAGIC):
                raise NamiError(Problem(Msg("list.not_xls"), file=file))
            size = stream.seek(0, os.SEEK_END)
            if size > MAX_XLS_BYTES:
                raise NamiError(
                    Problem(
                        Msg("list.xls_too_big", size=count_text(size), limit=count_text(MAX_XLS_BYTES)),
                        file=file,
                    )
                )
            stream.seek(0)
            return _CalamineSource(stream, file, sheet, fmt, closers)
        if not head.startswith(ZIP_MAGIC):
            raise NamiError(Problem(Msg("list.not_zip_workbook", name=name, fmt=fmt), file=file))
        parts = zipcheck.check_zip(stream, file, limits=_xlsx_part_limit)
        small = True
        for part, info in parts.items():  # the inflated sizes, and the sheets' rows and cells
            if fmt == "xlsx" and part.endswith(".xml") and "/worksheets/" in part:
                stats = zipcheck.scan_xlsx_sheet(
                    stream, info, file, part.rsplit("/", 1)[-1].removesuffix(".xml")
                )
                small = small and stats.dense_cells <= CALAMINE_CELLS
            elif part.endswith(".xml"):
                zipcheck.inflate(stream, info, file, _xlsx_part_limit(part))
        stream.seek(0)
        if fmt == "xlsx" and not small:
            return _XlsxSource(stream, file, sheet, closers)
        return _CalamineSource(stream, file, sheet, fmt, closers)
    except BaseException:
        for close in reversed(closers[1:]):
            close()
        raise


def _sheet_rows(
    source: ListSource,
    rows: Iterator[tuple[int, Any]],
    text: Callable[[Any], str],
    others: Callable[[], list[tuple[str, list[str]]]] | None = None,
) -> tuple[Iterator[tuple[int, Any]], list[str], list[tuple[int, Any]]]:
    """Header (the first row with a non-empty cell) and the look-ahead rows of a sheet. An empty sheet
    is an error; with ``others`` (the sheet was not chosen with ``--sheet``) it names a sheet to try."""
    header: list[str] | None = None
    for _, values in rows:
        cells = [text(v) for v in values]
        if any(c.strip() for c in cells):
            header = cells
            break
    if header is None:
        from nami_cli.lists.columns import sheets_hint

        hint = sheets_hint(others()) if others is not None else ""
        raise source.problem(Msg("list.sheet_empty", sheet=repr(source.sheet), hint=hint))
    while header and not header[-1].strip():
        header.pop()
    return rows, header, list(itertools.islice(rows, LOOKAHEAD_ROWS))


class _CalamineSource(ListSource):
    """A sheet of an XLSX, XLS or ODS workbook, read by python-calamine (checked by ``_open_workbook``)."""

    def __init__(
        self, stream: IO[bytes], file: str, sheet: str | None, fmt: str, closers: list[Callable[[], object]]
    ) -> None:
        super().__init__(file)
        import python_calamine

        self.format = fmt
        self._closers.extend(closers)
        try:
            wb = python_calamine.CalamineWorkbook.from_filelike(stream)
        except Exception as exc:  # calamine's errors: zip, XML, OLE, password
            raise self.problem(Msg("list.unreadable_workbook", fmt=fmt.upper(), error=str(exc))) from None
        self._closers.append(wb.close)
        names = [m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")] or list(
            wb.sheet_names
        )
        if not names:
            raise self.problem(Msg("list.no_worksheet"))
        chosen = names[0] if sheet is None else _pick_name(self, list(wb.sheet_names), sheet)
        try:
            ws = wb.get_sheet_by_name(chosen)
        except Exception as exc:
            raise self.problem(Msg("list.sheet_unreadable", sheet=repr(chosen), error=str(exc))) from None
        self.sheet = chosen
        self._wb, self._names = wb, names
        first_row, first_col = ws.start or (0, 0)
        pad = [""] * first_col

        def rows() -> Iterator[tuple[int, Any]]:
            for number, values in enumerate(ws.iter_rows(), start=first_row + 1):
                yield number, [*pad, *values] if pad else values

        self._iter, self.headers, self._lookahead = _sheet_rows(
            self, self._guarded(rows()), value_text, None if sheet is not None else self.other_sheets
        )
        sample = (v for _, values in self._lookahead for v in values if type(v) is str)
        self.decimal = detect_decimal(sample, default=".")

    def _guarded(self, rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        number = 0
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a cell that calamine cannot convert
                raise self.problem(
                    Msg("list.cell_unreadable", sheet=repr(self.sheet), row=number + 1, error=str(exc))
                ) from None
            yield number, values

    def sample(self) -> list[list[str]]:
        return [[value_text(v) for v in values] for _, values in self._lookahead[:SAMPLE_ROWS]]

    def column_kinds(self) -> list[str] | None:
        return _workbook_kinds(len(self.headers), self._lookahead)

    def other_sheets(self) -> list[tuple[str, list[str]]]:
        found = []
        for name in self._names:
            if name == self.sheet:
                continue
            try:
                ws = self._wb.get_sheet_by_name(name)
                found.append((name, _first_row(itertools.islice(ws.iter_rows(), SHEET_HEADER_ROWS))))
            except Exception:  # a sheet that cannot be read is no candidate
                continue
        return found

    def _rows(self) -> Iterator[SourceRow]:
        yield from _workbook_rows(self, itertools.chain(self._lookahead, self._iter))


SHEET_HEADER_ROWS = 50
"""How many rows of another sheet are read to find its header row (for ``other_sheets``)."""


def _workbook_kinds(width: int, rows: list[tuple[int, Any]]) -> list[str]:
    """Each column's kind from the typed cells of the look-ahead rows: one kind for all its cells, or
    ``auto`` (mixed, or no cell)."""
    seen: list[set[str]] = [set() for _ in range(width)]
    for _, values in rows:
        for index, value in enumerate(values[:width]):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                seen[index].add("text")
            elif isinstance(value, bool):
                seen[index].add("auto")
            elif isinstance(value, (int, float)):
                seen[index].add("number")
            elif isinstance(value, (dt.date, dt.datetime)):
                seen[index].add("date")
            else:
                seen[index].add("auto")
    return [kinds.pop() if len(kinds) == 1 else "auto" for kinds in seen]


def _first_row(rows: Iterable[Any]) -> list[str]:
    for values in rows:
        cells = [value_text(v) for v in values]
        if any(c.strip() for c in cells):
            while not cells[-1].strip():
                cells.pop()
            return cells
    return []


def _workbook_rows(source: ListSource, rows: Iterable[tuple[int, Any]]) -> Iterator[SourceRow]:
    width = len(source.headers)
    text = value_text
    for number, values in rows:
        cells = [text(v) for v in values]
        n = len(cells)
        if not any(cells):
            source.blank_rows += 1
            continue
        error = None
        if n < width:
            cells.extend([""] * (width - n))
        elif n > width:
            extra = cells[width:]
            del cells[width:]
            if any(extra):
                shown = ", ".join(json.dumps(c, ensure_ascii=False) for c in extra if c)
                error = f"cells beyond the last header column: {shown}"
        yield SourceRow(number, cells, error)


def _pick_name(source: ListSource, names: list[str], sheet: str) -> str:
    """The sheet ``sheet`` names: its name (any case) or its number (1 = the first)."""
    if sheet in names:
        return sheet
    folded = {n.casefold(): n for n in names}
    chosen = folded.get(sheet.strip().casefold(), "")
    if not chosen and sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
        chosen = names[int(sheet) - 1]
    if not chosen:
        listed = ", ".join(repr(n) for n in names)
        raise source.problem(Msg("list.no_sheet", sheet=repr(sheet), listed=listed))
    return chosen


class _XlsxSource(ListSource):
    format = "xlsx"

    def __init__(
        self, stream: IO[bytes], file: str, sheet: str | None, closers: list[Callable[[], object]]
    ) -> None:
        super().__init__(file)
        from openpyxl import load_workbook

        self._closers.extend(closers)
        try:
            wb = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike
            raise self.problem(Msg("list.unreadable_workbook", fmt="XLSX", error=str(exc))) from None
        self._closers.append(wb.close)
        names = list(wb.sheetnames)
        worksheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
        if sheet is None:
            if not worksheets:
                raise self.problem(Msg("list.no_worksheet"))
            ws = worksheets[0]
        else:
            ws = self._pick_sheet(wb, names, sheet)
        self.sheet = ws.title
        self._wb = wb
        ws.reset_dimensions()  # some writers store a wrong size; read what is there
        rows = self._guarded(enumerate(ws.iter_rows(values_only=True), start=1))
        self._iter, self.headers, self._lookahead = _sheet_rows(
            self, rows, value_text, None if sheet is not None else self.other_sheets
        )
        sample = (value_text(v) for _, values in self._lookahead for v in values if type(v) is str)
        self.decimal = detect_decimal(sample, default=".")

    def _guarded(self, rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """The rows of openpyxl; an error of the library (a broken cell: a shared string that is not
        there, a date like 99999-99-99, a number that is not one) stops the file with the row number."""
        number = 0
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # openpyxl raises what its parsing meets
                if isinstance(exc, IndexError):
                    exc = ValueError("a shared string that is not in the workbook")
                raise self.problem(
                    Msg("list.cell_unreadable_after", sheet=repr(self.sheet), row=number + 1, error=str(exc))
                ) from None
            yield number, values

    def other_sheets(self) -> list[tuple[str, list[str]]]:
        found = []
        for ws in self._wb.worksheets:
            if ws.title == self.sheet or not hasattr(ws, "iter_rows"):
                continue
            try:
                found.append(
                    (ws.title, _first_row(ws.iter_rows(max_row=SHEET_HEADER_ROWS, values_only=True)))
                )
            except Exception:  # a sheet that cannot be read is no candidate
                continue
        return found

    def _pick_sheet(self, wb: Any, names: list[str], sheet: str) -> Any:
        chosen = _pick_name(self, names, sheet)
        ws = wb[chosen]
        if not hasattr(ws, "iter_rows"):
            raise self.problem(Msg("list.sheet_is_chart", sheet=repr(chosen)))
        return ws

    def sample(self) -> list[list[str]]:
        return [[value_text(v) for v in values] for _, values in self._lookahead[:SAMPLE_ROWS]]

    def column_kinds(self) -> list[str] | None:
        return _workbook_kinds(len(self.headers), self._lookahead)

    def _rows(self) -> Iterator[SourceRow]:
        yield from _workbook_rows(self, itertools.chain(self._lookahead, self._iter))
