"""Numbers and money as a Dutch or English reader expects them (one place for every renderer)."""

from __future__ import annotations

import math

__all__ = ["money", "number", "percent"]


def number(value: float | int | None, lang: str, decimals: int | None = None) -> str:
    """``1234.5`` -> ``1.234,5`` (nl) or ``1,234.5`` (en); whole numbers without decimals."""
    if value is None:
        return ""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if decimals is None else f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def money(value: float | int | None, lang: str, decimals: int = 2, currency: str = "EUR") -> str:
    """``€ 1.234,50`` (nl, with a no-break space) or ``€1,234.50`` (en); ``currency`` (an ISO code,
    :data:`~nami_cli.base.currency.CURRENCIES`) gives the sign: ``£ 1.234,50``, ``$1,234.50``."""
    if value is None:
        return ""
    from nami_cli.base.currency import SIGN

    text = number(abs(float(value)), lang, decimals)
    minus = "-" if float(value) < 0 else ""
    sign = SIGN.get(currency, currency + " ")
    return f"{minus}{sign}\u00a0{text}" if lang == "nl" else f"{minus}{sign}{text}"


def percent(part: float | int | None, whole: float | int | None, lang: str) -> str:
    """Share of ``whole`` as ``12,3%`` (nl) or ``12.3%`` (en); empty when the whole is zero."""
    if not whole or part is None:
        return ""
    return number(100.0 * float(part) / float(whole), lang, 1) + "%"
