"""CSV (and TSV): the delimiter sniffed, records read by the csv module, one bad quote never swallowing
the rows after it.

- The header is the first record with a non-empty cell; names are kept as written. Header names that
  are empty at the end of the header row are dropped.
- Row numbers count records, not lines: a quoted cell with a newline does not shift the next record's
  number (this is how a spreadsheet shows the file). An Excel ``sep=;`` first line is not counted.
- Ragged rows: a short row is padded with ``""`` and gets the error ``row has 7 cells, header has
  9``; a long row keeps the header's cells and its extra non-empty cells are quoted in the error (extra
  empty cells, as trailing delimiters write them, are dropped without an error).
- The delimiter: ``sep=`` when the file says so, else ``sniff_delimiter`` (``,`` ``;`` or tab: the one
  that splits the first records most consistently, counted outside quotes). ``benchmarks/
  bench_readers.py`` measures it against the standard library's ``csv.Sniffer`` on the CSV files of
  the tests, the examples and the spend-dev files, each also written with each delimiter, and on
  made-up shapes (24 samples): left free, the Sniffer was wrong on 3 (a carriage return or the letter
  ``s`` as the delimiter); told to choose among , ; and tab, on 2 (no delimiter found in a
  ``,``-separated list of the tests; ``,`` for a ``;`` list whose rows leave off empty trailing cells
  and hold decimal commas, as finance exports do). The own sniffer found all 24, 5 to 18 times faster.
  It stays.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from nami_cli.i18n import Msg
from nami_cli.lists.cells import detect_decimal
from nami_cli.lists.encoding import Text, open_text
from nami_cli.lists.formats import SNIFF_CHARS, read_format
from nami_cli.lists.read.base import (
    LOOKAHEAD_CHARS,
    LOOKAHEAD_ROWS,
    SAMPLE_ROWS,
    ListSource,
    Opened,
    SourceRow,
    new_row,
)

CSV_FIELD_LIMIT = 16 << 20  # the csv module's cell limit (process-wide; only ever raised)
CSV_CHUNK = 1 << 16  # characters read at a time
CSV_LINE_LIMIT = 1 << 20  # a longer physical line is not read (an error row in its place)
CSV_QUOTED_LINES = 100  # a quoted cell running over more lines is taken as a quote never closed
CSV_RECORD_CHARS = 1 << 20  # ... and so is a record of more characters


def open_csv(opened: Opened) -> ListSource:
    """The reader of ``csv`` (``.tsv`` and ``.tab`` files: a tab when the sniffer finds no delimiter)."""
    fmt = read_format(opened.path)
    text = open_text(opened.stream, opened.head, opened.seekable, opened.file)
    return CsvSource(text, opened.file, fmt is not None and fmt.name == "tsv")


def sniff_delimiter(sample: str, default: str) -> str:
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


class CsvSource(ListSource):
    format = "csv"

    def __init__(self, text: Text, file: str, tab_default: bool) -> None:
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
            raise self.problem(Msg("list.cannot_read", reason=str(exc))) from None
        self._line_offset = 0
        explicit: str | None = None
        first_line_end = sample.find("\n")
        first_line = sample[: first_line_end if first_line_end >= 0 else len(sample)].rstrip("\r")
        if first_line.lower().startswith("sep=") and len(first_line) == 5:
            explicit = first_line[4]
            sample = sample[first_line_end + 1 :] if first_line_end >= 0 else ""
            self._line_offset = 1
        self.delimiter = explicit or sniff_delimiter(sample, "\t" if tab_default else ",")
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
                raise self.problem(Msg("list.cannot_read_header", error=rec.error), line=line)
            if rec and any(c.strip() for c in rec):
                header = rec
                break
        if header is None:
            raise self.problem(Msg("list.no_header"))
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
        new = new_row
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
