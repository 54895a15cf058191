"""Which input column holds which field: the one table of column aliases, and ``--map`` overrides.

Headers are compared after normalising: case-insensitive, ignoring spaces, underscores and punctuation
(``Bedrag excl. BTW``, ``bedrag_excl_btw`` and ``BEDRAG EXCL BTW`` are the same), and ignoring a currency
suffix (``Bedrag (EUR)``, ``Amount €``). When several columns match one field, the alias listed first
wins (``Bedrag excl. BTW`` before ``Bedrag``); automatic matching never joins columns.

``--map field=Column`` (repeatable) overrides the automatic choice. The text fields (``description``,
``category``) may be mapped to several columns, joined with a space. ``--map field=`` (empty) leaves a
field unmapped. A column named in ``--map`` is no longer used automatically for another field.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from nami_cli.errors import NamiError, Problem

__all__ = ["ALIASES", "FIELDS", "TEXT_FIELDS", "ColumnMap", "map_columns", "normalise_header"]

FIELDS = (
    "id",
    "description",
    "category",
    "cpv",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "supplier",
    "date",
    "cost_centre",
)

TEXT_FIELDS = ("description", "category")
"""Fields that may be mapped to several columns (their texts are joined with a space)."""

NEEDS_ONE_OF = ("description", "category", "cpv")
"""A list needs at least one of these to be screened."""

# Best first: when two columns match one field, the earlier alias wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "regelnummer",
        "regel id",
        "line id",
        "ordernummer",
        "order nummer",
        "bestelnummer",
        "inkoopordernummer",
        "order number",
        "order no",
        "order id",
        "po number",
        "purchase order",
        "factuurnummer",
        "invoice number",
        "invoice no",
        "invoice id",
        "boekstuknummer",
        "boekstuk",
        "item id",
        "nummer",
        "nr",
        "volgnummer",
        "number",
        "no",
        "referentie",
        "reference",
        "kenmerk",
    ),
    "description": (
        "omschrijving",
        "artikelomschrijving",
        "productomschrijving",
        "regelomschrijving",
        "factuurregelomschrijving",
        "factuuromschrijving",
        "orderregelomschrijving",
        "bestelregelomschrijving",
        "boekingsomschrijving",
        "artikel",
        "artikelnaam",
        "product",
        "productnaam",
        "onderwerp",
        "titel",
        "description",
        "item description",
        "line description",
        "product description",
        "invoice description",
        "item",
        "item name",
        "product name",
        "title",
        "subject",
    ),
    "category": (
        "categorie",
        "inkoopcategorie",
        "productcategorie",
        "productgroep",
        "artikelgroep",
        "inkooppakket",
        "kostensoort",
        "kostensoortomschrijving",
        "omschrijving kostensoort",
        "kostensoortnaam",
        "grootboekrekeningomschrijving",
        "omschrijving grootboekrekening",
        "grootboekomschrijving",
        "grootboekrekeningnaam",
        "grootboekrekening",
        "grootboek",
        "category",
        "expenditure category",
        "spend category",
        "purchase category",
        "product category",
        "commodity",
        "expense type",
        "expense category",
        "cost type",
        "ledger account",
        "gl account",
        "account description",
    ),
    "cpv": (
        "cpv",
        "cpv code",
        "cpvcode",
        "cpv-code",
        "hoofd cpv",
        "main cpv",
        "classification",
        "classificatie",
    ),
    "quantity": (
        "aantal",
        "hoeveelheid",
        "besteld aantal",
        "aantal besteld",
        "aantal stuks",
        "quantity",
        "qty",
        "ordered quantity",
        "number of items",
    ),
    "unit": (
        "eenheid",
        "besteleenheid",
        "maateenheid",
        "unit",
        "unit name",
        "unit of measure",
        "uom",
    ),
    "unit_price": (
        "stuksprijs",
        "prijs per stuk",
        "eenheidsprijs",
        "prijs per eenheid",
        "prijs",
        "unit price",
        "price per unit",
        "unit cost",
        "price",
    ),
    "amount": (
        "bedrag excl btw",
        "bedrag exclusief btw",
        "netto bedrag",
        "nettobedrag",
        "bedrag excl",
        "excl btw",
        "totaal excl btw",
        "regelbedrag",
        "factuurbedrag excl btw",
        "bedrag",
        "uitgaven",
        "kosten",
        "waarde",
        "geraamde waarde",
        "totaal",
        "totaalbedrag",
        "net amount",
        "amount excl vat",
        "amount net",
        "line amount",
        "amount",
        "spend",
        "value",
        "estimated value",
        "total",
        "total amount",
        "cost",
    ),
    "supplier": (
        "leverancier",
        "leveranciersnaam",
        "naam leverancier",
        "crediteur",
        "crediteurnaam",
        "naam crediteur",
        "crediteurennaam",
        "supplier",
        "supplier name",
        "vendor",
        "vendor name",
        "creditor",
        "payee",
    ),
    "date": (
        "boekdatum",
        "factuurdatum",
        "besteldatum",
        "orderdatum",
        "datum",
        "date",
        "invoice date",
        "order date",
        "posting date",
        "transaction date",
        "payment date",
    ),
    "cost_centre": (
        "kostenplaats",
        "kostenplaatsnaam",
        "kostenplaats omschrijving",
        "afdeling",
        "cost centre",
        "cost center",
        "costcentre",
        "department",
        "budget holder",
    ),
}

_FIELD_NAMES = {f.replace("_", ""): f for f in FIELDS} | {"costcenter": "cost_centre", "price": "unit_price"}
_CURRENCY_SUFFIXES = ("euro", "eur")


def normalise_header(name: str) -> str:
    """Lowercase letters and digits only: ``Bedrag (excl. BTW)`` -> ``bedragexclbtw``."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _build_lookup() -> dict[str, tuple[str, int]]:
    lookup: dict[str, tuple[str, int]] = {}
    for fld, aliases in ALIASES.items():
        for rank, alias in enumerate(aliases):
            key = normalise_header(alias)
            if key in lookup and lookup[key][0] != fld:
                raise AssertionError(f"alias {alias!r} is listed for {lookup[key][0]} and {fld}")
            lookup.setdefault(key, (fld, rank))
    return lookup


_LOOKUP = _build_lookup()


def _auto_field(header: str) -> tuple[str, int] | None:
    key = normalise_header(header)
    hit = _LOOKUP.get(key)
    if hit is None:
        for suffix in _CURRENCY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                hit = _LOOKUP.get(key[: -len(suffix)])
                break
    return hit


@dataclass
class ColumnMap:
    """For each field, the indexes of the input columns it is read from (in ``headers``)."""

    headers: list[str]
    fields: dict[str, tuple[int, ...]]
    overridden: frozenset[str] = frozenset()
    _converters: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def index(self, name: str) -> int | None:
        """The single column of a field, or None when it is not mapped."""
        cols = self.fields.get(name)
        return cols[0] if cols else None

    def columns(self, name: str) -> list[str]:
        """The header names of the columns a field is read from."""
        return [self.headers[i] for i in self.fields.get(name, ())]

    def describe(self) -> str:
        """One line per mapped field, for stderr: ``description <- Omschrijving``."""
        lines = []
        for name in FIELDS:
            cols = self.fields.get(name)
            if not cols:
                continue
            shown = " + ".join(self._label(i) for i in cols)
            how = "  (--map)" if name in self.overridden else ""
            lines.append(f"{name} <- {shown}{how}")
        return "\n".join(lines)

    def unmapped_fields(self) -> list[str]:
        return [f for f in FIELDS if not self.fields.get(f)]

    def unused_columns(self) -> list[str]:
        used = {i for cols in self.fields.values() for i in cols}
        return [h for i, h in enumerate(self.headers) if i not in used]

    def _label(self, index: int) -> str:
        name = self.headers[index]
        if not name.strip() or self.headers.count(name) > 1:
            return f"{name!r} (column {index + 1})"
        return name


def _found(headers: list[str]) -> str:
    shown = ", ".join(repr(h) for h in headers[:40])
    if len(headers) > 40:
        shown += f", ... ({len(headers)} columns)"
    return shown or "(none)"


def _find_column(headers: list[str], column: str, file: str) -> int:
    if column in headers:
        return headers.index(column)
    folded = [h.casefold().strip() for h in headers]
    if column.casefold().strip() in folded:
        return folded.index(column.casefold().strip())
    norm = [normalise_header(h) for h in headers]
    if normalise_header(column) and normalise_header(column) in norm:
        return norm.index(normalise_header(column))
    close = difflib.get_close_matches(column, headers, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise NamiError(
        Problem(f"--map: no column {column!r} in the list{hint} Columns found: {_found(headers)}", file=file)
    )


def _field_name(raw: str, file: str) -> str:
    name = _FIELD_NAMES.get(raw.strip().lower().replace("-", "").replace("_", "").replace(" ", ""))
    if name is None:
        raise NamiError(
            Problem(f"--map: unknown field {raw.strip()!r}; valid fields: {', '.join(FIELDS)}", file=file)
        )
    return name


def map_columns(headers: list[str], overrides: list[str] | tuple[str, ...] = (), *, file: str) -> ColumnMap:
    """Match ``headers`` to ``FIELDS``; ``overrides`` are ``--map field=Column`` strings.

    Raises ``NamiError`` for a malformed or unknown override, and when the list has no description,
    category or CPV column (naming the columns found).
    """
    explicit: dict[str, list[int]] = {}
    for item in overrides:
        if "=" not in item:
            raise NamiError(
                Problem(f"--map {item!r}: write field=Column, e.g. --map description=Omschrijving", file=file)
            )
        raw_field, _, column = item.partition("=")
        name = _field_name(raw_field, file)
        cols = explicit.setdefault(name, [])
        if not column.strip():
            continue  # --map field= : leave the field unmapped
        index = _find_column(headers, column, file)
        if index in cols:
            continue
        if cols and name not in TEXT_FIELDS:
            raise NamiError(
                Problem(
                    f"--map: {name} can be read from one column only (only {', '.join(TEXT_FIELDS)} may be "
                    f"joined from several)",
                    file=file,
                )
            )
        cols.append(index)

    taken = {i for cols in explicit.values() for i in cols}
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column index)
    for index, header in enumerate(headers):
        if index in taken:
            continue
        hit = _auto_field(header)
        if hit is None:
            continue
        name, rank = hit
        if name in explicit:
            continue
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)

    fields: dict[str, tuple[int, ...]] = {}
    for name in FIELDS:
        if name in explicit:
            if explicit[name]:
                fields[name] = tuple(explicit[name])
        elif name in best:
            fields[name] = (best[name][1],)

    if not any(fields.get(f) for f in NEEDS_ONE_OF):
        raise NamiError(
            Problem(
                "no description, category or CPV column found; columns found: "
                f"{_found(headers)}. Say which column to use with --map description=COLUMN",
                file=file,
            )
        )
    return ColumnMap(headers=list(headers), fields=fields, overridden=frozenset(explicit))
