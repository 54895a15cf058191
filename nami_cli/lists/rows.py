"""One list row -> one request for the engine (the fields of the request file, spec section 4).

``row_to_request(cells, cmap, decimal)`` returns ``(request, extra, error)``:

- ``request``: ``title`` (the description text; without one, the category text; without either,
  ``CPV <code>``), ``description`` (the category text, when the row has a description too, so that
  keywords in the category classify the row), ``cpv`` (8 digits), ``quantity`` (> 0; an ``int`` when whole),
  ``unit``, ``unit_price`` (>= 0), ``estimated_value`` (the amount, when >= 0) and ``id``. Empty cells
  give no key. Texts of several columns mapped to one field are joined with a space.
- ``extra``: ``amount`` (float or None; negative for a credit line; without an amount column, quantity x
  unit price when both are known; multiplied by ``cmap.amount_scale`` when the header gives a unit such as
  ``*1000``); ``category_text`` when a category column is mapped; ``note`` when a
  value was read but not passed to the engine (a quantity that is not > 0, a negative unit price or
  amount). Negative amounts are real data (credit notes): no error, they stay in ``extra["amount"]``
  and are not passed as ``estimated_value``. Other columns (supplier, date, cost centre) are in the
  cells: ``cells[cmap.index("supplier")]``.
- ``error``: None, or what makes the row unreadable: a number or CPV code that cannot be read (naming
  the column and the value: ``column "Bedrag": "12,3,4" is not a number``), or no description, category
  or CPV code at all, or a description or category longer than ``MAX_TEXT_CHARS``, or a total row (its
  only text a label like ``Totaal`` or ``Subtotal``: its amount is None, so it is not added to spend;
  ``extra["total"]`` holds the amount it states, 0.0 when none, so a summary can count it apart).
  Several problems are joined with ``"; "``. With an error the request may be incomplete: do not
  assess it.

Numbers are read by ``parse_number`` (Dutch or English per ``decimal``; scientific notation such as
``1,23E+05`` is accepted too, NaN and infinity are not). A number of 1e15 or more in size (``1e400``, a
5000-digit amount), or a quantity x unit price that large, is a row error, never infinity.

Speed: this runs once per row (a million times for a big spend file). The converter is built once per
(column map, decimal style) as a closure over the column indexes, with the usual number shapes read by
a fast path (only the usual shapes: every other cell goes to ``parse_number``), and cached on the map.
It is split in a text part, the numbers as read and the request fields made of them
(:func:`converter`), so that a caller that sees the same texts again can keep the text part, and build
the fields only when a rule needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from nami_cli.lists.cells import FAST_NUMBER, MAX_ABS, normalise_cpv, parse_number
from nami_cli.lists.columns import ColumnMap

__all__ = ["NO_TEXT", "Converter", "TextPart", "converter", "row_to_request"]

NO_TEXT = "no description, category or CPV code"
_TOTAL = re.compile(
    r"\s*(?:sub-?|eind|grand\s+)?(?:totaal|totalen|total|totals|subtotaal)\b[\s:]*[^\s]{0,20}\s*\Z",
    re.IGNORECASE,
)
"""A total or subtotal row's label (``Totaal``, ``Subtotaal 2025``, ``Grand total:``) as the only text."""
MAX_TEXT_CHARS = 32_767
"""The longest description or category text screened (Excel's limit for a cell); a longer one is a
row error (the cell itself is kept as it is in the output)."""

Result = tuple[dict[str, Any], dict[str, Any], "str | None"]
#: the numbers of a row as read: (quantity, unit price, amount, errors); the amount is the amount column
#: (scaled), or quantity x unit price without one; ``errors`` names each number that cannot be read
Numbers = tuple["float | None", "float | None", "float | None", tuple[str, ...]]
#: what of a row's numbers (and id and unit) the request gets, and notes on what it does not get
Fields = tuple[dict[str, Any], list[str]]


class TextPart(NamedTuple):
    """What a row's text cells (description, category, CPV) decide, whatever its numbers say."""

    request: dict[str, Any]  # title, description, cpv as in the request (shared: do not change it)
    category_text: str | None  # None when no category column is mapped
    total: bool  # a total row (its label is the only text)
    errors: tuple[str, ...]  # no text, a text too long, a CPV code that cannot be read, a total row


class Converter(NamedTuple):
    """The compiled converter of one (column map, decimal style).

    ``convert(cells)`` is ``row_to_request``. The rest splits it for callers that see the same texts
    again and again (``nami screen``): ``text_key(cells)`` is the raw text cells that decide the whole
    :class:`TextPart` (equal keys give equal parts), ``text(cells)`` that part, ``numbers(cells)`` the
    numbers as read (:data:`Numbers`) and ``fields(cells, quantity, unit_price, amount)`` what of them
    (and of the id and unit cells) the request gets, with notes on what it does not get. ``convert`` is
    exactly: the request is the text part's request updated with the fields; the errors are the text
    part's, then the numbers'; the amount is None for a total row. A caller that needs only the amount
    and the errors (a row whose texts decide its outcome) need not build the fields."""

    convert: Callable[[list[str]], Result]
    text_key: Callable[[list[str]], Any]
    text: Callable[[list[str]], TextPart]
    numbers: Callable[[list[str]], Numbers]
    fields: Callable[[list[str], float | None, float | None, float | None], Fields]


def converter(cmap: ColumnMap, decimal: str) -> Converter:
    """The converter of this map and decimal style (built once, cached on the map). Its functions expect
    at least ``len(cmap.headers)`` cells, as the readers give."""
    conv: Converter | None = cmap._converters.get(decimal)  # type: ignore[assignment]
    if conv is None:
        conv = cmap._converters[decimal] = _compile(cmap, decimal)
    return conv


def row_to_request(cells: list[str], cmap: ColumnMap, decimal: str) -> Result:
    """Build the engine request for one row; see the module docstring for the three parts."""
    try:
        return cmap._converters[decimal].convert(cells)  # type: ignore[attr-defined,no-any-return]
    except (KeyError, IndexError):
        pass
    conv = converter(cmap, decimal)
    if len(cells) < len(cmap.headers):  # the readers pad; be safe for other callers
        cells = list(cells) + [""] * (len(cmap.headers) - len(cells))
    return conv.convert(cells)


def _scaled(amount: float, scale: int, header: str) -> tuple[float | None, str | None]:
    """``amount`` x ``scale`` in decimal arithmetic: 1.1 x 1000 is 1100, not 1100.0000000000002 (None,
    and what is wrong, when the product is too large)."""
    value = float(Decimal(repr(amount)) * scale)
    if -MAX_ABS < value < MAX_ABS:
        return value, None
    return None, f'column "{header}": {amount:g} x {scale} is more than the limit of 1e15'


class _Unreadable(ValueError):
    """A number cell that cannot be read (the message names the column and says why)."""


def _compile(cmap: ColumnMap, decimal: str) -> Converter:
    """Build the converter for this map and decimal style (see the module docstring)."""
    fields = cmap.fields
    headers = cmap.headers
    thousands = "." if decimal == "," else ","
    comma = decimal == ","
    fast = FAST_NUMBER[decimal]
    desc_cols = fields.get("description", ())
    cat_cols = fields.get("category", ())
    cpv_at = fields["cpv"][0] if "cpv" in fields else None
    id_at = fields["id"][0] if "id" in fields else None
    unit_at = fields["unit"][0] if "unit" in fields else None
    qty_at = fields["quantity"][0] if "quantity" in fields else None
    price_at = fields["unit_price"][0] if "unit_price" in fields else None
    amount_at = fields["amount"][0] if "amount" in fields else None
    scale = cmap.amount_scale

    def _too_long(cols: tuple[int, ...], cells: list[str]) -> str:
        longest = max(cols, key=lambda i: len(cells[i]))
        return (
            f'column "{headers[longest]}": a text of {len(cells[longest]):,} characters, more than the '
            f"limit of {MAX_TEXT_CHARS:,} (a spreadsheet cell's limit): not screened"
        )

    def text(cells: list[str], cols: tuple[int, ...]) -> str:
        if len(cols) == 1:
            return cells[cols[0]].strip()
        return " ".join([t for t in (cells[i].strip() for i in cols) if t])

    def number(cells: list[str], index: int) -> float | None:
        """The number in a cell: None when empty; raises ``_Unreadable`` (saying why) when unreadable.

        A cell in one of the usual shapes (``1234``, ``-12,50``, ``1.234,56``: FAST_NUMBER) is read by
        float() at once; every other cell by parse_number, which reads (or refuses) it as everywhere
        else. float() alone would read more ("5.", "1_000", digits of other scripts)."""
        raw = cells[index]
        if not raw:
            return None
        if fast(raw) is not None:
            value = float(raw.replace(thousands, "").replace(",", ".") if comma else raw.replace(",", ""))
            if -MAX_ABS < value < MAX_ABS:
                return value
        try:
            return parse_number(raw, decimal)
        except ValueError as exc:
            if raw.strip():
                raise _Unreadable(f'column "{headers[index]}": {exc}') from None
            return None

    def text_part(cells: list[str]) -> TextPart:
        request: dict[str, Any] = {}
        errors: list[str] = []
        desc = text(cells, desc_cols) if desc_cols else ""
        cat = text(cells, cat_cols) if cat_cols else ""
        too_long = len(desc) > MAX_TEXT_CHARS or len(cat) > MAX_TEXT_CHARS
        if too_long:
            errors.append(_too_long(desc_cols if len(desc) > MAX_TEXT_CHARS else cat_cols, cells))
            desc = cat = ""
        cpv = ""
        if cpv_at is not None:
            raw = cells[cpv_at]
            if raw and not raw.isspace():
                try:
                    cpv = request["cpv"] = normalise_cpv(raw)
                except ValueError as exc:
                    errors.append(f'column "{headers[cpv_at]}": {exc}')
        total = _TOTAL.match(desc or cat) if (not desc or not cat) and not cpv else None
        if total is not None:
            errors.append(
                f'a total row ("{total.group(0).strip()}"): not screened, and its amount is not added to the '
                "spend (it sums the rows above)"
            )
        elif desc:
            request["title"] = desc
            if cat and cat != desc:
                request["description"] = cat
        elif cat:
            request["title"] = cat
        elif cpv:
            request["title"] = "CPV " + cpv
        elif not too_long:
            errors.append(NO_TEXT)
        return TextPart(request, cat if cat_cols else None, total is not None, tuple(errors))

    def number_part(cells: list[str]) -> Numbers:
        errors: tuple[str, ...] = ()
        qty: float | int | None = None
        if qty_at is not None:
            raw = cells[qty_at]
            if len(raw) < 16 and raw.isdigit() and raw.isascii():
                qty = int(raw)
            else:
                try:
                    qty = number(cells, qty_at)
                except _Unreadable as exc:
                    errors = (*errors, str(exc))
        price = None
        if price_at is not None:
            try:
                price = number(cells, price_at)
            except _Unreadable as exc:
                errors = (*errors, str(exc))
        if amount_at is not None:
            try:
                amount = number(cells, amount_at)
            except _Unreadable as exc:
                errors = (*errors, str(exc))
                amount = None
            if amount is not None and scale != 1:
                amount, problem = _scaled(amount, scale, headers[amount_at])
                if problem:
                    errors = (*errors, problem)
        else:
            amount = qty * price if qty is not None and price is not None else None
            if amount is not None and not -MAX_ABS < amount < MAX_ABS:
                errors = (
                    *errors,
                    f"quantity x unit price is {amount:.3g}, more than the limit of 1e15: "
                    "check the quantity and the unit price",
                )
                amount = None
        return qty, price, amount, errors

    def fields_of(cells: list[str], qty: float | None, price: float | None, amount: float | None) -> Fields:
        given: dict[str, Any] = {}
        notes: list[str] = []
        if id_at is not None and (raw := cells[id_at].strip()):
            given["id"] = raw
        if unit_at is not None and (raw := cells[unit_at].strip()):
            given["unit"] = raw
        if qty is not None:
            if qty > 0:
                given["quantity"] = qty if isinstance(qty, int) or not qty.is_integer() else int(qty)
            else:
                notes.append(f"quantity {cells[qty_at].strip()} is not > 0: not passed on")  # type: ignore[index]
        if price is not None:
            if price >= 0:
                given["unit_price"] = price
            else:
                notes.append(f"negative unit price {cells[price_at].strip()}: not passed on")  # type: ignore[index]
        if amount_at is not None and amount is not None:
            if amount >= 0:
                given["estimated_value"] = amount
            else:
                notes.append(f"negative amount {cells[amount_at].strip()} (credit): not passed on")
        return given, notes

    def convert(cells: list[str]) -> Result:
        part = text_part(cells)
        qty, price, amount, number_errors = number_part(cells)
        fields, notes = fields_of(cells, qty, price, amount)
        request = {**part.request, **fields}
        errors = (*part.errors, *number_errors)
        extra: dict[str, Any] = {"amount": None if part.total else amount}
        if part.total:
            extra["total"] = 0.0 if amount is None else amount
        if part.category_text is not None:
            extra["category_text"] = part.category_text
        if notes:
            extra["note"] = "; ".join(notes)
        return request, extra, ("; ".join(errors) if errors else None)

    cols = (*desc_cols, *cat_cols, *(() if cpv_at is None else (cpv_at,)))
    key: Callable[[list[str]], Any] = itemgetter(*cols) if cols else (lambda cells: None)
    return Converter(convert, key, text_part, number_part, fields_of)
