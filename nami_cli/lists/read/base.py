"""What every format's reader shares: ``SourceRow``, ``ListSource`` (the interface the rest of nami
reads a list through), ``Opened`` (what a reader is given), and cell values as text."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import IO, Any, NamedTuple

from nami_cli.base.errors import NamiError, Problem

LOOKAHEAD_ROWS = 500
LOOKAHEAD_CHARS = 1 << 20
SAMPLE_ROWS = 200


class Opened(NamedTuple):
    """A list file opened and sniffed, handed to the reader of its format (``readers.READERS``)."""

    stream: IO[bytes]  # at its start (stdin: a wrapper that replays ``head`` first)
    head: bytes  # the first bytes (``formats.SNIFF_CHARS``; of stdin ``formats.STDIN_SAMPLE``)
    seekable: bool  # a file (can be read twice); False for stdin
    file: str  # the name shown in messages (``<stdin>`` for stdin)
    path: str  # as given (``-`` for stdin)
    sheet: str | None  # ``--sheet`` (workbooks only)
    format: str  # the reader's name: a value of ``formats.INPUT_FORMATS``


class SourceRow(NamedTuple):
    """One input row: its spreadsheet row number, its cells aligned with the headers, and an error."""

    row: int
    cells: list[str]
    error: str | None = None


new_row: Callable[..., SourceRow] = tuple.__new__


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

    def problem(self, message: Any, line: int | None = None, column: int | None = None) -> NamiError:
        return NamiError(Problem(message, file=self.file, line=line, column=column))


def num_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def value_text(value: Any) -> str:
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
        return num_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def json_text(value: Any) -> str:
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
        return num_text(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
