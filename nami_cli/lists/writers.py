"""Write the annotated list: csv, tsv, xlsx, jsonl or json, streamed and (for files) atomic.

``open_writer(path, fmt, headers, delimiter=..., encoding=...)`` returns a ``Writer``; call
``write(cells)`` once per row and ``close()`` at the end, or use it as a context manager: leaving the
``with`` block by an exception removes the temporary file and leaves any existing output untouched.
A writer that is never closed leaves its output unwritten (only a temporary ``.NAME.*.tmp`` file).
``path=None`` writes to stdout (not atomic).

Decisions:

- csv: the given delimiter and encoding (``utf-8``, ``utf-8-sig`` for a BOM, ``cp1252``), ``\\r\\n`` line
  ends, minimal quoting. ``fmt="tsv"`` is csv with a tab. Characters that Windows-1252 cannot hold are
  written as ``?`` (the five bytes Windows-1252 leaves undefined, read as U+0081 etc., are written back as
  the same byte, so a cp1252 file round-trips byte for byte).
- Formula neutralisation (csv and xlsx): a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return gets a ``'`` in front, except a plain signed number (``-12,50``, ``-1.234,56``, ``+3``: a sign,
  then only digits, dots and commas), which a spreadsheet reads as a number, never as a formula.
- xlsx: one sheet of at most 1,048,576 rows (Excel's limit; a longer list is an error, never cut short).
  Each cell keeps its type, as ``kinds`` gives it per column (``column_kinds``): ``text`` is stored as
  text (``4500`` from a CSV, ``00123``, a CPV code), ``number`` as a number (read with ``decimal``; a
  cell that is not one stays text), ``date`` as a date (ISO text read back; otherwise text). A column
  without a kind (``auto``: the nami columns, JSON, a workbook column of mixed types) stores a plain
  number (``12``, ``-3.5``; no leading zeros, at most 15 digits, a dot as decimal point) as a number and
  everything else as text. Control characters that XLSX cannot hold become U+FFFD.
- jsonl / json: UTF-8, one object per row with the headers as keys (a repeated or empty header gets a
  ``_2``, ``_3``... suffix so that no value is lost); values are strings, ``None`` is ``null``. json is a
  streamed array, never built in memory.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import json
import math
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import IO, Any

from nami_cli.base.atomic import atomic_open
from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Msg, count_text
from nami_cli.lists.formats import OUTPUT_FORMATS, output_format

__all__ = ["KINDS", "OUTPUT_FORMATS", "Writer", "column_kinds", "fmt_from_path", "neutralise", "open_writer"]


def fmt_from_path(path: str | None) -> str | None:
    """The output format an ``-o`` file name asks for (``.csv .tsv .xlsx .jsonl .ndjson .json``), or None."""
    return output_format(path)


# --- formula neutralisation ---------------------------------------------------------------------------

_FORMULA_START = "=+-@\t\r"
_FORMULA_CLASS = "[" + re.escape(_FORMULA_START) + "]"
_PLAIN_SIGNED_NUMBER = re.compile(r"[+-][0-9.,]*[0-9][0-9.,]*")
# A cell (after the first) starts with a formula character: right after a separator of the joined row.
_ROW_DANGER = re.compile("\x00" + _FORMULA_CLASS)
_FIRST_DANGER = frozenset(_FORMULA_START)
ROWS_PER_WRITE = 256  # csv rows collected before one write to the file


def neutralise(cell: str) -> str:
    """``'`` + ``cell`` when a spreadsheet would run it as a formula; plain signed numbers stay numbers."""
    if cell and cell[0] in _FORMULA_START:
        if cell[0] in "+-" and _PLAIN_SIGNED_NUMBER.fullmatch(cell) is not None:
            return cell
        return "'" + cell
    return cell


def _neutralise_row(cells: Sequence[str | None]) -> list[str | None]:
    return [neutralise(c) if c else c for c in cells]


# --- cp1252 output ------------------------------------------------------------------------------------


def _cp1252_out(exc: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        out += bytes([code]) if 0x80 <= code <= 0x9F else b"?"
    return bytes(out), exc.end


codecs.register_error("nami-cp1252-out", _cp1252_out)


def _errors_for(encoding: str) -> str:
    norm = codecs.lookup(encoding).name
    if norm == "cp1252":
        return "nami-cp1252-out"
    if norm.startswith("utf"):
        return "surrogateescape" if norm in ("utf-8", "utf-8-sig") else "strict"
    return "replace"


# --- writers ------------------------------------------------------------------------------------------


class Writer:
    """Write rows of cells (aligned with the headers): ``close()`` commits, an error in ``with`` discards."""

    def __init__(self, headers: list[str]) -> None:
        self.headers = list(headers)
        self._closed = False
        self._cm: AbstractContextManager[IO[Any]] | None = None
        self._stdout_wrapper: io.TextIOWrapper | None = None

    write: Callable[[Sequence[str | None]], None]
    """Write one row: cells aligned with the headers (``None`` is an empty cell)."""

    def write_parts(self, cells: Sequence[str | None], shared: tuple[str, ...], error: str, row: int) -> None:
        """Write one row given in parts: its own input ``cells``, a tuple of cells that many rows share
        (``shared``: a writer may keep its encoded form), then the row's ``error`` ("" for none) and its
        ``row`` number as the last two cells."""
        self.write([*cells, *shared, error, str(row)])

    def _finish(self) -> None:
        pass

    def _discard(self) -> None:
        pass

    def _open_target(self, path: str | None, *, binary: bool, encoding: str, errors: str) -> IO[Any]:
        if path is None:
            if binary:
                return sys.stdout.buffer
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is None:
                return sys.stdout
            sys.stdout.flush()
            self._stdout_wrapper = io.TextIOWrapper(buffer, encoding=encoding, errors=errors, newline="")
            return self._stdout_wrapper
        self._cm = atomic_open(path, "wb" if binary else "w", encoding=encoding, newline="")
        handle = self._cm.__enter__()
        if not binary and isinstance(handle, io.TextIOWrapper):
            handle.reconfigure(errors=errors)
        return handle

    def close(self) -> None:
        """Finish the output; for a file, move it into place."""
        if self._closed:
            return
        try:
            self._finish()
        except BaseException as exc:
            self._release(exc)
            raise
        self._release(None)

    def _release(self, exc: BaseException | None) -> None:
        self._closed = True
        if exc is not None:
            self._discard()
        if self._stdout_wrapper is not None:
            self._stdout_wrapper.flush()
            self._stdout_wrapper.detach()
            self._stdout_wrapper = None
        if self._cm is not None:
            cm, self._cm = self._cm, None
            if exc is None:
                cm.__exit__(None, None, None)
            else:
                cm.__exit__(type(exc), exc, exc.__traceback__)

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
        else:
            if not self._closed:
                self._release(exc)


class _Sink:
    """A file-like target for ``csv.writer`` that hands each written row to ``write`` (a list's append)."""

    __slots__ = ("write",)

    def __init__(self, write: Callable[[str], Any]) -> None:
        self.write = write


class _CsvWriter(Writer):
    def __init__(self, path: str | None, headers: list[str], delimiter: str, encoding: str) -> None:
        super().__init__(headers)
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise NamiError(Problem(Msg("output.unknown_encoding", encoding=repr(encoding)))) from None
        self._fh = self._open_target(path, binary=False, encoding=encoding, errors=_errors_for(encoding))
        self._writer = csv.writer(self._fh, delimiter=delimiter, lineterminator="\r\n")
        try:
            self._writer.writerow(_neutralise_row(headers))
        except BaseException as exc:
            self._release(exc)
            raise

        # Rows are collected as text and handed to the file in batches of ROWS_PER_WRITE: the file
        # encodes and writes one string per batch instead of one (or two) per row.
        pending: list[str] = []
        self._pending = pending
        sink = _Sink(pending.append)
        writerow = csv.writer(sink, delimiter=delimiter, lineterminator="\r\n").writerow
        search = _ROW_DANGER.search
        join = "\x00".join
        first_danger = _FIRST_DANGER
        fh = self._fh

        def spill() -> None:
            fh.write("".join(pending))
            pending.clear()

        self._spill = spill

        # write() is a closure over local names: it runs once per row
        def write(cells: Sequence[str | None]) -> None:
            if len(pending) >= ROWS_PER_WRITE:
                spill()
            try:
                if search(join(cells)) is None and cells[0][:1] not in first_danger:  # type: ignore[arg-type,index]
                    writerow(cells)
                    return
            except (TypeError, IndexError):  # a None among the cells, or no cells
                pass
            writerow(_neutralise_row(cells))

        self.write = write

        # write_parts(): the shared cells (nami's columns, the same for thousands of rows) are
        # serialised once per tuple (found by identity: the entry holds the tuple, so its id is not
        # reused) and written as text after the row's own cells. The row's own cells are joined with the
        # delimiter directly when none of them needs quoting or neutralising -- what csv.writer would
        # write for them, checked in C by count and find: no delimiter, quote or line break inside a
        # cell, and no cell starting with a formula character (after a delimiter, or at the start).
        def serialise(values: Sequence[str | None]) -> str:
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(_neutralise_row(values))
            return buffer.getvalue()

        #: id(shared) -> (shared, its cells serialised between delimiters, with the empty error cell)
        tails: dict[int, tuple[tuple[str, ...], str]] = {}
        append = pending.append
        join_cells = delimiter.join
        cell_danger = re.compile(re.escape(delimiter) + _FORMULA_CLASS).search

        def write_parts(cells: Sequence[str | None], shared: tuple[str, ...], error: str, row: int) -> None:
            if len(pending) >= ROWS_PER_WRITE:
                spill()
            try:
                line = join_cells(cells)  # type: ignore[arg-type]
            except TypeError:  # a None among the cells
                line = ""
            if (
                error
                or not line
                or line.count(delimiter) != len(cells) - 1
                or '"' in line
                or "\n" in line
                or "\r" in line
                or line[0] in first_danger
                or cell_danger(line) is not None
            ):
                write([*cells, *shared, error, str(row)])
                return
            entry = tails.get(id(shared))
            if entry is None:
                if len(tails) > 4096:
                    tails.clear()
                entry = tails[id(shared)] = (shared, delimiter + serialise(shared) + delimiter + delimiter)
            append(f"{line}{entry[1]}{row}\r\n")

        self.write_parts = write_parts  # type: ignore[method-assign]

    def _finish(self) -> None:
        self._spill()
        self._fh.flush()


class _JsonWriter(Writer):
    def __init__(self, path: str | None, headers: list[str], *, lines: bool) -> None:
        super().__init__(headers)
        self._keys = _unique_keys(headers)
        self._lines = lines
        self._fh = self._open_target(path, binary=False, encoding="utf-8", errors="surrogateescape")
        self._dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        if not lines:
            self._fh.write("[")

        self._rows = 0
        self.write = self._write

    def _write(self, cells: Sequence[str | None]) -> None:
        text = self._dumps(dict(zip(self._keys, cells, strict=False)))
        if self._lines:
            self._fh.write(text + "\n")
        else:
            self._fh.write(("\n" if self._rows == 0 else ",\n") + text)
        self._rows += 1

    def _finish(self) -> None:
        if not self._lines:
            self._fh.write("\n]\n" if self._rows else "]\n")
        self._fh.flush()


def _unique_keys(headers: list[str]) -> list[str]:
    seen: set[str] = set()
    keys = []
    for i, h in enumerate(headers):
        key = h if h else f"column_{i + 1}"
        n = 2
        while key in seen:
            key = f"{h or f'column_{i + 1}'}_{n}"
            n += 1
        seen.add(key)
        keys.append(key)
    return keys


XLSX_MAX_ROWS = 1_048_576  # rows of one sheet in Excel (header included); a longer list is refused


_XLSX_INT = re.compile(r"-?[1-9][0-9]{0,14}|0")
_XLSX_FLOAT = re.compile(r"-?(?:[1-9][0-9]*|0)\.[0-9]+")


KINDS = ("text", "number", "date", "auto")


def column_kinds(source_kinds: Sequence[str] | None, width: int, amount: int | None) -> list[str]:
    """The kind of each output column: the source's (``ListSource.column_kinds``; None: all ``auto``),
    with the amount column a number even when the source is text (a CSV)."""
    kinds = list(source_kinds) if source_kinds is not None else ["auto"] * width
    kinds += ["auto"] * (width - len(kinds))
    if amount is not None and amount < len(kinds) and kinds[amount] == "text":
        kinds[amount] = "number"
    return kinds


class _XlsxWriter(Writer):
    def __init__(
        self, path: str | None, headers: list[str], kinds: Sequence[str] | None = None, decimal: str = "."
    ) -> None:
        super().__init__(headers)
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._illegal = ILLEGAL_CHARACTERS_RE
        self._path = path
        self._wb = Workbook(write_only=True)
        self._ws = self._wb.create_sheet("nami")
        self.write = self._write
        self._ws.append([neutralise(self._illegal.sub("\ufffd", h)) or None for h in headers])
        self._rows = 1
        self._decimal = decimal
        converters = {"text": self._text, "number": self._number, "date": self._date, "auto": self._cell}
        given = list(kinds or ())
        self._converters = [converters.get(k, self._cell) for k in given]
        self._kinds_known = any(k != "auto" for k in given)

    def _text(self, value: str | None) -> Any:
        if not value:
            return None
        if self._illegal.search(value) is not None:
            value = self._illegal.sub("\ufffd", value)
        return neutralise(value)

    def _number(self, value: str | None) -> Any:
        if not value:
            return None
        from nami_cli.lists.cells import parse_number

        try:
            number = parse_number(value, self._decimal)
        except ValueError:
            return self._text(value)
        if number is None or not math.isfinite(number) or abs(number) >= 1e15:
            return self._text(value)
        whole = number.is_integer() and value.strip().lstrip("+-").isdigit()
        return int(number) if whole else number

    def _date(self, value: str | None) -> Any:
        if not value:
            return None
        try:
            if len(value) == 10:
                return datetime.date.fromisoformat(value)
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return self._text(value)

    def _cell(self, value: str | None) -> Any:
        if not value:
            return None
        if _XLSX_INT.fullmatch(value) is not None:
            return int(value)
        if len(value) <= 17 and _XLSX_FLOAT.fullmatch(value) is not None and repr(float(value)) == value:
            return float(value)
        if self._illegal.search(value) is not None:
            value = self._illegal.sub("\ufffd", value)
        return neutralise(value)

    def _write(self, cells: Sequence[str | None]) -> None:
        if self._rows >= XLSX_MAX_ROWS:
            raise NamiError(
                Problem(
                    Msg("output.xlsx_rows", limit=count_text(XLSX_MAX_ROWS)),
                    file=self._path or "<stdout>",
                )
            )
        self._rows += 1
        cell = self._cell
        if self._kinds_known:
            convs = self._converters
            n = len(convs)
            self._ws.append([convs[i](c) if i < n else cell(c) for i, c in enumerate(cells)])
        else:
            self._ws.append([cell(c) for c in cells])

    def _finish(self) -> None:
        if self._path is None:
            with tempfile.TemporaryFile() as tmp:
                self._wb.save(tmp)
                tmp.seek(0)
                sys.stdout.flush()
                shutil.copyfileobj(tmp, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            return
        self._cm = atomic_open(self._path, "wb")
        handle = self._cm.__enter__()
        self._save(handle)

    def _save(self, handle: IO[bytes]) -> None:
        """``Workbook.save`` into ``handle``, except that a failed save (a full disk) lets go of the
        handle: otherwise the half-written zip archive tries to finish itself into the closed temporary
        file when it is collected, and prints a traceback at exit."""
        import datetime
        from zipfile import ZIP_DEFLATED, ZipFile

        from openpyxl.writer.excel import ExcelWriter

        archive = ZipFile(handle, "w", ZIP_DEFLATED, allowZip64=True)
        now = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
        self._wb.properties.modified = now
        try:
            ExcelWriter(self._wb, archive).save()
        except BaseException:
            archive.fp = None  # the output is discarded; close() and __del__ leave the handle alone
            raise

    def _discard(self) -> None:
        # remove the temporary file openpyxl streams the sheet into (it would stay until exit)
        with contextlib.suppress(Exception):
            writer = self._ws._writer
            if writer is not None:
                if not self._ws.closed:
                    self._ws.close()
                writer.cleanup()


def open_writer(
    path: str | None,
    fmt: str,
    headers: list[str],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    kinds: Sequence[str] | None = None,
    decimal: str = ".",
) -> Writer:
    """A writer for ``fmt`` (``csv``, ``tsv``, ``xlsx``, ``jsonl``, ``json``) to ``path`` (None: stdout).

    ``delimiter`` and ``encoding`` apply to csv only (tsv always uses a tab); json and jsonl are UTF-8,
    xlsx is binary. File outputs are atomic. ``kinds`` (see ``column_kinds``) and ``decimal`` (how the
    ``number`` columns write their decimals) apply to xlsx only.
    """
    if fmt == "csv":
        return _CsvWriter(path, headers, delimiter or ",", encoding or "utf-8")
    if fmt == "tsv":
        return _CsvWriter(path, headers, "\t", encoding or "utf-8")
    if fmt == "jsonl":
        return _JsonWriter(path, headers, lines=True)
    if fmt == "json":
        return _JsonWriter(path, headers, lines=False)
    if fmt == "xlsx":
        return _XlsxWriter(path, headers, kinds, decimal)
    raise NamiError(
        Problem(Msg("output.unknown_format", format=repr(fmt), formats=", ".join(OUTPUT_FORMATS)))
    )
