"""Which input column holds which field: the one table of column aliases, and ``--map`` overrides.

Headers are compared after normalising: case-insensitive, ignoring spaces, underscores and punctuation
(``Bedrag excl. BTW``, ``bedrag_excl_btw`` and ``BEDRAG EXCL BTW`` are the same), and ignoring a currency
suffix (``Bedrag (EUR)``, ``Amount €``, ``Net Amount (GBP)``). When several columns match one field, the
alias listed first wins (``Bedrag excl. BTW`` before ``Bedrag``); automatic matching never joins columns.
The currency the headers and amounts name is :func:`detect_currency`'s.

``--map field=Column`` (repeatable) overrides the automatic choice. The text fields (``description``,
``category``) may be mapped to several columns, joined with a space. ``--map field=`` (empty) leaves a
field unmapped. A column named in ``--map`` is no longer used automatically for another field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Concat, Lazy, Msg, in_lang, t

__all__ = [
    "ALIASES",
    "FIELDS",
    "TEXT_FIELDS",
    "ColumnMap",
    "header_unit",
    "map_columns",
    "normalise_header",
    "sheets_hint",
]

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
        "purpose of spend",
        "purpose",
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
        "kostensoortgroep",
        "omschrijving grootboekrekening",
        "grootboekomschrijving",
        "grootboekrekeningnaam",
        "grootboekrekening",
        "grootboek",
        "category",
        "procurement classification",
        "procurement category",
        "procurement category name",
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
        "factuurbedrag",
        "bedrag",
        "realisatie",
        "besteed",
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
        "invoice amount",
        "inv amount",
        "invoice value",
        "net value",
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
        "supplier beneficiary name",
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
        "expense area",
        "service area",
        "budget holder",
    ),
}

_FIELD_NAMES = {f.replace("_", ""): f for f in FIELDS} | {"costcenter": "cost_centre", "price": "unit_price"}
_CURRENCY_SUFFIXES = ("euro", "eur", "gbp", "usd")


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


_KEYS_BY_LENGTH: dict[int, list[str]] = {}
for _key in sorted(_LOOKUP):
    if len(_key) >= 6:
        _KEYS_BY_LENGTH.setdefault(len(_key), []).append(_key)
_FUZZY_CUTOFF = 0.88
"""How alike (difflib ratio, 0-1) a header must be to an alias to match it with a typo: ``Expenditure
Catergory`` (0.97) matches ``Expenditure Category``; ``Leverancier nr`` does not match ``Leverancier``."""
_FUZZY_RANK = 1000  # a fuzzy match loses to any exact one
_WORD_RANK = 2000  # a header that merely contains "amount"/"bedrag" loses to both

_AGGREGATE_PREFIXES = ("sumof", "somvan", "totalof", "totaalvan")
"""What a pivot table puts before a column's name: ``Sum of Inv Amount``."""
_AMOUNT_WORDS = frozenset({"amount", "bedrag", "bedragen"})
_NOT_AMOUNT_WORDS = frozenset({"vat", "btw", "tax", "belasting", "incl", "inclusief", "gross", "bruto"})

_UNIT_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = (
    # *1000, x 1000, x €1.000, (x 1.000.000), × 1 000: the scale is the number itself
    (
        re.compile(
            r"[\(\[]?\s*(?<![a-z])[x×*]\s*(?:€|eur(?:o|os)?|£|\$)?\s*(1(?:[.,\s']?000)+)\s*[\)\]]?", re.I
        ),
        None,
    ),
    # k€, € k, (€ k), keur, EUR k, £k
    (re.compile(r"[\(\[]?\s*(?<![a-z])k\s*(?:€|eur|£|\$)(?![a-z])\s*[\)\]]?", re.I), 1000),
    (re.compile(r"[\(\[]?\s*(?:€|eur|£|\$)\s*k(?![a-z])\s*[\)\]]?", re.I), 1000),
    (re.compile(r"[\(\[]?\s*(?:in\s+)?(?:duizenden|thousands)(?:\s+(?:euro|eur|€))?\s*[\)\]]?", re.I), 1000),
    (re.compile(r"[\(\[]?\s*(?:(?:€|£|eur)?\s*'000|(?:€|£)\s*000)(?!\d)\s*[\)\]]?", re.I), 1000),
)
"""A unit written in a header, meaning the amounts are in thousands (or millions)."""


def header_unit(header: str) -> tuple[str, int]:
    """The header without a unit, and the unit's scale: ``Realisatie (*1000)`` -> ``("Realisatie", 1000)``.

    A header without a unit gives ``(header, 1)``."""
    for pattern, scale in _UNIT_PATTERNS:
        found = pattern.search(header)
        if found is None:
            continue
        if scale is None:
            digits = "".join(ch for ch in found.group(1) if ch.isdigit())
            scale = int(digits)
        rest = (header[: found.start()] + " " + header[found.end() :]).strip()
        if normalise_header(rest):
            return rest, scale
    return header, 1


def _exact(key: str) -> tuple[str, int] | None:
    hit = _LOOKUP.get(key)
    if hit is None:
        for suffix in _CURRENCY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                hit = _LOOKUP.get(key[: -len(suffix)])
                break
    return hit


def _fuzzy(key: str) -> tuple[str, int] | None:
    """The alias ``key`` is a typo of: alike enough, and at most one letter longer or shorter."""
    if len(key) < 6 or key.isdigit():
        return None
    candidates = [k for n in (len(key) - 1, len(key), len(key) + 1) for k in _KEYS_BY_LENGTH.get(n, ())]
    for close in difflib.get_close_matches(key, candidates, n=1, cutoff=_FUZZY_CUTOFF):
        name, rank = _LOOKUP[close]
        return name, _FUZZY_RANK + rank
    return None


_SUFFIX_FIELDS = ("description", "category")
_SUFFIX_KEYS = sorted(
    ((k, v) for k, v in _LOOKUP.items() if v[0] in _SUFFIX_FIELDS and len(k) >= 8),
    key=lambda kv: -len(kv[0]),
)


def _suffix(key: str) -> tuple[str, int] | None:
    """A description or category header with words in front: ``SeRCOP Expenditure Category``,
    ``Procurement Classification: Council's Procurement Category Name`` (the longest alias wins)."""
    for alias, (name, _) in _SUFFIX_KEYS:
        if key.endswith(alias) and len(key) > len(alias):
            return name, _WORD_RANK
    return None


FUZZY_MAX_COLUMNS = 500
"""Typos are looked for in the first 500 columns only (about 0.1 ms a column; a sheet may have 16,384)."""


def _auto_field(header: str, fuzzy: bool = True) -> tuple[str, int] | None:
    """The field a header names, and its rank (lower wins): exact alias, pivot prefix, typo, an alias
    with words in front, the word amount."""
    key = normalise_header(header)
    if not key:
        return None
    hit = _exact(key)
    if hit is None:
        for prefix in _AGGREGATE_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix) :]
                hit = _exact(key)
                break
    if hit is None and fuzzy:
        hit = _fuzzy(key)
    if hit is None:
        hit = _suffix(key)
    if hit is None:
        words = set(re.findall(r"[^\W_]+", header.casefold()))
        if words & _AMOUNT_WORDS and not words & _NOT_AMOUNT_WORDS:
            hit = ("amount", _WORD_RANK)
    return hit


_FREE_TEXT_WORDS = frozenset(
    {
        "description",
        "descriptions",
        "omschrijving",
        "toelichting",
        "notes",
        "note",
        "comment",
        "comments",
        "opmerking",
        "opmerkingen",
        "memo",
        "details",
        "text",
        "tekst",
        "narrative",
        "specificatie",
    }
)
"""Words in a header that say the column holds free text (``Extended Description``)."""
LONG_TEXT_CHARS = 25
"""An unused column whose sampled texts are this long on average counts as free text."""


@dataclass
class ColumnMap:
    """For each field, the indexes of the input columns it is read from (in ``headers``)."""

    headers: list[str]
    fields: dict[str, tuple[int, ...]]
    overridden: frozenset[str] = frozenset()
    amount_scale: int = 1
    """The unit of the amount column's header (``Realisatie (*1000)``: 1000): amounts are multiplied by it."""
    guessed: dict[str, Msg] = field(default_factory=dict)  # how a field's column was found
    """How a field was matched when not by an exact alias (a typo, by content): shown by ``describe``."""
    free_text: tuple[int, ...] = ()
    """Unused columns that hold free text (by name or by content): the mapping names them."""
    currency: str | None = None
    """The currency the headers and sampled amounts name (ISO code), None when they name none."""
    currency_how: Msg | str = ""
    """How ``currency`` was found (and, when signs conflict, that the majority was taken)."""
    _converters: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def index(self, name: str) -> int | None:
        """The single column of a field, or None when it is not mapped."""
        cols = self.fields.get(name)
        return cols[0] if cols else None

    def describe(self, lang: str = "en") -> str:
        """One line per mapped field, for stderr: ``description <- Omschrijving``."""
        lines = []
        for name in FIELDS:
            cols = self.fields.get(name)
            if not cols:
                continue
            shown = " + ".join(self._label(i, lang) for i in cols)
            how = t("columns.map_flag", lang) if name in self.overridden else ""
            if name in self.guessed:
                how += f"  ({in_lang(self.guessed[name], lang)})"
            if name == "amount" and self.amount_scale != 1:
                how += t("columns.scaled", lang, scale=self.amount_scale)
            lines.append(f"{name} <- {shown}{how}")
        if self.currency is not None:
            lines.append(t("columns.currency", lang, currency=self.currency, how=self.currency_how))
        for index in self.free_text:
            lines.append(
                t("columns.unused", lang, column=self._label(index, lang), hint=self.map_hint(index))
            )
        return "\n".join(lines)

    def map_hint(self, index: int) -> str:
        """The ``--map`` options that would add column ``index`` to the description."""
        cols = [*self.fields.get("description", ()), index]
        return " ".join("--map " + _shell_quote(f"description={self.headers[i]}") for i in cols)

    def _label(self, index: int, lang: str = "en") -> str:
        name = self.headers[index]
        if not name.strip() or self.headers.count(name) > 1:
            return t("columns.label", lang, name=repr(name), n=index + 1)
        return name


def _shell_quote(text: str) -> str:
    if text and all(ch.isalnum() or ch in "=._-/" for ch in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def _found(headers: list[str]) -> Msg | Concat | str:
    shown = ", ".join(repr(h) for h in headers[:40])
    if len(headers) > 40:
        return shown + Msg("columns.more", n=len(headers))
    return shown or Msg("columns.none")


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
    hint = Msg("load.did_you_mean_one", option=repr(close[0])) if close else ""
    message = Msg("columns.no_column", column=repr(column), hint=hint, found=_found(headers))
    raise NamiError(Problem(message, file=file))


def _field_name(raw: str, file: str) -> str:
    name = _FIELD_NAMES.get(raw.strip().lower().replace("-", "").replace("_", "").replace(" ", ""))
    if name is None:
        raise NamiError(
            Problem(
                Msg("columns.unknown_field", field=repr(raw.strip()), fields=", ".join(FIELDS)), file=file
            )
        )
    return name


def map_columns(
    headers: list[str],
    overrides: list[str] | tuple[str, ...] = (),
    *,
    file: str,
    sample: list[list[str]] | None = None,
    sheets: Callable[[], list[tuple[str, list[str]]]] | None = None,
) -> ColumnMap:
    """Match ``headers`` to ``FIELDS``; ``overrides`` are ``--map field=Column`` strings.

    Headers match an alias exactly (after ``normalise_header``), after a pivot prefix (``Sum of``), with a
    typo (difflib, ``_FUZZY_CUTOFF``,
    at most one letter more or less), or, for the amount, by the word ``amount``/``bedrag``. A unit in
    the header (``*1000``, ``x €1.000``, ``k€``) is set aside before matching; the amount column's unit
    becomes ``amount_scale``. ``sample`` (the first data rows, as text) lets an amount column be found by
    its content when no header names one, and long free-text columns left unused be named. ``sheets``
    gives a workbook's other sheets and their headers: when this sheet has no usable column, the error
    names a sheet that has one (``try --sheet 'Data'``), or lists them all.

    Raises ``NamiError`` for a malformed or unknown override, and when the list has no description,
    category or CPV column (naming the columns found).
    """
    explicit: dict[str, list[int]] = {}
    for item in overrides:
        if "=" not in item:
            raise NamiError(Problem(Msg("columns.map_form", item=repr(item)), file=file))
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
                    Msg("columns.one_column", name=name, fields=", ".join(TEXT_FIELDS)),
                    file=file,
                )
            )
        cols.append(index)

    taken = {i for cols in explicit.values() for i in cols}
    units = [header_unit(h) for h in headers]
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column index)
    for index, (bare, _) in enumerate(units):
        if index in taken:
            continue
        hit = _auto_field(bare, index < FUZZY_MAX_COLUMNS)
        if hit is None:
            continue
        name, rank = hit
        if name in explicit:
            continue
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)

    fields: dict[str, tuple[int, ...]] = {}
    guessed: dict[str, Msg] = {}
    for name in FIELDS:
        if name in explicit:
            if explicit[name]:
                fields[name] = tuple(explicit[name])
        elif name in best:
            rank, index = best[name]
            fields[name] = (index,)
            if rank >= _WORD_RANK:
                guessed[name] = Msg("columns.by_name")
            elif rank >= _FUZZY_RANK:
                guessed[name] = Msg("columns.read_as", alias=repr(ALIASES[name][rank - _FUZZY_RANK]))
    if (
        sample
        and "amount" not in fields
        and "amount" not in explicit
        and not ("quantity" in fields and "unit_price" in fields)
    ):
        used = {i for cols in fields.values() for i in cols}
        found = _amount_by_content(headers, sample, used)
        if found is not None:
            fields["amount"] = (found,)
            guessed["amount"] = Msg("columns.by_content")
    scale = units[fields["amount"][0]][1] if "amount" in fields else 1
    used = {i for cols in fields.values() for i in cols}
    used_names = {normalise_header(headers[i]) for i in used}
    free = tuple(
        i
        for i in range(len(headers))
        if i not in used
        and normalise_header(headers[i]) not in used_names
        and _free_text(headers[i], i, sample)
    )

    currency, currency_how = detect_currency(headers, fields, sample)

    if not any(fields.get(f) for f in NEEDS_ONE_OF):
        raise NamiError(
            Problem(
                Msg("columns.no_usable", found=_found(headers), hint=sheets_hint(sheets()) if sheets else ""),
                file=file,
            )
        )
    return ColumnMap(
        headers=list(headers),
        fields=fields,
        overridden=frozenset(explicit),
        amount_scale=scale,
        guessed=guessed,
        free_text=free,
        currency=currency,
        currency_how=currency_how,
    )


_CURRENCY_COLUMNS = frozenset({"currency", "valuta", "munteenheid", "currencycode", "valutacode"})
_UK_SPEND_HEADERS = ("irrecoverablevat", "capitalrevenue", "sercop", "bvacop", "proclass")
"""Headers of the UK local government spend publications (Transparency Code: ``Irrecoverable VAT``,
``Capital/Revenue``, SeRCOP, BVACOP and Proclass codes): such a list is in pounds when it names no
currency itself."""


def detect_currency(
    headers: list[str], fields: dict[str, tuple[int, ...]], sample: list[list[str]] | None
) -> tuple[str | None, Msg | str]:
    """The currency a list is in, and how that was found: from the signs and codes in its headers
    (``Bedrag (EUR)``, ``Net Amount £``), in the sampled cells of its amount and unit-price columns
    (``£1,250.00``) and of a currency column (``GBP``); when they conflict, the one named most often.
    A list that names none but has the headers of the UK spend publications is in pounds; else None."""
    from nami_cli.base.currency import currencies_in, majority

    marks = [c for h in headers for c in currencies_in(h)]
    money_cols = [i for f in ("amount", "unit_price") for i in fields.get(f, ())]
    money_cols += [i for i, h in enumerate(headers) if normalise_header(h) in _CURRENCY_COLUMNS]
    for index in money_cols:
        for cell in _cells(sample or [], index):
            marks.extend(currencies_in(cell))
    best, counts = majority(marks)
    if best is not None:
        if len(counts) == 1:
            return best, Msg("columns.currency_named")
        found = ", ".join(f"{n}× {code}" for code, n in counts.items())
        return best, Msg("columns.currency_conflict", found=found)
    uk = [h for h in headers if normalise_header(h).startswith(_UK_SPEND_HEADERS)]
    if uk:
        return "GBP", Msg("columns.currency_uk", headers=", ".join(repr(h) for h in uk[:3]))
    return None, ""


def _usable(headers: list[str]) -> bool:
    found = (_auto_field(header_unit(h)[0]) for h in headers)
    return any(hit is not None and hit[0] in NEEDS_ONE_OF for hit in found)


def _first_headers(headers: list[str]) -> str:
    if not headers:
        return "(empty)"
    return ", ".join(repr(h) for h in headers[:6]) + (", ..." if len(headers) > 6 else "")


def sheets_hint(sheets: list[tuple[str, list[str]]]) -> Msg | Concat | str:
    """The end of a "no usable column" message for a workbook: which other sheet to try, or, when none
    has a description, category or CPV column, each sheet with its first headers."""
    usable = [name for name, headers in sheets if _usable(headers)]
    if usable:
        hint = Msg("columns.try_sheet", sheet=_shell_quote(usable[0]))
        if len(usable) > 1:
            return hint + Msg("columns.usable_sheets", sheets=", ".join(repr(n) for n in usable))
        return hint
    if not sheets:
        return ""

    def listed(lang: str) -> str:
        return "; ".join(
            f"{name!r}: " + (_first_headers(headers) if headers else t("columns.empty", lang))
            for name, headers in sheets[:20]
        )

    return Msg("columns.no_sheet", listed=Lazy(listed))


def _cells(sample: list[list[str]], index: int) -> list[str]:
    return [c.strip() for row in sample if index < len(row) and (c := row[index]) and c.strip()]


def _free_text(header: str, index: int, sample: list[list[str]] | None) -> bool:
    if set(re.findall(r"[^\W_]+", header.casefold())) & _FREE_TEXT_WORDS:
        return True
    cells = _cells(sample or [], index)
    if len(cells) < 3:
        return False
    wordy = [c for c in cells if " " in c and not _is_number(c)]
    varied = len(set(cells)) * 2 > len(cells)  # not one organisation's name on every row
    return varied and len(wordy) * 2 > len(cells) and sum(map(len, cells)) / len(cells) >= LONG_TEXT_CHARS


_NUMBER = re.compile(r"[-+(]?\s*(?:€|eur|£|\$)?\s*-?\d[\d.,\s\u00a0']*\)?\Z", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?\Z")


def _is_number(cell: str) -> bool:
    return _NUMBER.match(cell) is not None and _DATE.match(cell) is None


def _amount_by_content(headers: list[str], sample: list[list[str]], used: set[int]) -> int | None:
    """The one unused column whose sampled cells are nearly all amounts (numbers, not ids or years).

    None when no column or several columns qualify: then a guess would be a coin toss."""
    found: list[int] = []
    for index in range(len(headers)):
        if index in used:
            continue
        cells = _cells(sample, index)
        if len(cells) < 3:
            continue
        numbers = [c for c in cells if _is_number(c)]
        if len(numbers) * 10 < len(cells) * 9:
            continue
        digits_only = [c for c in numbers if c.isdigit()]
        if len(digits_only) == len(numbers) and (
            len({len(c) for c in numbers}) == 1 or any(c.startswith("0") for c in numbers)
        ):
            continue  # ids, codes, years: all the same length or with leading zeros
        found.append(index)
    return found[0] if len(found) == 1 else None
