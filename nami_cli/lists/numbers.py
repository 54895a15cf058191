"""Numbers and CPV codes as spreadsheets and spend exports write them.

``parse_number`` reads Dutch (``1.234,56``) and English (``1,234.56``) numbers, with currency signs
(``€``, ``EUR``, ``$``, ``£``, ...), space or apostrophe thousands separators, a leading or trailing
minus, accounting parentheses (``(12,50)`` is -12.5) and a spreadsheet's exponent (``1,23E+05``). NaN,
infinity, percentages and text are refused.
``decimal`` is the decimal separator of the list (see ``detect_decimal``); it only decides the cases that
are truly ambiguous:

====================  ===============  ===============
text                  decimal ","      decimal "."
====================  ===============  ===============
``1.500``             1500             1.5
``1,500``             1.5              1500
``1.234,56``          1234.56          1234.56 (both separators: the last one is the decimal one)
``12.50``             12.5             12.5 (a dot followed by two digits cannot be thousands)
``1.23.4``            error            error
====================  ===============  ===============

The common shapes take a fast path (no regular expression for plain digits, one for the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["FAST_NUMBER", "detect_decimal", "normalise_cpv", "parse_number"]

# Fast paths: the usual shapes of a number in a Dutch / an English list.
_FAST_COMMA = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_FAST_DOT = re.compile(r"-?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")

_EXPONENT = re.compile(r"([0-9.,]+)[eE]([+-]?[0-9]{1,3})")
FAST_NUMBER = {",": _FAST_COMMA.fullmatch, ".": _FAST_DOT.fullmatch}
"""The usual well-formed shapes per decimal style (for callers that inline the fast path, like rows.py)."""

_CURRENCIES = ("EUR", "EURO", "USD", "GBP", "€", "$", "£")
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (spreadsheets and word processors)
_GROUP_SPACES = " \u00a0\u202f'\u2019"  # space, no-break space, narrow no-break space, apostrophes
_DIGITS = "0123456789"


def parse_number(text: str, decimal: str = ",") -> float:
    """Read a number as a spend list writes it; raise ``ValueError`` saying what is wrong.

    ``decimal`` is ``","`` (Dutch: ``1.234,56``) or ``"."`` (English: ``1,234.56``).
    """
    if text.isdigit() and text.isascii():
        return float(text)
    if (_FAST_COMMA if decimal == "," else _FAST_DOT).fullmatch(text) is not None:
        if decimal == ",":
            return float(text.replace(".", "").replace(",", "."))
        return float(text.replace(",", ""))
    return _parse_slow(text, decimal)


def _not_a_number(text: str) -> ValueError:
    return ValueError(f'"{text}" is not a number')


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


def _valid_groups(head: str, sep: str) -> bool:
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


def _parse_slow(text: str, decimal: str) -> float:
    s = text.strip()
    if not s:
        raise ValueError("empty value is not a number")
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
    exponent = 0
    m = _EXPONENT.fullmatch(s)
    if m is not None:  # 1,23E+05 as a spreadsheet writes a big number
        s, exponent = m.group(1), int(m.group(2))
    if any(ch in _GROUP_SPACES for ch in s):
        s = _join_space_groups(s, text)
    value = _parse_plain(s, decimal, text)
    if exponent:
        value *= 10.0**exponent
    return -value if negative else value


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


def _parse_plain(s: str, decimal: str, text: str) -> float:
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
        if not _digits(frac) or not _valid_groups(head, tsep):
            raise _not_a_number(text)
        return float(head.replace(tsep, "") + "." + frac)
    if not dots and not commas:
        return float(s)
    sep = "." if dots else ","
    count = dots or commas
    if count > 1:
        if _valid_groups(s, sep):  # 1.234.567 or 1,234,567
            return float(s.replace(sep, ""))
        raise _not_a_number(text)
    head, _, frac = s.partition(sep)
    if not _digits(frac) or (head and not _digits(head)):
        raise _not_a_number(text)
    if sep != decimal and len(frac) == 3 and _valid_groups(s, sep):
        return float(head + frac)  # 1.500 in a Dutch list, 1,500 in an English one
    return float((head or "0") + "." + frac)


# --- decimal style ------------------------------------------------------------------------------------

_CANDIDATE = re.compile(
    r"[(]?\s*(?:[-+\u2212]\s*)?(?:€|EUR|\$|£)?\s*[-+\u2212]?[0-9][0-9.,\u00a0\u202f ']*\s*(?:€|EUR)?\s*[-)]?",
    re.IGNORECASE,
)


def _vote(sample: str) -> tuple[str, bool] | None:
    """The decimal separator ``sample`` suggests and whether that is certain; None if it says nothing."""
    s = "".join(ch for ch in sample if ch in "0123456789.,")
    dots = s.count(".")
    commas = s.count(",")
    if dots and commas:
        dsep, tsep = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        head, _, frac = s.partition(dsep)
        if s.count(dsep) == 1 and frac.isdigit() and _valid_groups(head, tsep):
            return dsep, True
        return None
    if not dots and not commas:
        return None
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    if (dots or commas) > 1:
        return (other, True) if _valid_groups(s, sep) else None
    head, _, frac = s.partition(sep)
    if not frac.isdigit() or (head and not head.isdigit()):
        return None
    if len(frac) == 3 and _valid_groups(s, sep):
        return other, False  # 1.500 / 1,500: most likely thousands, but not certain
    return sep, True


def detect_decimal(samples: Iterable[str], default: str = ",") -> str:
    """The decimal separator ("," or ".") that the number-like texts in ``samples`` use.

    Certain evidence (``12,50``, ``1.234,56``, ``0.5``) outweighs ambiguous evidence (``1.500``, read as
    thousands); texts that are not numbers (dates, codes, words) are ignored; without evidence the
    ``default`` is returned.
    """
    strong = {",": 0, ".": 0}
    weak = {",": 0, ".": 0}
    for text in samples:
        if not text or len(text) > 40 or ("." not in text and "," not in text):
            continue
        if _CANDIDATE.fullmatch(text.strip()) is None:
            continue
        vote = _vote(text)
        if vote is None:
            continue
        (strong if vote[1] else weak)[vote[0]] += 1
    for counts in (strong, weak):
        if counts[","] != counts["."]:
            return "," if counts[","] > counts["."] else "."
    return default


# --- CPV ----------------------------------------------------------------------------------------------

_CPV_LOOSE = re.compile(r"([0-9]{7,8})(?:-[0-9]|\.0+)?(?:\s+.*)?", re.DOTALL)


def normalise_cpv(text: str) -> str:
    """The 8 digits of a CPV code: ``45233130-9``, ``45233130.0`` (a number in a spreadsheet or OCDS),
    ``45233130`` and ``45233130-9 Construction work`` all give ``45233130``.

    Seven digits are taken as a code whose leading zero a spreadsheet dropped (``3221000`` ->
    ``03221000``). Anything else raises ``ValueError``.
    """
    if len(text) == 8 and text.isdigit() and text.isascii():
        return text
    if len(text) == 10 and text[8] == "-" and text[:8].isdigit() and text[9].isdigit() and text.isascii():
        return text[:8]
    m = _CPV_LOOSE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f'"{text}" is not a CPV code (8 digits, optionally with "-N" check digit)')
    digits = m.group(1)
    return digits if len(digits) == 8 else "0" + digits
