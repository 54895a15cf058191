"""Numbers and CPV codes as spreadsheets and spend exports write them.

The number parser itself is ``nami_cli.base.number_parser`` (one parser for lists, request files and the
interview); it is re-exported here. This module adds what only lists need: ``detect_decimal`` (the
decimal style of a list, from its number-like cells) and ``normalise_cpv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nami_cli.base.number_parser import FAST_NUMBER, MAX_ABS, NumberError, parse_number, valid_groups

__all__ = ["FAST_NUMBER", "MAX_ABS", "NumberError", "detect_decimal", "normalise_cpv", "parse_number"]

_valid_groups = valid_groups


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
