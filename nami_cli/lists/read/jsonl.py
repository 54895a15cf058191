"""JSON Lines: one object a line, or OCDS releases, records or packages one a line.

Row numbers are the line number + 1 (so ``row - 1`` is the line in the file). A line that is not valid
JSON is a row error naming the line and column, and the row stays in the output; a blank line is
skipped (counted in ``blank_rows``). The headers are collected as for a JSON array (``json.py``).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from typing import IO, Any

from nami_cli.i18n import Msg
from nami_cli.lists.cells import detect_decimal
from nami_cli.lists.encoding import Text, open_text, reopen_text
from nami_cli.lists.read.base import LOOKAHEAD_ROWS, ListSource, Opened, SourceRow
from nami_cli.lists.read.json import (
    DECODER,
    KEY_SAMPLE,
    MAX_JSON_VALUE,
    KeyedRows,
    collect_keys,
    fix_bad,
    string_values,
)
from nami_cli.lists.read.ocds import OCDS_HEADERS, is_ocds, ocds_rows


def open_jsonl(opened: Opened) -> ListSource:
    """The reader of ``jsonl``."""
    text = open_text(opened.stream, opened.head, opened.seekable, opened.file, newline="\n")
    return JsonlSource(text, opened.file, opened.path if opened.seekable else None, force_ocds=False)


def jsonl_objects(text: IO[str]) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, value or None, error) for each line ("" as the error of a blank line). A line ends at
    ``\n`` (the stream is opened with ``newline="\n"``): a lone ``\r`` inside a line never makes two."""
    decode = DECODER.decode
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


class JsonlSource(ListSource):
    format = "jsonl"

    def __init__(self, text: Text, file: str, path: str | None, *, force_ocds: bool) -> None:
        super().__init__(file)
        self._closers.append(text.stream.close)
        self.encoding = text.encoding
        self._bad = text.bad
        self._lines = jsonl_objects(text.stream)
        sample = list(itertools.islice(self._lines, KEY_SAMPLE))
        self._lines = itertools.chain(sample, self._lines)
        objects = [obj for _, obj, err in sample if err is None]
        if not objects and not any(err for _, _, err in sample):
            raise self.problem(Msg("list.json_no_object"))
        self._ocds = force_ocds or (bool(objects) and is_ocds(objects[0]))
        if self._ocds:
            self.format = "ocds"
            self.headers = list(OCDS_HEADERS)
            self.decimal = "."
            return
        if path is not None:
            with reopen_text(path, text) as again:
                keys = collect_keys(obj for _, obj, err in jsonl_objects(again) if err is None)
        else:
            keys = collect_keys(objects)
        if not keys:
            raise self.problem(Msg("list.jsonl_no_keys"))
        self.headers = keys
        self._keyed = KeyedRows(keys, sampled=path is None)
        self.decimal = detect_decimal(string_values(objects[:LOOKAHEAD_ROWS]), default=".")

    def _rows(self) -> Iterator[SourceRow]:
        if self._ocds:
            yield from fix_bad(ocds_rows(self._ocds_docs()), self._bad, self.headers)
            return
        yield from fix_bad(self._plain_rows(), self._bad, self.headers)

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
