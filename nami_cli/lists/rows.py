"""One list row -> one request for the engine (the fields of the request file, spec section 4).

``row_to_request(cells, cmap, decimal)`` returns ``(request, extra, error)``:

- ``request``: ``title`` (the description text; without one, the category text; without either,
  ``CPV <code>``), ``description`` (the category text, when the row has a description too, so that
  keywords in the category classify the row), ``cpv`` (8 digits), ``quantity`` (> 0; an ``int`` when whole),
  ``unit``, ``unit_price`` (>= 0), ``estimated_value`` (the amount, when >= 0) and ``id``. Empty cells
  give no key. Texts of several columns mapped to one field are joined with a space.
- ``extra``: ``amount`` (float or None; negative for a credit line; without an amount column, quantity x
  unit price when both are known); ``category_text`` when a category column is mapped; ``note`` when a
  value was read but not passed to the engine (a quantity that is not > 0, a negative unit price or
  amount). Negative amounts are real data (credit notes): no error, they stay in ``extra["amount"]``
  and are not passed as ``estimated_value``. Other columns (supplier, date, cost centre) are in the
  cells: ``cells[cmap.index("supplier")]``.
- ``error``: None, or what makes the row unreadable: a number or CPV code that cannot be read (naming
  the column and the value: ``column "Bedrag": "12,3,4" is not a number``), or no description, category
  or CPV code at all. Several problems are joined with ``"; "``. With an error the request may be
  incomplete: do not assess it.

Numbers are read by ``parse_number`` (Dutch or English per ``decimal``; scientific notation such as
``1,23E+05`` is accepted too, NaN and infinity are not).

Speed: this runs once per row (a million times for a big spend file). The converter is generated once
per (column map, decimal style) as straight-line Python with the column indexes as constants and the
number fast paths inlined, and cached on the map.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nami_cli.lists.columns import ColumnMap
from nami_cli.lists.numbers import FAST_NUMBER, normalise_cpv, parse_number

__all__ = ["NO_TEXT", "row_to_request"]

NO_TEXT = "no description, category or CPV code"

Result = tuple[dict[str, Any], dict[str, Any], "str | None"]
Converter = Callable[[list[str]], Result]


def row_to_request(cells: list[str], cmap: ColumnMap, decimal: str) -> Result:
    """Build the engine request for one row; see the module docstring for the three parts."""
    try:
        return cmap._converters[decimal](cells)  # type: ignore[operator,no-any-return]
    except (KeyError, IndexError):
        pass
    conv: Any = cmap._converters.get(decimal)
    if conv is None:
        conv = cmap._converters[decimal] = _compile(cmap, decimal)
    if len(cells) < len(cmap.headers):  # the readers pad; be safe for other callers
        cells = list(cells) + [""] * (len(cmap.headers) - len(cells))
    return conv(cells)  # type: ignore[no-any-return]


def _text_expr(cols: tuple[int, ...]) -> str:
    if len(cols) == 1:
        return f"cells[{cols[0]}].strip()"
    parts = ", ".join(f"cells[{i}].strip()" for i in cols)
    return f'" ".join([t for t in ({parts}) if t])'


_DIGITS_FIRST = (
    "            if raw.isdigit() and raw.isascii():\n"
    "                {var} = int(raw)\n"
    "            el"  # continued by "if THOUSANDS not in raw:" -> "elif ..."
)


def _number_block(var: str, index: int, lines: list[str], *, digits_first: bool = False) -> None:
    """Code that sets ``var`` to the number in ``cells[index]`` (None when empty, error when unreadable).

    Fast paths: no thousands separator -> ``float()`` (after turning a decimal comma into a point; NaN and
    infinity are sent on to ``parse_number``, which refuses them); a well-formed grouped number -> strip
    the separators. Everything else (currency signs, spaces, the other style, errors) -> ``parse_number``.
    """
    lines += [
        f"    {var} = None",
        f"    raw = cells[{index}]",
        "    if raw:",
        "        try:",
        (_DIGITS_FIRST.format(var=var) if digits_first else "            ") + "if THOUSANDS not in raw:",
        f"                {var} = float(raw.replace(',', '.'))",
        f"                if {var} - {var} != 0.0:",
        "                    raise ValueError",
        "            elif fast(raw) is not None:",
        f"                {var} = float(raw.replace(THOUSANDS, '').replace(',', '.'))",
        "            else:",
        f"                {var} = parse(raw, DECIMAL)",
        "        except ValueError:",
        "            try:",
        f"                {var} = parse(raw, DECIMAL)",
        "            except ValueError:",
        f"                {var} = None",
        "                if raw.strip():",
        f"                    errors = (errors or []) + [bad_number({index}, raw)]",
    ]


def _compile(cmap: ColumnMap, decimal: str) -> Converter:
    """Generate the converter for this map and decimal style (see the module docstring)."""
    fields = cmap.fields
    lines = ["def convert(cells):", "    request = {}", "    errors = None", "    notes = None"]
    desc = fields.get("description", ())
    cat = fields.get("category", ())
    lines.append(f"    desc = {_text_expr(desc)}" if desc else "    desc = ''")
    lines.append(f"    cat = {_text_expr(cat)}" if cat else "    cat = ''")
    lines.append("    cpv = ''")
    if "cpv" in fields:
        i = fields["cpv"][0]
        lines += [
            f"    raw = cells[{i}]",
            "    if raw and not raw.isspace():",
            "        try:",
            "            cpv = request['cpv'] = cpv_of(raw)",
            "        except ValueError as exc:",
            f"            errors = [bad_cpv({i}, exc)]",
        ]
    lines += [
        "    if desc:",
        "        request['title'] = desc",
        "        if cat and cat != desc:",
        "            request['description'] = cat",
        "    elif cat:",
        "        request['title'] = cat",
        "    elif cpv:",
        "        request['title'] = 'CPV ' + cpv",
        "    else:",
        "        errors = (errors or []) + [NO_TEXT]",
    ]
    for name, key in (("id", "id"), ("unit", "unit")):
        if name in fields:
            lines += [
                f"    raw = cells[{fields[name][0]}].strip()",
                "    if raw:",
                f"        request[{key!r}] = raw",
            ]
    if "quantity" in fields:
        _number_block("qty", fields["quantity"][0], lines, digits_first=True)
        lines += [
            "    if qty is not None:",
            "        if qty > 0:",
            "            request['quantity'] = qty if type(qty) is int or not qty.is_integer() else int(qty)",
            "        else:",
            "            notes = [f'quantity {raw.strip()} is not > 0: not passed on']",
        ]
    else:
        lines.append("    qty = None")
    if "unit_price" in fields:
        _number_block("price", fields["unit_price"][0], lines)
        lines += [
            "    if price is not None:",
            "        if price >= 0:",
            "            request['unit_price'] = price",
            "        else:",
            "            notes = (notes or []) + [f'negative unit price {raw.strip()}: not passed on']",
        ]
    else:
        lines.append("    price = None")
    if "amount" in fields:
        _number_block("amount", fields["amount"][0], lines)
        lines += [
            "    if amount is not None:",
            "        if amount >= 0:",
            "            request['estimated_value'] = amount",
            "        else:",
            "            notes = (notes or []) + [f'negative amount {raw.strip()} (credit): not passed on']",
        ]
    else:
        lines += [
            "    amount = None",
            "    if qty is not None and price is not None:",
            "        amount = qty * price",
        ]
    extra = ["'amount': amount"]
    if cat:
        extra.append("'category_text': cat")
    lines += [
        "    extra = {" + ", ".join(extra) + "}",
        "    if notes:",
        "        extra['note'] = '; '.join(notes)",
        "    return request, extra, ('; '.join(errors) if errors else None)",
    ]
    headers = cmap.headers

    def bad_number(index: int, raw: str) -> str:
        return f'column "{headers[index]}": "{raw.strip()}" is not a number'

    def bad_cpv(index: int, exc: Exception) -> str:
        return f'column "{headers[index]}": {exc}'

    namespace: dict[str, Any] = {
        "fast": FAST_NUMBER[decimal],
        "parse": parse_number,
        "cpv_of": normalise_cpv,
        "bad_number": bad_number,
        "bad_cpv": bad_cpv,
        "NO_TEXT": NO_TEXT,
    }
    thousands = "." if decimal == "," else ","
    lines = [line.replace("THOUSANDS", repr(thousands)).replace("DECIMAL", repr(decimal)) for line in lines]
    if decimal == ".":
        # the point is already the decimal point: only the thousands commas go
        lines = [line.replace(".replace(',', '.')", "") for line in lines]
    exec(
        compile("\n".join(lines), f"<nami row converter {decimal!r}>", "exec"), namespace
    )  # only indexes and fixed text
    return namespace["convert"]  # type: ignore[no-any-return]
