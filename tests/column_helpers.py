"""Questions the tests ask of a :class:`~nami_cli.lists.columns.ColumnMap`."""

from __future__ import annotations

from nami_cli.lists.columns import FIELDS, ColumnMap


def columns(cmap: ColumnMap, name: str) -> list[str]:
    """The header names of the columns a field is read from."""
    return [cmap.headers[i] for i in cmap.fields.get(name, ())]


def unmapped_fields(cmap: ColumnMap) -> list[str]:
    return [f for f in FIELDS if not cmap.fields.get(f)]


def unused_columns(cmap: ColumnMap) -> list[str]:
    used = {i for cols in cmap.fields.values() for i in cols}
    return [h for i, h in enumerate(cmap.headers) if i not in used]
