"""Read a purchase list or spend export row by row: CSV, XLSX, JSON array, JSON Lines, OCDS.

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

Decisions:

- The header is the first record (CSV) or sheet row (XLSX) with a non-empty cell; names are kept as
  written (matching ignores case and spacing, see columns.py).
- Row numbers (``SourceRow.row``) are spreadsheet rows: the header is row 1, the first data row 2.
  CSV counts records, not lines: a quoted cell with a newline does not shift the next record's number
  (this is how a spreadsheet shows the file). An Excel ``sep=;`` first line is not counted. XLSX uses
  the sheet's own row numbers (a header in row 3 makes the first data row 4). JSON arrays count items
  from 2; JSON Lines use the line number + 1 (so ``row - 1`` is the line in the file); OCDS counts the
  rows it produces (one per item) from 2.
- Blank records (no cells, or only empty cells) are skipped: they hold no data. They still count for the
  row numbers of the rows after them, and ``ListSource.blank_rows`` says how many were skipped.
- Ragged CSV rows: a short row is padded with ``""`` and gets the error ``row has 7 cells, header has
  9``; a long row keeps the header's cells and its extra non-empty cells are quoted in the error (extra
  empty cells, as trailing delimiters write them, are dropped without an error). Header names that are
  empty at the end of the header row are dropped the same way. In XLSX a short row is normal (empty
  trailing cells) and no error.
- Encoding (CSV, JSON, JSON Lines): a UTF-8 BOM gives ``utf-8-sig``. Otherwise the file is checked
  before reading: ASCII stretches are skipped (fast, however long), and the first 4 MiB of stretches
  with other bytes decide: valid UTF-8 gives ``utf-8``; bytes that are not UTF-8 and no UTF-8
  multibyte characters give ``cp1252`` (Windows-1252; its five undefined bytes read as U+0081 etc., so
  nothing fails); a mix of both (a UTF-8 file with a few Windows-1252 bytes) stays ``utf-8``. In a
  ``utf-8`` list every row with bytes that are not UTF-8 (also further on than the check looked, and
  on stdin, whose first MiB decides) reads them as Windows-1252 and gets an error naming the column:
  never a crash, never a silent change. (Left alone: a Windows-1252 list whose first 4 MiB of
  non-ASCII text hold no UTF-8 but which has UTF-8 further on is read as Windows-1252 throughout.)
  UTF-16/32 and binary files are refused with a message.
- ``decimal`` comes from ``detect_decimal`` over the number-like cells of the first 500 rows; without
  evidence a ``;`` or tab separated CSV is Dutch (``,``) and a ``,`` separated one English (``.``).
  XLSX, JSON and OCDS numbers are converted to text with a ``.``: their default is ``.``.
- XLSX (openpyxl, read-only, streamed; first worksheet or ``sheet``): cells become text that
  round-trips: whole numbers without ``.0``, other numbers as Python's shortest repr, dates as
  ``2024-03-01``, date-times as ``2024-03-01 12:30:00``, booleans TRUE/FALSE. A formula gives the value
  Excel last computed and saved (a workbook written by a program that does not compute has none: the
  cell is empty).
- JSON and JSON Lines: each item must be an object; its values become text (strings as they are, numbers
  as above, ``null`` as ``""``, ``true``/``false``, nested arrays and objects as compact JSON). The
  headers are the keys in order of first appearance over the whole file (files are read twice for
  this); for stdin over the first 1000 objects, and a later object with other keys gets an error that
  quotes those keys and values (so nothing is lost). An array item that is not an object, or a JSON
  Lines line that is not valid JSON, is a row error (with the line) and the row stays in the output; a
  syntax error in a JSON array breaks the whole file (exit 3 with line:column).
- OCDS (release package, record package, a single release or record, an array or JSON Lines of them):
  one row per item of ``tender.items`` and of each ``awards[].items``. A release without items gives one
  row for its tender (or one per award) from the titles and values; a release with neither tender nor
  awards, and a record with only linked releases, give one row with an error. Record packages use
  ``compiledRelease`` when present, else every embedded release. Columns: ``OCDS_HEADERS``. ``cpv`` is
  the item classification when its scheme is CPV (else the first CPV additional classification),
  normalised to 8 digits (``45233130.0`` and ``45233130-9`` give ``45233130``); ``amount`` is quantity x
  unit value, else the tender/award value when it has a single item.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import io
import itertools
import json
import os
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import IO, Any, NamedTuple

from nami_cli.base.errors import NamiError, Problem
from nami_cli.lists.cells import MAX_ABS, detect_decimal, normalise_cpv

__all__ = ["INPUT_FORMATS", "OCDS_HEADERS", "ListSource", "SourceRow", "open_list"]

INPUT_FORMATS = ("csv", "xlsx", "xls", "ods", "json", "jsonl", "ocds")
WORKBOOKS = ("xlsx", "xls", "ods")

OCDS_HEADERS = [
    "ocid",
    "release_id",
    "date",
    "buyer",
    "source",
    "item_id",
    "description",
    "cpv",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "currency",
    "supplier",
]

LOOKAHEAD_ROWS = 500
LOOKAHEAD_CHARS = 1 << 20
SAMPLE_ROWS = 200
STDIN_SAMPLE = 1 << 20
KEY_SAMPLE = 1000
MAX_JSON_VALUE = 16 << 20  # the longest JSON value (a row, an OCDS release) or JSON Lines line
SNIFF_CHARS = 1 << 16
SCAN_CHUNK = 1 << 18
SCAN_DECODE_LIMIT = 4 << 20  # non-ASCII bytes enough to decide the encoding
CSV_FIELD_LIMIT = 16 << 20  # the csv module's cell limit (process-wide; only ever raised)
CSV_CHUNK = 1 << 16  # characters read at a time
CSV_LINE_LIMIT = 1 << 20  # a longer physical line is not read (an error row in its place)
CSV_QUOTED_LINES = 100  # a quoted cell running over more lines is taken as a quote never closed
CSV_RECORD_CHARS = 1 << 20  # ... and so is a record of more characters


class SourceRow(NamedTuple):
    """One input row: its spreadsheet row number, its cells aligned with the headers, and an error."""

    row: int
    cells: list[str]
    error: str | None = None


_new_row: Callable[..., SourceRow] = tuple.__new__


class ListSource:
    """An opened list. ``headers``, ``format``, ``encoding``, ``delimiter`` and ``decimal`` are known
    when ``open_list`` returns; ``rows()`` streams the rows (once). Close it, or use it in ``with``."""

    format: str = ""

    def __init__(self, file: str) -> None:
        self.file = file
        self.headers: list[str] = []
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.decimal: str = "."
        self.sheet: str | None = None
        self.blank_rows = 0
        self.size: int | None = None  # bytes in the file (None for stdin)
        self._raw: IO[bytes] | None = None
        self._started = False
        self._closers: list[Callable[[], object]] = []

    def bytes_read(self) -> int | None:
        """How far reading has got in the file, in bytes (approximate: it reads ahead), for a progress
        bar against ``size``; None for stdin and XLSX."""
        if self._raw is None:
            return None
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return None

    def sample(self) -> list[list[str]]:
        """Up to ``SAMPLE_ROWS`` first data rows as text, to recognise columns by their content (call it
        before ``rows()``); empty when the format reads no rows ahead."""
        return []

    def column_kinds(self) -> list[str] | None:
        """The type of each column's cells where the format has types, for an output that keeps them
        (``writers.column_kinds``): ``text``, ``number``, ``date`` or ``auto`` (mixed or unknown); None
        when the format does not say (JSON: every column ``auto``)."""
        return None

    def other_sheets(self) -> list[tuple[str, list[str]]]:
        """The workbook's other worksheets and their header rows (the first row with a cell), to say
        which sheet to pick when this one has no usable columns; empty for a file that is not a workbook."""
        return []

    def rows(self) -> Iterator[SourceRow]:
        """The data rows, in file order. Raises ``NamiError`` for a problem that breaks the file."""
        if self._started:
            raise RuntimeError("rows() of a list can be read only once")
        self._started = True
        return self._rows()

    def _rows(self) -> Iterator[SourceRow]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            with contextlib.suppress(Exception):  # closing must not hide the real outcome
                closer()

    def __enter__(self) -> ListSource:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _problem(self, message: str, line: int | None = None, column: int | None = None) -> NamiError:
        return NamiError(Problem(message, file=self.file, line=line, column=column))


# --- bytes, sniffing and encodings --------------------------------------------------------------------


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


def _cp1252_in(exc: UnicodeError) -> tuple[str, int]:
    """Windows-1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; read them as U+0081 etc. (as browsers do)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("nami-cp1252-in", _cp1252_in)

_SURROGATES = re.compile("[\udc80-\udcff]+")
_NOT_UTF8 = [0]  # bytes that were not UTF-8, met so far while decoding any list (the handler counts)


def _utf8_lenient(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 arrive as U+DC80..U+DCFF (fixed per row by ``_BadBytes.fix``), counted."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _NOT_UTF8[0] += len(bad)
    return "".join(chr(0xDC00 + b) for b in bad), exc.end


codecs.register_error("nami-utf8-lenient", _utf8_lenient)  # once: error handlers are never freed


class _BadBytes:
    """Bytes that are not UTF-8 in a stream being decoded; ``pending`` says that some may wait in the
    rows not fixed yet (bytes of another list open at the same time only cost a look)."""

    name = "nami-utf8-lenient"

    def __init__(self) -> None:
        self._done = _NOT_UTF8[0]

    @property
    def pending(self) -> int:
        return _NOT_UTF8[0] - self._done

    def fix(self, cells: list[str], headers: list[str] | None) -> str | None:
        """Read the bad bytes in ``cells`` as Windows-1252 (in place); the row error, if there were any."""
        found: list[tuple[int, bytes]] = []
        for i, cell in enumerate(cells):
            if _SURROGATES.search(cell) is None:
                continue
            parts = []
            last = 0
            for m in _SURROGATES.finditer(cell):
                raw = bytes(ord(ch) - 0xDC00 for ch in m.group())
                self._done += len(raw)
                found.append((i, raw))
                parts.append(cell[last : m.start()])
                parts.append(raw.decode("cp1252", "nami-cp1252-in"))
                last = m.end()
            parts.append(cell[last:])
            cells[i] = "".join(parts)
        self._done = min(self._done, _NOT_UTF8[0])
        if not found:
            return None
        where = []
        for i, raw in found:
            name = headers[i] if headers is not None and i < len(headers) else f"column {i + 1}"
            where.append(f'"{name}" ({raw.hex(" ")})')
        return "bytes that are not UTF-8, read as Windows-1252, in column " + ", ".join(where)


def _open_bytes(path: str) -> tuple[IO[bytes], str, bool]:
    if path == "-":
        return sys.stdin.buffer, "<stdin>", False
    try:
        if os.path.isdir(path):
            raise NamiError(Problem("is a folder, not a list file", file=path))
        return open(path, "rb"), path, True  # closed by the ListSource
    except FileNotFoundError:
        raise NamiError(Problem("file not found", file=path)) from None
    except OSError as exc:
        raise NamiError(Problem(f"cannot read the file: {exc.strerror or exc}", file=path)) from None


_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_BOMS_UNSUPPORTED = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _check_text(head: bytes, file: str) -> None:
    for bom, name in _BOMS_UNSUPPORTED:
        if head.startswith(bom):
            raise NamiError(
                Problem(
                    f"the file is {name} text; save it as UTF-8 (in Excel: 'CSV UTF-8') or Windows-1252",
                    file=file,
                )
            )
    if b"\x00" in head[:SNIFF_CHARS]:
        raise NamiError(Problem("this is a binary file, not a CSV, JSON or XLSX list", file=file))


def _scan_utf8(stream: IO[bytes], first: bytes) -> tuple[int, int]:
    """(bytes that are not UTF-8, extra bytes of UTF-8 multibyte characters) in the whole stream.

    ASCII chunks are skipped without decoding (fast); the scan stops once both kinds are seen (a mixed
    file) or after ``SCAN_DECODE_LIMIT`` bytes of chunks with non-ASCII bytes (enough evidence)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    invalid = 0
    surplus = 0  # bytes decoded minus characters produced: the extra bytes of multibyte characters
    decoded = 0
    chunk = first
    while chunk:
        if chunk.isascii() and not decoder.getstate()[0]:
            chunk = stream.read(SCAN_CHUNK)
            continue
        text = decoder.decode(chunk)
        if _SURROGATES.search(text):
            invalid += sum(len(m) for m in _SURROGATES.findall(text))
        surplus += len(chunk) - len(text)
        decoded += len(chunk)
        if (invalid and surplus - len(decoder.getstate()[0]) > 0) or decoded >= SCAN_DECODE_LIMIT:
            break
        chunk = stream.read(SCAN_CHUNK)
    text = decoder.decode(b"", final=True)
    invalid += sum(len(m) for m in _SURROGATES.findall(text))
    surplus -= len(text)
    return invalid, surplus


class _Text:
    """A decoded text stream plus what was decided about its encoding."""

    def __init__(self, stream: IO[str], encoding: str, bad: _BadBytes | None) -> None:
        self.stream = stream
        self.encoding = encoding
        self.bad = bad


def _open_text(raw: IO[bytes], head: bytes, seekable: bool, file: str, newline: str = "") -> _Text:
    """Decide the encoding (see the module docstring) and open ``raw`` as text (universal newlines off;
    ``newline="\n"`` for JSON: a line ends at ``\n`` only, a lone ``\r`` is no line end)."""
    _check_text(head, file)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        if seekable:
            raw.seek(0)
            invalid, multibyte = _scan_utf8(raw, raw.read(SCAN_CHUNK))
            raw.seek(0)
        else:
            invalid, multibyte = _scan_utf8(io.BytesIO(b""), head)
        encoding = "cp1252" if invalid and not multibyte else "utf-8"
    if encoding == "cp1252":
        cp = io.TextIOWrapper(raw, encoding="cp1252", errors="nami-cp1252-in", newline=newline)
        return _Text(cp, encoding, None)
    bad = _BadBytes()
    text = io.TextIOWrapper(raw, encoding=encoding, errors=bad.name, newline=newline)
    return _Text(text, encoding, bad)


def _read_head(stream: IO[bytes], seekable: bool, size: int) -> tuple[bytes, IO[bytes]]:
    """The first ``size`` bytes, and a stream that still starts at the beginning."""
    head = stream.read(size)
    if seekable:
        stream.seek(0)
        return head, stream
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)


def _first_char(head: bytes) -> str:
    text = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    stripped = text.lstrip()
    return chr(stripped[0]) if stripped else ""


def _json_kind(head: bytes) -> str:
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
    try:
        return isinstance(json.loads(line.decode("utf-8", "replace")), dict)
    except (ValueError, RecursionError):
        return False


_EXT_FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def open_list(path: str, *, sheet: str | None = None, input_format: str | None = None) -> ListSource:
    """Open a purchase list or spend export (``path`` ``-``: stdin, sniffed as CSV, JSON or XLSX).

    ``input_format`` (``csv``, ``xlsx``, ``json``, ``jsonl``, ``ocds``) overrides detection by extension
    and content; ``sheet`` picks an XLSX sheet by name (or by number, 1 = first). Returns a
    ``ListSource``; close it (or use ``with``). Raises ``NamiError`` for a file that cannot be read.
    stdin itself is never closed.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise NamiError(
            Problem(f"unknown input format {input_format!r}; choose one of {', '.join(INPUT_FORMATS)}")
        )
    raw, file, seekable = _open_bytes(path)
    head_size = SNIFF_CHARS if seekable else STDIN_SAMPLE
    stream: IO[bytes] | None = None
    try:
        head, stream = _read_head(raw, seekable, head_size)
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise NamiError(Problem("the file is empty", file=file))
        fmt = input_format or _detect_format(path, head, file)
        if sheet is not None and fmt not in WORKBOOKS:
            raise NamiError(Problem("--sheet applies to workbooks only (XLSX, XLS, ODS)", file=file))
        if fmt in WORKBOOKS:
            return _open_workbook(stream, file, seekable, sheet, fmt, head)
        source = _open_text_source(stream, head, seekable, file, path, fmt)
        if seekable:
            source.size = os.fstat(stream.fileno()).st_size
            source._raw = stream
        return source
    except BaseException:
        if stream is not None:
            stream.close()  # for stdin a wrapper: stdin itself stays open
        elif seekable:
            raw.close()
        raise


def _open_text_source(
    stream: IO[bytes], head: bytes, seekable: bool, file: str, path: str, fmt: str
) -> ListSource:
    ext = os.path.splitext(path)[1].lower()
    if fmt == "csv":
        return _CsvSource(_open_text(stream, head, seekable, file), file, ext in (".tsv", ".tab"))
    one_doc = _first_char(head) != "{" or _json_kind(head) == "json"
    if fmt == "ocds":
        kind = "ocds" if one_doc else "ocds-jsonl"
    elif fmt == "json":
        kind = "json" if one_doc else "jsonl"
    else:
        kind = "jsonl"
    text = _open_text(stream, head, seekable, file, newline="\n")
    again = path if seekable else None  # a file can be read twice (to collect the JSON keys)
    if kind in ("jsonl", "ocds-jsonl"):
        return _JsonlSource(text, file, again, force_ocds=kind == "ocds-jsonl")
    return _JsonSource(text, file, again, force_ocds=kind == "ocds")


def _detect_format(path: str, head: bytes, file: str) -> str:
    if head.startswith(_XLS_MAGIC):
        return "xls"
    ext = os.path.splitext(path)[1].lower() if path != "-" else ""
    if head.startswith(b"PK\x03\x04"):
        return "ods" if _ODS_MIME in head[:256] or ext == ".ods" else "xlsx"
    if ext in _EXT_FORMATS:
        return _EXT_FORMATS[ext]
    return "json" if _first_char(head) in ("[", "{") else "csv"


# --- CSV ------------------------------------------------------------------------------------------------


def _sniff_delimiter(sample: str, default: str) -> str:
    """The delimiter (, ; or tab) that splits the first records most consistently, counted outside quotes."""
    candidates = ",;\t"
    records: list[dict[str, int]] = []
    counts = dict.fromkeys(candidates, 0)
    content = False
    in_quotes = False
    prev = ""
    for ch in sample:
        if ch == '"':
            in_quotes = not in_quotes
            content = True
        elif in_quotes:
            pass
        elif ch in counts:
            counts[ch] += 1
            content = True
        elif ch == "\r" or ch == "\n":
            if ch == "\n" and prev == "\r":
                pass
            else:
                if content:
                    records.append(counts)
                    if len(records) >= 50:
                        break
                counts = dict.fromkeys(candidates, 0)
                content = False
        elif not ch.isspace():
            content = True
        prev = ch
    else:
        if content and not in_quotes:
            records.append(counts)
    if not records:
        return default
    header = records[0]
    best = default
    best_score: tuple[float, int] = (-1.0, 0)
    for d in (";", "\t", ","):
        if header[d] == 0:
            continue
        data = records[1:]
        same = sum(1 for r in data if r[d] == header[d]) / len(data) if data else 1.0
        score = (same, header[d])
        if score > best_score:
            best, best_score = d, score
    return best


def _cell_sample(records: Iterable[list[str]]) -> Iterator[str]:
    for rec in records:
        yield from rec


class _Stop(Exception):
    """Raised from inside the csv module's line feed: the record being read went past a limit."""

    def __init__(self, long_line: int | None = None, *, at_end: bool = False) -> None:
        super().__init__()
        self.long_line = long_line  # the number of a physical line too long to read, if that is why
        self.at_end = at_end  # a quote still open at the end of the file


class _Broken(list[str]):
    """The cells of a record that could not be read as CSV, with the reason."""

    error: str = ""


_ODD_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # line breaks to str.splitlines, not to csv


class _CsvLines:
    """The physical lines of a CSV text for the csv module, handed out in chunks (lists), and kept while
    the record being read may need them again.

    Lines end at ``\n``, ``\r\n`` or ``\r``, as the csv module expects (the text is decoded with
    ``newline=""``). A line longer than ``CSV_LINE_LIMIT`` characters is skipped (its length kept) and
    reported in its place. ``mark`` is the number of the first line of the record being read (the
    reader sets it): chunks before it are dropped, and asking for lines beyond ``CSV_QUOTED_LINES`` or
    ``CSV_RECORD_CHARS`` after it stops the record (``_Stop``).
    """

    def __init__(self, stream: IO[str], pending: str) -> None:
        self._stream = stream
        self._pending = pending  # decoded text not yet split into lines
        self._chunks: deque[tuple[int, list[str] | int]] = deque()  # (first line, lines or a long line)
        self._next = 1  # the number of the next line to split off
        self._eof = False
        self.mark = 1

    def _read(self) -> bool:
        """Split off the next chunk of lines into ``_chunks``; False at the end of the text."""
        if self._eof:
            return False
        text = self._pending
        while True:
            data = self._stream.read(CSV_CHUNK)
            if not data:
                self._eof = True
                break
            text += data
            cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
            if cut >= 0:
                self._pending = text[cut + 1 :]
                text = text[: cut + 1]
                break
            if len(text) > CSV_LINE_LIMIT:  # one line without an end in sight: skip to its end
                self._skip_long(len(text))
                return True
        if self._eof:
            self._pending = ""
            if not text:
                return False
        if any(ch in text for ch in _ODD_BREAKS):  # str.splitlines would split at these too
            lines = io.StringIO(text, newline="").readlines()
        else:
            lines = text.splitlines(keepends=True)
        if len(text) > CSV_LINE_LIMIT and any(len(x) > CSV_LINE_LIMIT for x in lines):
            self._add_with_long(lines)
        else:
            self._chunks.append((self._next, lines))
            self._next += len(lines)
        while len(self._chunks) > 1 and self._chunks[0][0] + self._size(self._chunks[0][1]) <= self.mark:
            self._chunks.popleft()
        return True

    @staticmethod
    def _size(lines: list[str] | int) -> int:
        return 1 if isinstance(lines, int) else len(lines)

    def _add_with_long(self, lines: list[str]) -> None:
        run: list[str] = []
        for line in lines:
            if len(line) > CSV_LINE_LIMIT:
                if run:
                    self._chunks.append((self._next, run))
                    self._next += len(run)
                    run = []
                self._chunks.append((self._next, len(line)))
                self._next += 1
            else:
                run.append(line)
        if run:
            self._chunks.append((self._next, run))
            self._next += len(run)

    def _skip_long(self, length: int) -> None:
        """The text read so far starts a line longer than the limit: read on to its end, keep its length."""
        rest = ""
        while True:
            data = self._stream.read(CSV_CHUNK)
            if not data:
                self._eof = True
                break
            ends = [i for i in (data.find("\n"), data.find("\r")) if i >= 0]
            if not ends:
                length += len(data)
                continue
            end = min(ends)
            if data[end] == "\r" and end + 1 < len(data) and data[end + 1] == "\n":
                end += 1
            length += end + 1
            rest = data[end + 1 :]
            break
        self._pending = rest
        self._chunks.append((self._next, length))
        self._next += 1

    def line(self, number: int) -> str | int | None:
        """Physical line ``number`` if it is still kept (an int: the length of a line too long to keep)."""
        for first, lines in self._chunks:
            if isinstance(lines, int):
                if first == number:
                    return lines
            elif first <= number < first + len(lines):
                return lines[number - first]
        return None

    def since(self, first: int, last: int) -> Iterator[str]:
        """The kept lines ``first`` to ``last`` (inclusive)."""
        for number in range(first, last + 1):
            line = self.line(number)
            if isinstance(line, str):
                yield line

    def from_line(self, start: int, consumed: Callable[[], int]) -> Iterator[list[str]]:
        """Chunks of lines from line ``start`` on (for ``itertools.chain.from_iterable``). ``consumed()``
        is the number of the last line the csv module has taken; when it asks for more lines while the
        record from ``mark`` is past a limit, ``_Stop`` is raised."""
        number = start
        while True:
            chunk = None
            for first, lines in self._chunks:
                size = self._size(lines)
                if first <= number < first + size:
                    chunk = (first, lines)
                    break
            if chunk is None:
                if number < self._next:  # dropped already (cannot happen: kept from mark on)
                    raise _Stop()
                if not self._read():
                    return
                continue
            if consumed() >= self.mark:  # a record is in progress since mark: check its size
                self._check(consumed())
            first, lines = chunk
            if isinstance(lines, int):
                raise _Stop(long_line=first)
            part = lines[number - first :] if number > first else lines
            number = first + len(lines)
            yield part

    def _check(self, last: int) -> None:
        if last - self.mark + 1 > CSV_QUOTED_LINES:
            raise _Stop()
        if sum(len(line) for line in self.since(self.mark, last)) > CSV_RECORD_CHARS:
            raise _Stop()


class _CsvSource(ListSource):
    format = "csv"

    def __init__(self, text: _Text, file: str, tab_default: bool) -> None:
        super().__init__(file)
        self._closers.append(text.stream.close)
        self.encoding = text.encoding
        self._bad = text.bad
        stream = text.stream
        try:
            sample = stream.read(SNIFF_CHARS)
            if sample.endswith("\r"):
                sample += stream.read(1)
            sample += stream.readline(CSV_LINE_LIMIT)
        except OSError as exc:
            raise self._problem(f"cannot read the file: {exc}") from None
        self._line_offset = 0
        explicit: str | None = None
        first_line_end = sample.find("\n")
        first_line = sample[: first_line_end if first_line_end >= 0 else len(sample)].rstrip("\r")
        if first_line.lower().startswith("sep=") and len(first_line) == 5:
            explicit = first_line[4]
            sample = sample[first_line_end + 1 :] if first_line_end >= 0 else ""
            self._line_offset = 1
        self.delimiter = explicit or _sniff_delimiter(sample, "\t" if tab_default else ",")
        if csv.field_size_limit() < CSV_FIELD_LIMIT:  # a process-wide setting; only ever raised
            csv.field_size_limit(CSV_FIELD_LIMIT)
        self._lines = _CsvLines(stream, sample)
        self._records = self._read_records()
        # header: the first record that is not blank
        self._record_no = 0
        header: list[str] | None = None
        for rec in self._records:
            self._record_no += 1
            if isinstance(rec, _Broken):
                line = self._record_line + self._line_offset
                raise self._problem(f"cannot read the header: {rec.error}", line=line)
            if rec and any(c.strip() for c in rec):
                header = rec
                break
        if header is None:
            raise self._problem("no header row: the file holds no data")
        if self._bad is not None and self._bad.pending:
            self._bad.fix(header, None)
        while header and not header[-1].strip():
            header.pop()
        self.headers = header
        self._lookahead: list[list[str]] = []
        chars = 0
        for rec in self._records:
            self._lookahead.append(rec)
            chars += sum(map(len, rec))
            if len(self._lookahead) >= LOOKAHEAD_ROWS or chars >= LOOKAHEAD_CHARS:
                break
        self.decimal = detect_decimal(
            _cell_sample(r for r in self._lookahead if not isinstance(r, _Broken)),
            default="." if self.delimiter == "," else ",",
        )

    def _read_records(self) -> Iterator[list[str]]:
        """The records of the file. A record that cannot be read -- a quote that is not closed within
        ``CSV_QUOTED_LINES`` lines or ``CSV_RECORD_CHARS`` characters, a line longer than
        ``CSV_LINE_LIMIT``, an error of the csv module -- comes as a ``_Broken`` record holding the cells
        of its first line alone, and the lines after that first line are read again as records: one bad
        quote never swallows the rows after it. ``_record_line`` is the first line of the last record."""
        lines = self._lines
        start = 1  # the first line of the next record
        delimiter = self.delimiter or ","
        while True:
            base = start - 1
            holder: list[Any] = []
            reader = csv.reader(
                itertools.chain.from_iterable(lines.from_line(start, lambda: base + holder[0].line_num)),  # noqa: B023 - one reader per loop
                delimiter=delimiter,
                strict=False,
            )
            holder.append(reader)
            last = 0  # reader.line_num after the previous record
            try:
                for rec in reader:
                    number = reader.line_num
                    if number - last > 1 and self._runaway(base + last + 1, base + number):
                        raise _Stop(at_end=number - last <= CSV_QUOTED_LINES)
                    self._record_line = base + last + 1
                    last = number
                    lines.mark = base + number + 1
                    yield rec
                return
            except _Stop as stop:
                failed = base + last + 1
                if stop.long_line == failed:
                    broken = _Broken()
                    broken.error = (
                        f"line {failed + self._line_offset} is longer than {CSV_LINE_LIMIT:,} characters "
                        f"({lines.line(failed):,}): not read"
                    )
                else:
                    broken = self._quote_broken(failed, at_end=stop.at_end)
            except csv.Error as exc:
                failed = base + last + 1
                broken = self._quote_broken(failed, f"cannot read the CSV record ({exc})")
            self._record_line = failed
            start = failed + 1
            lines.mark = start
            yield broken

    def _runaway(self, first: int, last: int) -> bool:
        """A record over several lines: is it a quote that ran too far (or to the end, unclosed)?"""
        if last - first + 1 > CSV_QUOTED_LINES:
            return True
        if not self._lines._eof or self._lines._next - 1 != last:
            return False
        return sum(line.count('"') for line in self._lines.since(first, last)) % 2 == 1

    def _quote_broken(self, line: int, why: str | None = None, *, at_end: bool = False) -> _Broken:
        text = self._lines.line(line)
        broken = _Broken()
        if isinstance(text, str):
            with contextlib.suppress(csv.Error):
                cells = csv.reader([text.replace("\x00", "")], delimiter=self.delimiter or ",")
                broken.extend(next(cells, []))
            if broken:
                broken[-1] = broken[-1].rstrip("\r\n")
        shown = line + self._line_offset
        where = (
            "before the end of the file"
            if at_end
            else f"within {CSV_QUOTED_LINES} lines or {CSV_RECORD_CHARS // (1 << 20)} MiB"
        )
        broken.error = why or (
            f'a quote (") opened in line {shown} is not closed {where}: this row is read up to the end '
            f"of line {shown}, the lines after it as rows of their own; close the quote, or double a "
            'quote inside a cell ("")'
        )
        return broken

    def sample(self) -> list[list[str]]:
        return [list(r) for r in self._lookahead[:SAMPLE_ROWS] if not isinstance(r, _Broken)]

    def column_kinds(self) -> list[str] | None:
        return ["text"] * len(self.headers)  # a CSV cell is text: "4500" and "00123" stay as written

    def _rows(self) -> Iterator[SourceRow]:
        width = len(self.headers)
        headers = self.headers
        bad = self._bad
        lookahead, self._lookahead = self._lookahead, []
        rownum = self._record_no
        new = _new_row
        cls = SourceRow
        broken_type = _Broken
        for rec in itertools.chain(lookahead, self._records):
            rownum += 1
            if len(rec) == width and type(rec) is not broken_type:
                if not rec[0] and not any(rec):
                    self.blank_rows += 1
                    continue
                if bad is not None and bad.pending:
                    yield new(cls, (rownum, rec, bad.fix(rec, headers)))
                else:
                    yield new(cls, (rownum, rec, None))
                continue
            broken = rec.error if isinstance(rec, _Broken) else None
            if not broken and not any(rec):
                self.blank_rows += 1
                continue
            error = None
            if bad is not None and bad.pending:
                error = bad.fix(rec, headers)
            n = len(rec)
            if n < width:
                rec.extend([""] * (width - n))
                ragged = f"row has {n} cells, header has {width}" if not broken else None
            else:
                extra = rec[width:]
                del rec[width:]
                if not any(extra):
                    ragged = None
                else:
                    shown = ", ".join(json.dumps(c, ensure_ascii=False) for c in extra)
                    ragged = f"row has {n} cells, header has {width}; extra cells: {shown}"
            message = "; ".join(m for m in (broken, ragged, error) if m)
            yield new(cls, (rownum, list(rec), message or None))


# --- XLSX -----------------------------------------------------------------------------------------------


def _num_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _value_text(value: Any) -> str:
    """A spreadsheet or JSON value as text that reads back as the same value."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is float:
        return _num_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


MAX_SPOOL = 2 << 30  # a workbook read from stdin is kept in a temporary file up to this size


def _spool(stream: IO[bytes], spool: IO[bytes], file: str) -> None:
    size = 0
    while chunk := stream.read(1 << 20):
        size += len(chunk)
        if size > MAX_SPOOL:
            raise NamiError(
                Problem(
                    f"the workbook on stdin is more than {MAX_SPOOL:,} bytes; pass it as a file", file=file
                )
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
            if not head.startswith(_XLS_MAGIC):
                raise NamiError(
                    Problem("not an XLS workbook (an .xls file starts with an OLE header)", file=file)
                )
            size = stream.seek(0, os.SEEK_END)
            if size > MAX_XLS_BYTES:
                raise NamiError(
                    Problem(
                        f"the .xls file is {size:,} bytes, more than {MAX_XLS_BYTES:,}; save it as CSV",
                        file=file,
                    )
                )
            stream.seek(0)
            return _CalamineSource(stream, file, sheet, fmt, closers)
        if not head.startswith(b"PK\x03\x04"):
            raise NamiError(Problem(f"not an {name} workbook (an .{fmt} file is a zip archive)", file=file))
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
        raise source._problem(f"sheet {source.sheet!r} is empty: no header row{hint}")
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
            raise self._problem(f"not a readable {fmt.upper()} workbook: {exc}") from None
        self._closers.append(wb.close)
        names = [m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")] or list(
            wb.sheet_names
        )
        if not names:
            raise self._problem("the workbook has no worksheet")
        chosen = names[0] if sheet is None else _pick_name(self, list(wb.sheet_names), sheet)
        try:
            ws = wb.get_sheet_by_name(chosen)
        except Exception as exc:
            raise self._problem(f"sheet {chosen!r} cannot be read: {exc}") from None
        self.sheet = chosen
        self._wb, self._names = wb, names
        first_row, first_col = ws.start or (0, 0)
        pad = [""] * first_col

        def rows() -> Iterator[tuple[int, Any]]:
            for number, values in enumerate(ws.iter_rows(), start=first_row + 1):
                yield number, [*pad, *values] if pad else values

        self._iter, self.headers, self._lookahead = _sheet_rows(
            self, self._guarded(rows()), _value_text, None if sheet is not None else self.other_sheets
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
                raise self._problem(
                    f"sheet {self.sheet!r}, row {number + 1}: a cell cannot be read ({exc})"
                ) from None
            yield number, values

    def sample(self) -> list[list[str]]:
        return [[_value_text(v) for v in values] for _, values in self._lookahead[:SAMPLE_ROWS]]

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
        cells = [_value_text(v) for v in values]
        if any(c.strip() for c in cells):
            while not cells[-1].strip():
                cells.pop()
            return cells
    return []


def _workbook_rows(source: ListSource, rows: Iterable[tuple[int, Any]]) -> Iterator[SourceRow]:
    width = len(source.headers)
    text = _value_text
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
        raise source._problem(f"no sheet {sheet!r} in the workbook; its sheets: {listed}")
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
            raise self._problem(f"not a readable XLSX workbook: {exc}") from None
        self._closers.append(wb.close)
        names = list(wb.sheetnames)
        worksheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
        if sheet is None:
            if not worksheets:
                raise self._problem("the workbook has no worksheet")
            ws = worksheets[0]
        else:
            ws = self._pick_sheet(wb, names, sheet)
        self.sheet = ws.title
        self._wb = wb
        ws.reset_dimensions()  # some writers store a wrong size; read what is there
        rows = self._guarded(enumerate(ws.iter_rows(values_only=True), start=1))
        self._iter, self.headers, self._lookahead = _sheet_rows(
            self, rows, _value_text, None if sheet is not None else self.other_sheets
        )
        sample = (_value_text(v) for _, values in self._lookahead for v in values if type(v) is str)
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
                raise self._problem(
                    f"sheet {self.sheet!r}, row {number + 1} or after: a cell cannot be read ({exc}); "
                    "open the file in a spreadsheet and save it again, or save it as CSV"
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
            raise self._problem(f"sheet {chosen!r} is a chart, not a table")
        return ws

    def sample(self) -> list[list[str]]:
        return [[_value_text(v) for v in values] for _, values in self._lookahead[:SAMPLE_ROWS]]

    def column_kinds(self) -> list[str] | None:
        return _workbook_kinds(len(self.headers), self._lookahead)

    def _rows(self) -> Iterator[SourceRow]:
        yield from _workbook_rows(self, itertools.chain(self._lookahead, self._iter))


# --- JSON -----------------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\r\n]*")


def _json_int(text: str) -> int | str:
    """An integer of a JSON file; one too long to be an amount stays text (the row check says why;
    Python refuses to convert more than 4300 digits)."""
    return int(text) if len(text) <= 30 else text


def _json_float(text: str) -> float | str:
    """A number of a JSON file; ``1e400`` (infinity as a float) stays text (the row check says why)."""
    value = float(text)
    return value if value - value == 0.0 else text


_DECODER = json.JSONDecoder(parse_int=_json_int, parse_float=_json_float)


class _JsonStream:
    """Pull JSON values one by one from a text stream, keeping line:column for errors."""

    def __init__(self, text: IO[str], source: ListSource) -> None:
        self._text = text
        self._source = source
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line0 = 1  # line and column of buf[0]
        self._col0 = 1
        self._decode = _DECODER.raw_decode

    def _fill(self, want: int = 0) -> bool:
        if self.eof:
            return False
        if self.pos:
            done = self.buf[: self.pos]
            newlines = done.count("\n")
            if newlines:
                self._line0 += newlines
                self._col0 = len(done) - done.rfind("\n")
            else:
                self._col0 += len(done)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        chunk = self._text.read(max(1 << 16, want))
        if not chunk:
            self.eof = True
            return False
        if not self.buf and self._line0 == 1 and self._col0 == 1 and chunk[0] == "\ufeff":
            chunk = chunk[1:]
        self.buf += chunk
        return True

    def where(self, pos: int | None = None) -> tuple[int, int]:
        pos = self.pos if pos is None else pos
        newlines = self.buf.count("\n", 0, pos)
        if not newlines:
            return self._line0, self._col0 + pos
        return self._line0 + newlines, pos - self.buf.rfind("\n", 0, pos)

    def error(self, message: str, pos: int | None = None) -> NamiError:
        line, column = self.where(pos)
        return self._source._problem(f"invalid JSON: {message}", line, column)

    def peek(self) -> str:
        """Skip whitespace; the next character, or "" at the end."""
        while True:
            match = _WS.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, ch: str, what: str) -> None:
        if self.peek() != ch:
            found = self.peek()
            raise self.error(
                f"expected {what}, found {found!r}" if found else f"expected {what}, found the end"
            )
        self.pos += 1

    def value(self) -> Any:
        if not self.peek():
            raise self.error("expected a value, found the end")
        while True:
            try:
                obj, end = self._decode(self.buf, self.pos)
            except RecursionError:
                raise self.error("nested too deeply (arrays or objects inside each other)") from None
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buf) - self.pos > MAX_JSON_VALUE:
                    raise self.error(exc.msg, exc.pos) from None
                self._fill(len(self.buf) - self.pos)
                continue
            if end == len(self.buf) and not self.eof and self._fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            return obj

    def array_items(self) -> Iterator[Any]:
        """The items of an array whose ``[`` was just consumed."""
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            ch = self.peek()
            if ch == ",":
                self.pos += 1
            elif ch == "]":
                self.pos += 1
                return
            else:
                raise self.error(
                    f"expected ',' or ']' after an array item, found {ch!r}"
                    if ch
                    else "the array is not closed"
                )

    def documents(self) -> Iterator[tuple[str, Any]]:
        """Top-level values as (kind, value): ``item`` (of a top-level array, or a top-level object),
        ``release``/``record`` (streamed out of an OCDS package's ``releases``/``records``)."""
        while True:
            ch = self.peek()
            if not ch:
                return
            if ch == "[":
                self.pos += 1
                for item in self.array_items():
                    yield "item", item
            elif ch == "{":
                yield from self._object()
            else:
                raise self.error(f"expected an array or an object, found {ch!r}")

    def _object(self) -> Iterator[tuple[str, Any]]:
        self.pos += 1
        members: dict[str, Any] = {}
        streamed = False
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                if self.peek() != '"':
                    raise self.error("expected a key in double quotes")
                key = self.value()
                self.expect(":", "':'")
                if key in ("releases", "records") and "ocid" not in members and self.peek() == "[":
                    self.pos += 1
                    streamed = True
                    kind = key[:-1]
                    for item in self.array_items():
                        yield kind, item
                else:
                    members[key] = self.value()
                ch = self.peek()
                if ch == ",":
                    self.pos += 1
                elif ch == "}":
                    self.pos += 1
                    break
                else:
                    raise self.error(
                        f"expected ',' or '}}' in an object, found {ch!r}" if ch else "object not closed"
                    )
        if not streamed:
            yield "item", members


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return _num_text(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _is_ocds(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("releases"), list) or isinstance(obj.get("records"), list):
        return True
    return "ocid" in obj and any(k in obj for k in ("tender", "awards", "tag", "compiledRelease", "releases"))


def _jsonl_objects(text: IO[str]) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, value or None, error) for each line ("" as the error of a blank line). A line ends at
    ``\n`` (the stream is opened with ``newline="\n"``): a lone ``\r`` inside a line never makes two."""
    decode = _DECODER.decode
    read = functools.partial(text.readline, MAX_JSON_VALUE + 1)
    number = 0
    while True:
        line = read()
        if not line:
            return
        number += 1
        if len(line) > MAX_JSON_VALUE and not line.endswith("\n"):
            length = len(line)
            while line and not line.endswith("\n"):
                line = read()
                length += len(line)
            yield (
                number,
                None,
                f"line {number} is longer than {MAX_JSON_VALUE:,} characters ({length:,}): not read",
            )
            continue
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            yield number, None, ""
            continue
        try:
            yield number, decode(line), None
        except RecursionError:
            yield number, None, f"line {number} is nested too deeply to read as JSON"
        except ValueError as exc:
            col = getattr(exc, "colno", None)
            msg = getattr(exc, "msg", str(exc))
            excerpt = line.strip()
            if len(excerpt) > 200:
                excerpt = excerpt[:200] + "..."
            where = f" at column {col}" if col else ""
            yield number, None, f"line {number} is not valid JSON ({msg}{where}): {excerpt}"


def _reopen(path: str, text: _Text) -> IO[str]:
    """The same file again, decoded as already decided (for a first pass that collects the keys)."""
    errors = "nami-cp1252-in" if text.encoding == "cp1252" else "surrogateescape"
    return open(path, encoding=text.encoding, errors=errors, newline="\n")


class _KeyedRows:
    """Turns objects into cells aligned with keys found in advance."""

    def __init__(self, headers: list[str], sampled: bool) -> None:
        self.headers = headers
        self.known = set(headers)
        self.sampled = sampled

    def cells(self, obj: Any) -> tuple[list[str], str | None]:
        try:
            return self._cells(obj)
        except RecursionError:
            return [""] * len(self.headers), "nested too deeply (arrays or objects inside each other)"

    def _cells(self, obj: Any) -> tuple[list[str], str | None]:
        if not isinstance(obj, dict):
            shown = json.dumps(obj, ensure_ascii=False)
            if len(shown) > 200:
                shown = shown[:200] + "..."
            return [""] * len(self.headers), f"not a JSON object: {shown}"
        cells = [_json_text(obj.get(k)) for k in self.headers]
        if not self.known.issuperset(obj):
            others = {k: v for k, v in obj.items() if k not in self.known}
            shown = json.dumps(others, ensure_ascii=False)
            where = f"the first {KEY_SAMPLE} objects" if self.sampled else "the header"
            return cells, f"keys not in {where}: {shown}"
        return cells, None


def _collect_keys(objects: Iterable[Any]) -> list[str]:
    keys: dict[str, None] = {}
    for obj in objects:
        if isinstance(obj, dict):
            for k in obj:
                if k not in keys:
                    keys[k] = None
                    if len(keys) > 10_000:
                        raise NamiError("more than 10,000 different keys: this is not a table of rows")
    return list(keys)


def _fix_bad(rows: Iterator[SourceRow], bad: _BadBytes | None, headers: list[str]) -> Iterator[SourceRow]:
    """Rows with bytes that were not UTF-8 (stdin, or a mixed file): read them as Windows-1252, say so."""
    for row in rows:
        if bad is not None and bad.pending:
            error = bad.fix(row.cells, headers)
            if error is not None:
                row = SourceRow(row.row, row.cells, f"{row.error}; {error}" if row.error else error)
        yield row


def _string_values(objects: Iterable[Any]) -> Iterator[str]:
    for obj in objects:
        if isinstance(obj, dict):
            for v in obj.values():
                if type(v) is str:
                    yield v


class _JsonSource(ListSource):
    """A JSON document: an array of objects (rows) or of OCDS releases/records, or OCDS package(s)."""

    def __init__(self, text: _Text, file: str, path: str | None, *, force_ocds: bool) -> None:
        super().__init__(file)
        self._closers.append(text.stream.close)
        self.encoding = text.encoding
        self._bad = text.bad
        self._docs: Iterator[tuple[str, Any]] = _JsonStream(text.stream, self).documents()
        sample = list(itertools.islice(self._docs, KEY_SAMPLE))
        if not sample:
            raise self._problem("the JSON holds no items: expected an array of objects, JSON Lines or OCDS")
        self._docs = itertools.chain(sample, self._docs)
        kind, value = sample[0]
        self._ocds = force_ocds or kind != "item" or _is_ocds(value)
        if self._ocds:
            self.format = "ocds"
            self.headers = list(OCDS_HEADERS)
            self.decimal = "."
            return
        self.format = "json"
        if path is not None:  # read the file once more to collect every key
            with _reopen(path, text) as again:
                keys = _collect_keys(v for _, v in _JsonStream(again, self).documents())
        else:
            keys = _collect_keys(v for _, v in sample)
        if not keys:
            raise self._problem("the JSON items have no keys: expected an array of objects")
        self.headers = keys
        self._keyed = _KeyedRows(keys, sampled=path is None)
        self.decimal = detect_decimal(_string_values(v for _, v in sample[:LOOKAHEAD_ROWS]), default=".")

    def _rows(self) -> Iterator[SourceRow]:
        if self._ocds:
            yield from _fix_bad(_ocds_rows(self._docs), self._bad, self.headers)
            return
        keyed = self._keyed

        def rows() -> Iterator[SourceRow]:
            for number, (_, obj) in enumerate(self._docs, start=2):
                cells, error = keyed.cells(obj)
                yield SourceRow(number, cells, error)

        yield from _fix_bad(rows(), self._bad, self.headers)


class _JsonlSource(ListSource):
    format = "jsonl"

    def __init__(self, text: _Text, file: str, path: str | None, *, force_ocds: bool) -> None:
        super().__init__(file)
        self._closers.append(text.stream.close)
        self.encoding = text.encoding
        self._bad = text.bad
        self._lines = _jsonl_objects(text.stream)
        sample = list(itertools.islice(self._lines, KEY_SAMPLE))
        self._lines = itertools.chain(sample, self._lines)
        objects = [obj for _, obj, err in sample if err is None]
        if not objects and not any(err for _, _, err in sample):
            raise self._problem("no JSON object in the file")
        self._ocds = force_ocds or (bool(objects) and _is_ocds(objects[0]))
        if self._ocds:
            self.format = "ocds"
            self.headers = list(OCDS_HEADERS)
            self.decimal = "."
            return
        if path is not None:
            with _reopen(path, text) as again:
                keys = _collect_keys(obj for _, obj, err in _jsonl_objects(again) if err is None)
        else:
            keys = _collect_keys(objects)
        if not keys:
            raise self._problem("the JSON Lines hold no keys: expected one object per line")
        self.headers = keys
        self._keyed = _KeyedRows(keys, sampled=path is None)
        self.decimal = detect_decimal(_string_values(objects[:LOOKAHEAD_ROWS]), default=".")

    def _rows(self) -> Iterator[SourceRow]:
        if self._ocds:
            yield from _fix_bad(_ocds_rows(self._ocds_docs()), self._bad, self.headers)
            return
        yield from _fix_bad(self._plain_rows(), self._bad, self.headers)

    def _plain_rows(self) -> Iterator[SourceRow]:
        keyed = self._keyed
        width = len(self.headers)
        for number, obj, error in self._lines:
            if error == "":
                self.blank_rows += 1
                continue
            if error is not None:
                yield SourceRow(number + 1, [""] * width, error)
                continue
            cells, error = keyed.cells(obj)
            yield SourceRow(number + 1, cells, error)

    def _ocds_docs(self) -> Iterator[tuple[str, Any]]:
        for _, obj, error in self._lines:
            if error == "":
                continue
            if error is not None:
                yield "error", error
            elif isinstance(obj, dict) and isinstance(obj.get("releases"), list) and "ocid" not in obj:
                for rel in obj["releases"]:
                    yield "release", rel
            elif isinstance(obj, dict) and isinstance(obj.get("records"), list):
                for rec in obj["records"]:
                    yield "record", rec
            else:
                yield "item", obj


# --- OCDS -----------------------------------------------------------------------------------------------


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _t(value: Any) -> str:
    return _json_text(value) if not isinstance(value, (dict, list)) else ""


def _cpv_of(item: dict[str, Any], fallback: Any = None) -> str:
    """The item's CPV code: of its classification and additional classifications, the first CPV that
    is a valid code (else the first one as written, for the row check to report); without any, the
    tender's classification (``fallback``)."""
    classes = [item.get("classification")]
    extra = item.get("additionalClassifications")
    if isinstance(extra, list):
        classes.extend(extra)
    written = ""
    for cls in classes:
        if isinstance(cls, dict) and str(cls.get("scheme", "")).strip().upper() == "CPV":
            raw = _t(cls.get("id")).strip()
            if not raw:
                continue
            try:
                return normalise_cpv(raw)
            except ValueError:
                written = written or raw
    if written or not isinstance(fallback, dict):
        return written
    return _cpv_of({"classification": fallback})


def _number(value: Any) -> float | None:
    if type(value) in (int, float):
        return float(value)
    return None


def _ocds_item_row(
    base: list[str],
    source: str,
    item: Any,
    title: str,
    single_value: Any,
    suppliers: str,
    classification: Any = None,
) -> tuple[list[str], str | None]:
    ocid, rid, date, buyer = base
    if not isinstance(item, dict):
        return [ocid, rid, date, buyer, source, *[""] * 8, suppliers], "item is not an object"
    unit: dict[str, Any] = item["unit"] if isinstance(item.get("unit"), dict) else {}
    qty = item.get("quantity")
    price = _get(unit, "value", "amount")
    currency = _t(_get(unit, "value", "currency"))
    q, p = _number(qty), _number(price)
    error = None
    if q is not None and p is not None:
        product = q * p
        if -MAX_ABS < product < MAX_ABS:
            amount = _num_text(round(product, 6))
        else:
            amount, error = "", f"quantity x unit value is {product:.3g}, more than the limit of 1e15"
    elif isinstance(single_value, dict) and _number(single_value.get("amount")) is not None:
        amount = _t(single_value.get("amount"))
        currency = currency or _t(single_value.get("currency"))
    else:
        amount = ""
    if not currency and isinstance(single_value, dict):
        currency = _t(single_value.get("currency"))
    description = _t(item.get("description")).strip() or title
    row = [
        ocid,
        rid,
        date,
        buyer,
        source,
        _t(item.get("id")),
        description,
        _cpv_of(item, classification),
        _t(qty),
        _t(unit.get("name")) if isinstance(unit, dict) else "",
        _t(price),
        amount,
        currency,
        suppliers,
    ]
    return row, error


def _ocds_summary_row(
    base: list[str], source: str, part: dict[str, Any], title: str, suppliers: str
) -> list[str]:
    ocid, rid, date, buyer = base
    value: dict[str, Any] = part["value"] if isinstance(part.get("value"), dict) else {}
    return [
        ocid,
        rid,
        date,
        buyer,
        source,
        _t(part.get("id")) if source == "award" else "",
        title,
        "",
        "",
        "",
        "",
        _t(value.get("amount")),
        _t(value.get("currency")),
        suppliers,
    ]


def _release_rows(release: Any) -> list[tuple[list[str], str | None]]:
    empty = [""] * len(OCDS_HEADERS)
    if not isinstance(release, dict):
        return [(empty, "release is not a JSON object")]
    base = [
        _t(release.get("ocid")),
        _t(release.get("id")),
        _t(release.get("date")),
        _t(_get(release, "buyer", "name")),
    ]
    rows: list[tuple[list[str], str | None]] = []
    summaries: list[list[str]] = []
    tender = release.get("tender")
    tender_title = ""
    tender_class = tender.get("classification") if isinstance(tender, dict) else None
    if isinstance(tender, dict):
        tender_title = (_t(tender.get("title")) or _t(tender.get("description"))).strip()
        items: list[Any] = tender["items"] if isinstance(tender.get("items"), list) else []
        single = tender.get("value") if len(items) == 1 else None
        for item in items:
            rows.append(_ocds_item_row(base, "tender", item, tender_title, single, "", tender_class))
        if not items and (tender_title or isinstance(tender.get("value"), dict)):
            summaries.append(_ocds_summary_row(base, "tender", tender, tender_title, ""))
    awards: list[Any] = release["awards"] if isinstance(release.get("awards"), list) else []
    for award in awards:
        if not isinstance(award, dict):
            rows.append(([*base, "award", *[""] * (len(OCDS_HEADERS) - 5)], "award is not an object"))
            continue
        listed = award.get("suppliers")
        names = [_t(s.get("name")) for s in listed if isinstance(s, dict)] if isinstance(listed, list) else []
        suppliers = "; ".join(n for n in names if n)
        title = (_t(award.get("title")) or _t(award.get("description"))).strip() or tender_title
        award_base = [base[0], base[1], _t(award.get("date")) or base[2], base[3]]
        items = award["items"] if isinstance(award.get("items"), list) else []
        single = award.get("value") if len(items) == 1 else None
        for item in items:
            rows.append(_ocds_item_row(award_base, "award", item, title, single, suppliers, tender_class))
        if not items:
            summaries.append(_ocds_summary_row(award_base, "award", award, title, suppliers))
    if not rows:
        rows = [(row, None) for row in summaries]
    if not rows:
        row = [*base, "release", *[""] * (len(OCDS_HEADERS) - 5)]
        rows.append((row, "release has no tender or award to screen"))
    return rows


def _ocds_rows(docs: Iterable[tuple[str, Any]]) -> Iterator[SourceRow]:
    number = 1
    width = len(OCDS_HEADERS)
    for kind, value in docs:
        releases: list[Any]
        error: str | None = None
        if kind == "error":
            releases, error = [], str(value)
        elif kind == "record" or (
            kind == "item" and isinstance(value, dict) and ("compiledRelease" in value or "releases" in value)
        ):
            compiled = value.get("compiledRelease") if isinstance(value, dict) else None
            embedded = value.get("releases") if isinstance(value, dict) else None
            if isinstance(compiled, dict):
                releases = [compiled]
            elif isinstance(embedded, list) and any(
                isinstance(r, dict) and ("tender" in r or "awards" in r) for r in embedded
            ):
                releases = [r for r in embedded if isinstance(r, dict) and ("tender" in r or "awards" in r)]
            else:
                ocid = _t(value.get("ocid")) if isinstance(value, dict) else ""
                releases, error = [], f"record {ocid} has no compiledRelease and only linked releases"
        elif kind == "item" and not _is_ocds(value):
            releases, error = [], "not an OCDS release, record or package"
        else:
            releases = [value]
        if error is not None:
            number += 1
            yield SourceRow(number, [""] * width, error)
            continue
        for release in releases:
            for cells, err in _release_rows(release):
                number += 1
                yield SourceRow(number, cells, err)
