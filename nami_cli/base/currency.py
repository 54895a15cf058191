"""The currencies nami shows amounts in, and how a list says which one it uses.

One place for the currency codes, their signs and the words and signs that name them in a header or a
cell (``Bedrag (EUR)``, ``Net Amount £``, ``$ 1,200.00``). It imports nothing heavy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

Currency = Literal["EUR", "GBP", "USD"]
CURRENCIES: tuple[Currency, ...] = ("EUR", "GBP", "USD")
DEFAULT_CURRENCY: Currency = "EUR"
#: the sign shown before an amount
SIGN: dict[str, str] = {"EUR": "€", "GBP": "£", "USD": "$"}

_MARK = re.compile(r"(€|£|\$|(?<![a-z])(?:eur|euro|euros|gbp|usd)(?![a-z]))", re.IGNORECASE)
_BY_MARK: dict[str, Currency] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "$": "USD",
    "usd": "USD",
}


def currencies_in(text: str) -> list[Currency]:
    """The currencies a text names by sign or code: ``"£ 12 (GBP)"`` -> ``["GBP", "GBP"]``."""
    if not text:
        return []
    return [_BY_MARK[m.casefold()] for m in _MARK.findall(text)]


def majority(marks: Iterable[Currency]) -> tuple[Currency | None, dict[Currency, int]]:
    """The currency named most often (ties: the order of ``CURRENCIES``) and the count of each."""
    counts = Counter(marks)
    if not counts:
        return None, {}
    best = max(CURRENCIES, key=lambda c: (counts.get(c, 0), -CURRENCIES.index(c)))
    return best, {c: counts[c] for c in CURRENCIES if counts.get(c)}


__all__ = ["CURRENCIES", "DEFAULT_CURRENCY", "SIGN", "Currency", "currencies_in", "majority"]
