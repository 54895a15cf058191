"""JSON: an array of objects (one row each), or OCDS (packages, releases, records), streamed.

- Each item must be an object; its values become text (strings as they are, numbers as in a sheet,
  ``null`` as ``""``, ``true``/``false``, nested arrays and objects as compact JSON). The headers are
  the keys in order of first appearance over the whole file (a file is read twice for this); for stdin
  over the first 1000 objects, and a later object with other keys gets an error that quotes those keys
  and values (so nothing is lost). An array item that is not an object is a row error and the row
  stays in the output; a syntax error breaks the whole file (exit 3 with line:column).
- Row numbers count the items from 2 (as if the keys were a header row).
- An OCDS package's ``releases``/``records`` are streamed one by one; its rows come from
  ``ocds.ocds_rows``.

The parser (``JsonStream``) is the standard library's decoder pulled value by value over a buffer,
keeping line and column. ``benchmarks/bench_readers.py`` measures it against ijson (yajl2_c): see
``JsonStream`` for the figures and why it stays.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from nami_cli.base.errors import NamiError
from nami_cli.i18n import Msg
from nami_cli.lists.cells import detect_decimal
from nami_cli.lists.encoding import BadBytes, Text, open_text, reopen_text
from nami_cli.lists.formats import first_char, json_kind
from nami_cli.lists.read.base import LOOKAHEAD_ROWS, ListSource, Opened, SourceRow, json_text
from nami_cli.lists.read.ocds import OCDS_HEADERS, is_ocds, ocds_rows

KEY_SAMPLE = 1000
MAX_JSON_VALUE = 16 << 20  # the longest JSON value (a row, an OCDS release) or JSON Lines line


def open_json(opened: Opened) -> ListSource:
    """The reader of ``json``, and of ``ocds`` (``force_ocds``): one document, or JSON Lines when the
    first lines are objects of their own (``formats.json_kind``)."""
    from nami_cli.lists.read.jsonl import JsonlSource

    force_ocds = opened.format == "ocds"
    one_doc = first_char(opened.head) != "{" or json_kind(opened.head) == "json"
    text = open_text(opened.stream, opened.head, opened.seekable, opened.file, newline="\n")
    again = opened.path if opened.seekable else None  # a file can be read twice (to collect the keys)
    if one_doc:
        return JsonSource(text, opened.file, again, force_ocds=force_ocds)
    return JsonlSource(text, opened.file, again, force_ocds=force_ocds)


_WS = re.compile(r"[ \t\r\n]*")


def _json_int(text: str) -> int | str:
    """An integer of a JSON file; one too long to be an amount stays text (the row check says why;
    Python refuses to convert more than 4300 digits)."""
    return int(text) if len(text) <= 30 else text


def _json_float(text: str) -> float | str:
    """A number of a JSON file; ``1e400`` (infinity as a float) stays text (the row check says why)."""
    value = float(text)
    return value if value - value == 0.0 else text


DECODER = json.JSONDecoder(parse_int=_json_int, parse_float=_json_float)


class JsonStream:
    """Pull JSON values one by one from a text stream, keeping line:column for errors.

    Measured against ijson 3.6 with its C backend (yajl2_c), ``benchmarks/bench_readers.py``: ijson
    reads a 200,000-object array (36 MiB) in 0.67-0.76 of the time, peak memory 15 MiB against 17, but its
    errors carry no line and column (yajl2_c quotes the text around the error; the pure Python backend
    gives a character offset): a user of a 40 MB file would get "parse error: after array element, I
    expect ',' or ']'" instead of ``spend.json:81234:3``. It would also have to learn the two ways this
    stream reads an OCDS package (its ``releases`` streamed, the other members kept), and be a new
    dependency with a C extension. The own stream stays.
    """

    def __init__(self, text: IO[str], source: ListSource) -> None:
        self._text = text
        self._source = source
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line0 = 1  # line and column of buf[0]
        self._col0 = 1
        self._decode = DECODER.raw_decode

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
        return self._source.problem(Msg("list.invalid_json", error=message), line, column)

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


class KeyedRows:
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
        cells = [json_text(obj.get(k)) for k in self.headers]
        if not self.known.issuperset(obj):
            others = {k: v for k, v in obj.items() if k not in self.known}
            shown = json.dumps(others, ensure_ascii=False)
            where = f"the first {KEY_SAMPLE} objects" if self.sampled else "the header"
            return cells, f"keys not in {where}: {shown}"
        return cells, None


def collect_keys(objects: Iterable[Any]) -> list[str]:
    keys: dict[str, None] = {}
    for obj in objects:
        if isinstance(obj, dict):
            for k in obj:
                if k not in keys:
                    keys[k] = None
                    if len(keys) > 10_000:
                        raise NamiError(Msg("list.json_too_many_keys"))
    return list(keys)


def fix_bad(rows: Iterator[SourceRow], bad: BadBytes | None, headers: list[str]) -> Iterator[SourceRow]:
    """Rows with bytes that were not UTF-8 (stdin, or a mixed file): read them as Windows-1252, say so."""
    for row in rows:
        if bad is not None and bad.pending:
            error = bad.fix(row.cells, headers)
            if error is not None:
                row = SourceRow(row.row, row.cells, f"{row.error}; {error}" if row.error else error)
        yield row


def string_values(objects: Iterable[Any]) -> Iterator[str]:
    for obj in objects:
        if isinstance(obj, dict):
            for v in obj.values():
                if type(v) is str:
                    yield v


class JsonSource(ListSource):
    """A JSON document: an array of objects (rows) or of OCDS releases/records, or OCDS package(s)."""

    def __init__(self, text: Text, file: str, path: str | None, *, force_ocds: bool) -> None:
        super().__init__(file)
        self._closers.append(text.stream.close)
        self.encoding = text.encoding
        self._bad = text.bad
        self._docs: Iterator[tuple[str, Any]] = JsonStream(text.stream, self).documents()
        sample = list(itertools.islice(self._docs, KEY_SAMPLE))
        if not sample:
            raise self.problem(Msg("list.json_no_items"))
        self._docs = itertools.chain(sample, self._docs)
        kind, value = sample[0]
        self._ocds = force_ocds or kind != "item" or is_ocds(value)
        if self._ocds:
            self.format = "ocds"
            self.headers = list(OCDS_HEADERS)
            self.decimal = "."
            return
        self.format = "json"
        if path is not None:  # read the file once more to collect every key
            with reopen_text(path, text) as again:
                keys = collect_keys(v for _, v in JsonStream(again, self).documents())
        else:
            keys = collect_keys(v for _, v in sample)
        if not keys:
            raise self.problem(Msg("list.json_no_keys"))
        self.headers = keys
        self._keyed = KeyedRows(keys, sampled=path is None)
        self.decimal = detect_decimal(string_values(v for _, v in sample[:LOOKAHEAD_ROWS]), default=".")

    def _rows(self) -> Iterator[SourceRow]:
        if self._ocds:
            yield from fix_bad(ocds_rows(self._docs), self._bad, self.headers)
            return
        keyed = self._keyed

        def rows() -> Iterator[SourceRow]:
            for number, (_, obj) in enumerate(self._docs, start=2):
                cells, error = keyed.cells(obj)
                yield SourceRow(number, cells, error)

        yield from fix_bad(rows(), self._bad, self.headers)
