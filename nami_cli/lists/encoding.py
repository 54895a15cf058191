"""The text encoding of a list file (CSV, JSON, JSON Lines): decided once, before reading.

A UTF-8 BOM gives ``utf-8-sig``. Otherwise the file is checked before reading: ASCII stretches are
skipped (fast, however long), and the first 4 MiB of stretches with other bytes decide: valid UTF-8
gives ``utf-8``; bytes that are not UTF-8 and no UTF-8 multibyte characters give ``cp1252``
(Windows-1252; its five undefined bytes read as U+0081 etc., so nothing fails); a mix of both (a UTF-8
file with a few Windows-1252 bytes) stays ``utf-8``. In a ``utf-8`` list every row with bytes that are
not UTF-8 (also further on than the check looked, and on stdin, whose first MiB decides) reads them as
Windows-1252 and gets an error naming the column (``BadBytes.fix``): never a crash, never a silent
change. (Left alone: a Windows-1252 list whose first 4 MiB of non-ASCII text hold no UTF-8 but which
has UTF-8 further on is read as Windows-1252 throughout.) UTF-16/32 and binary files are refused with
a message.

The two codec error handlers (``nami-cp1252-in``, ``nami-utf8-lenient``) are registered once, when this
module is imported: Python never frees a registered handler, so registering per file would grow the
registry with every list read. The lenient handler counts the bad bytes in one process-wide counter;
each ``BadBytes`` remembers where the counter stood, so lists read at the same time do not mix up
their rows' errors (another list's bad bytes only cost a look).
"""

from __future__ import annotations

import codecs
import io
import re
from typing import IO

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Msg
from nami_cli.lists.formats import SNIFF_CHARS

__all__ = ["CP1252_IN", "UTF8_LENIENT", "BadBytes", "Text", "open_text", "reopen_text"]

SCAN_CHUNK = 1 << 18
SCAN_DECODE_LIMIT = 4 << 20  # non-ASCII bytes enough to decide the encoding
CP1252_IN = "nami-cp1252-in"
UTF8_LENIENT = "nami-utf8-lenient"


def _cp1252_in(exc: UnicodeError) -> tuple[str, int]:
    """Windows-1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; read them as U+0081 etc. (as browsers do)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(CP1252_IN, _cp1252_in)  # once: error handlers are never freed

_SURROGATES = re.compile("[\udc80-\udcff]+")
_NOT_UTF8 = [0]  # bytes that were not UTF-8, met so far while decoding any list (the handler counts)


def _utf8_lenient(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 arrive as U+DC80..U+DCFF (fixed per row by ``BadBytes.fix``), counted."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _NOT_UTF8[0] += len(bad)
    return "".join(chr(0xDC00 + b) for b in bad), exc.end


codecs.register_error(UTF8_LENIENT, _utf8_lenient)  # once: error handlers are never freed


class BadBytes:
    """Bytes that are not UTF-8 in a stream being decoded; ``pending`` says that some may wait in the
    rows not fixed yet (bytes of another list open at the same time only cost a look)."""

    name = UTF8_LENIENT

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
                parts.append(raw.decode("cp1252", CP1252_IN))
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


_BOMS_UNSUPPORTED = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def check_text(head: bytes, file: str) -> None:
    for bom, name in _BOMS_UNSUPPORTED:
        if head.startswith(bom):
            raise NamiError(
                Problem(
                    Msg("list.encoding", name=name),
                    file=file,
                )
            )
    if b"\x00" in head[:SNIFF_CHARS]:
        raise NamiError(Problem(Msg("list.binary"), file=file))


def scan_utf8(stream: IO[bytes], first: bytes) -> tuple[int, int]:
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


class Text:
    """A decoded text stream plus what was decided about its encoding."""

    def __init__(self, stream: IO[str], encoding: str, bad: BadBytes | None) -> None:
        self.stream = stream
        self.encoding = encoding
        self.bad = bad


def open_text(raw: IO[bytes], head: bytes, seekable: bool, file: str, newline: str = "") -> Text:
    """Decide the encoding (see the module docstring) and open ``raw`` as text (universal newlines off;
    ``newline="\n"`` for JSON: a line ends at ``\n`` only, a lone ``\r`` is no line end)."""
    check_text(head, file)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        if seekable:
            raw.seek(0)
            invalid, multibyte = scan_utf8(raw, raw.read(SCAN_CHUNK))
            raw.seek(0)
        else:
            invalid, multibyte = scan_utf8(io.BytesIO(b""), head)
        encoding = "cp1252" if invalid and not multibyte else "utf-8"
    if encoding == "cp1252":
        cp = io.TextIOWrapper(raw, encoding="cp1252", errors=CP1252_IN, newline=newline)
        return Text(cp, encoding, None)
    bad = BadBytes()
    text = io.TextIOWrapper(raw, encoding=encoding, errors=bad.name, newline=newline)
    return Text(text, encoding, bad)


def reopen_text(path: str, text: Text) -> IO[str]:
    """The same file again, decoded as already decided (for a first pass that collects the JSON keys)."""
    errors = CP1252_IN if text.encoding == "cp1252" else "surrogateescape"
    return open(path, encoding=text.encoding, errors=errors, newline="\n")
