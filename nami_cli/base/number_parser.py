"""The one number parser of nami: lists, request files and the interview read numbers here.

``parse_number(text, decimal)`` reads Dutch (``1.234,56``) and English (``1,234.56``) numbers, with
currency signs (``€``, ``EUR``, ``$``, ``£``, ...), space or apostrophe thousands separators, a leading or
trailing minus, accounting parentheses (``(12,50)`` is -12.5) and a spreadsheet's exponent
(``1,23E+05``). NaN, infinity, percentages and text are refused.

``decimal`` is the decimal separator the writer used, when it is known: a list has one style (see
``lists.numbers.detect_decimal``); a request file or a typed answer has none (``decimal=None``). It only
decides the cases that are truly ambiguous:

====================  ===============  ===============  =======================================
text                  decimal ","      decimal "."      decimal None (request, interview)
====================  ===============  ===============  =======================================
``1.500``             1500             1.5              refused: "write 1500 or 1.5"
``1,500``             1.5              1500             refused: "write 1500 or 1.5"
``1.234,56``          1234.56          1234.56          1234.56 (the last separator is decimal)
``12.50``, ``2,10``   12.5, 2.1        12.5, 2.1        12.5, 2.1 (two digits: never thousands)
``0.500``             0.5              0.5              0.5 (a group never starts with 0)
``1.23.4``            error            error            error
====================  ===============  ===============  =======================================

A request file adds one rule (``request_number``): it is YAML, whose numbers are written with a point and
without thousands separators or currency, so ``2,10`` or ``€ 5`` is refused with the number to write
instead (``2.1``, ``5``). The ambiguity rule is the same as the interview's.

Limits: a money amount or a quantity must be below ``MAX_ABS`` (1e15, a million billion) in size; a larger
number (``1e400``, a 5000-digit integer) is refused with a message, never read as infinity, and number
text longer than ``MAX_TEXT`` characters is refused without being parsed. Every refusal is a
``NumberError`` (a ``ValueError``) whose ``key`` says which rule (``number``, ``ambiguous``, ``range``,
``format``) and whose ``fields`` fill a translated message (the interview uses them).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "FAST_NUMBER",
    "MAX_ABS",
    "NumberError",
    "check_range",
    "parse_number",
    "plain",
    "request_number",
]

MAX_ABS = 1e15
"""Every amount and quantity is smaller than this in size: 1e15 euro is far beyond any public budget."""
MAX_TEXT = 100
"""Number text longer than this (after trimming spaces) is refused without being parsed."""

# Fast paths: the usual shapes of a number in a Dutch / an English list.
_FAST_COMMA = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_FAST_DOT = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
FAST_NUMBER = {",": _FAST_COMMA.fullmatch, ".": _FAST_DOT.fullmatch}
"""The usual well-formed shapes per decimal style (for callers that inline the fast path, like rows.py)."""

_EXPONENT = re.compile(r"([0-9.,]+)[eE]([+-]?[0-9]{1,4})")
_AMBIGUOUS = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")
_DIGITS_ONLY = re.compile(r"[-+\u2212]?[0-9][0-9.,\s'_]*")
_YAML_NUMBER = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_CURRENCIES = ("EUR", "EURO", "USD", "GBP", "€", "$", "£")
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (spreadsheets and word processors)
_GROUP_SPACES = " \u00a0\u202f'\u2019"  # space, no-break space, narrow no-break space, apostrophes
_DIGITS = "0123456789"


class NumberError(ValueError):
    """A text that is not a number to use. ``key``: ``number`` (not a number), ``ambiguous`` (1.500
    without a known decimal style; ``fields`` ``whole`` and ``decimal`` are the two readings),
    ``range`` (too large), ``format`` (a request file's number written otherwise; ``fields``
    ``suggestion``). ``fields["text"]`` is the text as written."""

    def __init__(self, key: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.key = key
        self.fields = fields


def show(text: str) -> str:
    """The text quoted for a message, shortened when long: ``"99999…999" (5000 characters)``."""
    if len(text) <= 40:
        return f'"{text}"'
    return f'"{text[:12]}…{text[-6:]}" ({len(text):,} characters)'


def plain(value: float) -> str:
    """A number written plainly and unambiguously, as a request file should write it: ``60000``, ``2.1``,
    and ``2.1250`` for 2.125 (``2.125`` would be refused as ambiguous when read back)."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    if _AMBIGUOUS.fullmatch(text) is not None:
        text += "0"
    return text


def _too_large(text: str) -> NumberError:
    return NumberError(
        "range",
        f"{show(text)} is too large: amounts and quantities must be below 1e15 (a million billion)",
        text=text,
    )


def _not_a_number(text: str) -> NumberError:
    return NumberError("number", f"{show(text)} is not a number", text=text)


def check_range(value: float, text: str) -> float:
    """``value`` if it is finite and below ``MAX_ABS`` in size, else the ``range`` error for ``text``."""
    if -MAX_ABS < value < MAX_ABS:
        return value
    if value != value:  # NaN
        raise _not_a_number(text)
    raise _too_large(text)


def parse_number(text: str, decimal: str | None = ",", *, exponent: bool = True) -> float:
    """Read a number; raise ``NumberError`` saying what is wrong (see the module docstring).

    ``decimal``: ``","`` (Dutch: ``1.234,56``), ``"."`` (English: ``1,234.56``) or ``None`` (unknown: a
    single separator before exactly three digits is refused as ambiguous). ``exponent``: accept
    ``1,23E+05``.
    """
    if len(text) < 16 and text.isdigit() and text.isascii():
        return float(text)
    if (
        decimal is not None
        and len(text) < 20
        and (_FAST_COMMA if decimal == "," else _FAST_DOT).fullmatch(text) is not None
    ):
        if decimal == ",":
            return check_range(float(text.replace(".", "").replace(",", ".")), text)
        return check_range(float(text.replace(",", "")), text)
    return _parse_slow(text, decimal, exponent)


def request_number(text: str) -> float:
    """A number as a request file (YAML) writes it: a point for decimals, no thousands separator, no
    currency; ``60.000`` and ``1.234`` are refused as ambiguous (the interview's rule)."""
    s = text.strip()
    value = parse_number(s, None)
    if _YAML_NUMBER.match(s) is None:
        suggestion = plain(value)
        raise NumberError(
            "format",
            f"{show(s)} is not how a request file writes a number: write decimals with a point, "
            f"without thousands separators or currency: {suggestion}",
            text=s,
            suggestion=suggestion,
        )
    return value


def _strip_currency(s: str) -> str:
    changed = True
    while changed and s:
        changed = False
        upper = s.upper()
        for cur in _CURRENCIES:
            if upper.startswith(cur):
                s = s[len(cur) :].strip()
                changed = True
                break
            if upper.endswith(cur):
                s = s[: -len(cur)].strip()
                changed = True
                break
    return s


def valid_groups(head: str, sep: str) -> bool:
    """``head`` is digits grouped by ``sep`` in threes (``1.234.567``): the first group 1-3 digits."""
    groups = head.split(sep)
    first = groups[0]
    if not (1 <= len(first) <= 3 and first.isdigit() and first.isascii()):
        return False
    if first == "0":  # 0.500 is never thousands
        return False
    return all(len(g) == 3 and g.isdigit() and g.isascii() for g in groups[1:])


def _digits(s: str) -> bool:
    return s.isdigit() and s.isascii()


def _parse_slow(text: str, decimal: str | None, exponent: bool) -> float:
    s = text.strip()
    if not s:
        raise NumberError("number", "empty value is not a number", text=text)
    if len(s) > MAX_TEXT:
        if _DIGITS_ONLY.fullmatch(s) is not None:
            raise _too_large(s)
        raise _not_a_number(s)
    negative = False
    if s[0] == "(" and s[-1] == ")":  # accounting: (12,50) is -12.50
        negative = True
        s = s[1:-1].strip()
    signed = negative
    for _ in range(2):  # "€ -12,50", "-€ 12,50", "12,50- EUR": one sign, before or after
        s = _strip_currency(s)
        if s and not signed and s[0] in _MINUS + "+":
            negative = s[0] != "+"
            signed = True
            s = s[1:].strip()
        elif s and not signed and s[-1] in _MINUS:  # trailing minus, as some ERP exports write it
            negative = signed = True
            s = s[:-1].strip()
    if not s:
        raise _not_a_number(text)
    power = 0
    m = _EXPONENT.fullmatch(s) if exponent else None
    if m is not None:  # 1,23E+05 as a spreadsheet writes a big number
        s, power = m.group(1), int(m.group(2))
    if any(ch in _GROUP_SPACES for ch in s):
        s = _join_space_groups(s, text)
    value = _parse_plain(s, decimal, text)
    if power:
        try:
            value *= 10.0**power
        except OverflowError:
            raise _too_large(text.strip()) from None
    return check_range(-value if negative else value, text.strip())


def _join_space_groups(s: str, text: str) -> str:
    """``1 234 567,89`` -> ``1234567,89``; only groups of three digits may be separated by spaces."""
    for ch in _GROUP_SPACES[1:]:
        s = s.replace(ch, " ")
    parts = s.split(" ")
    first = parts[0]
    if not (1 <= len(first) <= 3 and _digits(first)):
        raise _not_a_number(text)
    for part in parts[1:]:
        # every following group starts with exactly three digits; only the last may carry decimals
        if len(part) < 3 or not _digits(part[:3]) or (len(part) > 3 and part[3] not in ".,"):
            raise _not_a_number(text)
    if any(len(p) > 3 for p in parts[1:-1]):
        raise _not_a_number(text)
    return "".join(parts)


def _parse_plain(s: str, decimal: str | None, text: str) -> float:
    """``s`` holds only digits, dots and commas (else an error)."""
    if s.strip(_DIGITS + ".,") or not any(ch in _DIGITS for ch in s):
        raise _not_a_number(text)
    dots = s.count(".")
    commas = s.count(",")
    if dots and commas:
        dsep, tsep = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        if s.count(dsep) != 1:
            raise _not_a_number(text)
        head, _, frac = s.partition(dsep)
        if not _digits(frac) or not valid_groups(head, tsep):
            raise _not_a_number(text)
        return float(head.replace(tsep, "") + "." + frac)
    if not dots and not commas:
        return float(s)
    sep = "." if dots else ","
    count = dots or commas
    if count > 1:
        if valid_groups(s, sep):  # 1.234.567 or 1,234,567
            return float(s.replace(sep, ""))
        raise _not_a_number(text)
    head, _, frac = s.partition(sep)
    if not _digits(frac) or (head and not _digits(head)):
        raise _not_a_number(text)
    if sep != decimal and len(frac) == 3 and valid_groups(s, sep):
        if decimal is None:  # 1.500: 1500 to a Dutch reader, 1.5 to an English one
            whole = head + frac
            point = f"{head}.{frac}".rstrip("0").rstrip(".")
            if point.endswith(frac):  # 1.234 -> 1.2340: a fourth digit makes it plainly a decimal
                point += "0"
            shown = text.strip()
            sign = "-" if shown[:1] in _MINUS or shown[:1] == "(" else ""
            raise NumberError(
                "ambiguous",
                f"{show(shown)} is ambiguous: write {sign}{whole} or {sign}{point}",
                text=shown,
                whole=sign + whole,
                decimal=sign + point,
            )
        return float(head + frac)  # 1.500 in a Dutch list, 1,500 in an English one
    return float((head or "0") + "." + frac)
