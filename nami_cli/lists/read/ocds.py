"""OCDS (Open Contracting Data Standard): releases and records mapped to rows. Pure: no I/O; the JSON
and JSON Lines readers hand over the parsed documents.

- Release packages, record packages, a single release or record, an array or JSON Lines of them: one
  row per item of ``tender.items`` and of each ``awards[].items``. A release without items gives one
  row for its tender (or one per award) from the titles and values; a release with neither tender nor
  awards, and a record with only linked releases, give one row with an error. Record packages use
  ``compiledRelease`` when present, else every embedded release. Row numbers count the rows produced
  (one per item) from 2.
- Columns: ``OCDS_HEADERS``. ``cpv``: of the item's ``classification`` and all its
  ``additionalClassifications``, the first CPV that is a valid code (else the first one as written,
  for the row check to report); an item without any CPV gets the tender's ``classification``.
  Normalised to 8 digits (``45233130.0`` and ``45233130-9`` give ``45233130``).
- ``amount`` is quantity x unit value, else the tender/award value when it has a single item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nami_cli.lists.cells import MAX_ABS, normalise_cpv
from nami_cli.lists.read.base import SourceRow, json_text, num_text

__all__ = ["OCDS_HEADERS", "is_ocds", "ocds_rows", "release_rows"]

OCDS_HEADERS = [
    "ocid",
    "release_id",
    "date",
    "buyer",
    "source",
    "item_id",
    "description",
    "cpv",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "currency",
    "supplier",
]


def is_ocds(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("releases"), list) or isinstance(obj.get("records"), list):
        return True
    return "ocid" in obj and any(k in obj for k in ("tender", "awards", "tag", "compiledRelease", "releases"))


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _t(value: Any) -> str:
    return json_text(value) if not isinstance(value, (dict, list)) else ""


def _cpv_of(item: dict[str, Any], fallback: Any = None) -> str:
    """The item's CPV code: of its classification and additional classifications, the first CPV that
    is a valid code (else the first one as written, for the row check to report); without any, the
    tender's classification (``fallback``)."""
    classes = [item.get("classification")]
    extra = item.get("additionalClassifications")
    if isinstance(extra, list):
        classes.extend(extra)
    written = ""
    for cls in classes:
        if isinstance(cls, dict) and str(cls.get("scheme", "")).strip().upper() == "CPV":
            raw = _t(cls.get("id")).strip()
            if not raw:
                continue
            try:
                return normalise_cpv(raw)
            except ValueError:
                written = written or raw
    if written or not isinstance(fallback, dict):
        return written
    return _cpv_of({"classification": fallback})


def _number(value: Any) -> float | None:
    if type(value) in (int, float):
        return float(value)
    return None


def _ocds_item_row(
    base: list[str],
    source: str,
    item: Any,
    title: str,
    single_value: Any,
    suppliers: str,
    classification: Any = None,
) -> tuple[list[str], str | None]:
    ocid, rid, date, buyer = base
    if not isinstance(item, dict):
        return [ocid, rid, date, buyer, source, *[""] * 8, suppliers], "item is not an object"
    unit: dict[str, Any] = item["unit"] if isinstance(item.get("unit"), dict) else {}
    qty = item.get("quantity")
    price = _get(unit, "value", "amount")
    currency = _t(_get(unit, "value", "currency"))
    q, p = _number(qty), _number(price)
    error = None
    if q is not None and p is not None:
        product = q * p
        if -MAX_ABS < product < MAX_ABS:
            amount = num_text(round(product, 6))
        else:
            amount, error = "", f"quantity x unit value is {product:.3g}, more than the limit of 1e15"
    elif isinstance(single_value, dict) and _number(single_value.get("amount")) is not None:
        amount = _t(single_value.get("amount"))
        currency = currency or _t(single_value.get("currency"))
    else:
        amount = ""
    if not currency and isinstance(single_value, dict):
        currency = _t(single_value.get("currency"))
    description = _t(item.get("description")).strip() or title
    row = [
        ocid,
        rid,
        date,
        buyer,
        source,
        _t(item.get("id")),
        description,
        _cpv_of(item, classification),
        _t(qty),
        _t(unit.get("name")) if isinstance(unit, dict) else "",
        _t(price),
        amount,
        currency,
        suppliers,
    ]
    return row, error


def _ocds_summary_row(
    base: list[str], source: str, part: dict[str, Any], title: str, suppliers: str
) -> list[str]:
    ocid, rid, date, buyer = base
    value: dict[str, Any] = part["value"] if isinstance(part.get("value"), dict) else {}
    return [
        ocid,
        rid,
        date,
        buyer,
        source,
        _t(part.get("id")) if source == "award" else "",
        title,
        "",
        "",
        "",
        "",
        _t(value.get("amount")),
        _t(value.get("currency")),
        suppliers,
    ]


def release_rows(release: Any) -> list[tuple[list[str], str | None]]:
    empty = [""] * len(OCDS_HEADERS)
    if not isinstance(release, dict):
        return [(empty, "release is not a JSON object")]
    base = [
        _t(release.get("ocid")),
        _t(release.get("id")),
        _t(release.get("date")),
        _t(_get(release, "buyer", "name")),
    ]
    rows: list[tuple[list[str], str | None]] = []
    summaries: list[list[str]] = []
    tender = release.get("tender")
    tender_title = ""
    tender_class = tender.get("classification") if isinstance(tender, dict) else None
    if isinstance(tender, dict):
        tender_title = (_t(tender.get("title")) or _t(tender.get("description"))).strip()
        items: list[Any] = tender["items"] if isinstance(tender.get("items"), list) else []
        single = tender.get("value") if len(items) == 1 else None
        for item in items:
            rows.append(_ocds_item_row(base, "tender", item, tender_title, single, "", tender_class))
        if not items and (tender_title or isinstance(tender.get("value"), dict)):
            summaries.append(_ocds_summary_row(base, "tender", tender, tender_title, ""))
    awards: list[Any] = release["awards"] if isinstance(release.get("awards"), list) else []
    for award in awards:
        if not isinstance(award, dict):
            rows.append(([*base, "award", *[""] * (len(OCDS_HEADERS) - 5)], "award is not an object"))
            continue
        listed = award.get("suppliers")
        names = [_t(s.get("name")) for s in listed if isinstance(s, dict)] if isinstance(listed, list) else []
        suppliers = "; ".join(n for n in names if n)
        title = (_t(award.get("title")) or _t(award.get("description"))).strip() or tender_title
        award_base = [base[0], base[1], _t(award.get("date")) or base[2], base[3]]
        items = award["items"] if isinstance(award.get("items"), list) else []
        single = award.get("value") if len(items) == 1 else None
        for item in items:
            rows.append(_ocds_item_row(award_base, "award", item, title, single, suppliers, tender_class))
        if not items:
            summaries.append(_ocds_summary_row(award_base, "award", award, title, suppliers))
    if not rows:
        rows = [(row, None) for row in summaries]
    if not rows:
        row = [*base, "release", *[""] * (len(OCDS_HEADERS) - 5)]
        rows.append((row, "release has no tender or award to screen"))
    return rows


def ocds_rows(docs: Iterable[tuple[str, Any]]) -> Iterator[SourceRow]:
    number = 1
    width = len(OCDS_HEADERS)
    for kind, value in docs:
        releases: list[Any]
        error: str | None = None
        if kind == "error":
            releases, error = [], str(value)
        elif kind == "record" or (
            kind == "item" and isinstance(value, dict) and ("compiledRelease" in value or "releases" in value)
        ):
            compiled = value.get("compiledRelease") if isinstance(value, dict) else None
            embedded = value.get("releases") if isinstance(value, dict) else None
            if isinstance(compiled, dict):
                releases = [compiled]
            elif isinstance(embedded, list) and any(
                isinstance(r, dict) and ("tender" in r or "awards" in r) for r in embedded
            ):
                releases = [r for r in embedded if isinstance(r, dict) and ("tender" in r or "awards" in r)]
            else:
                ocid = _t(value.get("ocid")) if isinstance(value, dict) else ""
                releases, error = [], f"record {ocid} has no compiledRelease and only linked releases"
        elif kind == "item" and not is_ocds(value):
            releases, error = [], "not an OCDS release, record or package"
        else:
            releases = [value]
        if error is not None:
            number += 1
            yield SourceRow(number, [""] * width, error)
            continue
        for release in releases:
            for cells, err in release_rows(release):
                number += 1
                yield SourceRow(number, cells, err)
