"""The obstacles matrix (4 dimensions x 3 levels): one view-model, and its text and Markdown views.

:class:`ObstacleMatrix` is built once, from a rule pack (:meth:`ObstacleMatrix.of_pack`: every obstacle)
or from the obstacles of one request (:meth:`ObstacleMatrix.of_obstacles`), and every view of the grid
reads it: ``nami matrix`` (text, Markdown, JSON), the check reports (HTML and Markdown, through
:func:`nami_cli.render.viewmodel.request_view`), the demo's panel and the interview's obstacle lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from nami_cli.base.safetext import markup_escape, plain
from nami_cli.base.vocab import DIMENSION_LABEL, DIMENSIONS, LEVEL_LABEL, LEVELS
from nami_cli.i18n import t

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack

#: Below this width a table would cut its cells ("Bedrijfskle…"): the items are listed one under another.
TABLE_MIN_WIDTH = 110


@dataclass(frozen=True)
class MatrixObstacle:
    """One obstacle in a cell: ``hit`` marks a request's own, ``expected`` one the buyer expected."""

    id: str
    title: str
    interventions: tuple[str, ...] = ()
    hit: bool = False
    expected: bool = False


@dataclass(frozen=True)
class ObstacleCell:
    dimension: str
    level: str
    obstacles: tuple[MatrixObstacle, ...] = ()

    @property
    def hit(self) -> bool:
        return any(o.hit for o in self.obstacles)


@dataclass(frozen=True)
class ObstacleMatrix:
    """The grid in ``lang``: a cell per (dimension, level), each with its obstacles in pack order."""

    lang: str
    cells: dict[tuple[str, str], ObstacleCell]
    pack_name: str = ""
    pack_version: str = ""
    #: True when built from a whole pack (every obstacle shown), False for one request's obstacles
    full: bool = field(default=False)

    @classmethod
    def of_pack(cls, pack: Pack, lang: str) -> ObstacleMatrix:
        """Every obstacle of ``pack`` in its cell, with the interventions that address it."""
        found = _empty()
        for o in pack.obstacles.values():
            found[(o.dimension, o.level)].append(
                MatrixObstacle(o.id, o.title(lang), tuple(pack.interventions_for(o.id)))
            )
        return cls(lang, _cells(found), pack.name, pack.version, full=True)

    @classmethod
    def of_obstacles(cls, obstacles: Iterable[Any], lang: str) -> ObstacleMatrix:
        """The obstacles of one request (objects with id, title, dimension, level and expected), all hit."""
        found = _empty()
        for o in obstacles:
            found[(o.dimension, o.level)].append(
                MatrixObstacle(o.id, o.title, hit=True, expected=bool(getattr(o, "expected", False)))
            )
        return cls(lang, _cells(found))

    def marked(self, obstacles: Iterable[Any]) -> ObstacleMatrix:
        """This (pack) matrix with a request's ``obstacles`` marked as hit; an obstacle the pack does not
        hold is added to its cell. Each obstacle is shown once."""
        own = list(obstacles)
        own_ids = {o.id for o in own}
        found = _empty()
        shown: set[str] = set()
        for cell in self.in_json_order():
            for ob in cell.obstacles:
                if ob.id not in shown:
                    found[(cell.dimension, cell.level)].append(replace(ob, hit=ob.id in own_ids))
                    shown.add(ob.id)
        for o in own:
            if o.id not in shown:
                found[(o.dimension, o.level)].append(MatrixObstacle(o.id, o.title, hit=True))
        return replace(self, cells=_cells(found))

    def cell(self, dimension: str, level: str) -> ObstacleCell:
        return self.cells[(dimension, level)]

    def rows(self) -> Iterator[tuple[str, list[ObstacleCell]]]:
        """Level by level, each with its cells in dimension order (the grid as drawn)."""
        for level in LEVELS:
            yield level, [self.cells[(dim, level)] for dim in DIMENSIONS]

    def in_json_order(self) -> Iterator[ObstacleCell]:
        """Dimension by dimension, each level in turn (the order of ``nami matrix --format json``)."""
        for dim in DIMENSIONS:
            for level in LEVELS:
                yield self.cells[(dim, level)]

    def obstacles(self) -> list[MatrixObstacle]:
        return [o for cell in self.in_json_order() for o in cell.obstacles]

    def dimension_label(self, dimension: str) -> str:
        return DIMENSION_LABEL[dimension][self.lang]

    def dimension_labels(self) -> list[str]:
        """The column headings, in dimension order."""
        return [self.dimension_label(d) for d in DIMENSIONS]

    def level_label(self, level: str) -> str:
        return LEVEL_LABEL[level][self.lang]

    def as_json(self) -> dict[str, Any]:
        """``nami matrix --format json``: all 12 cells, each with its obstacles."""
        return {
            "pack": {"name": self.pack_name, "version": self.pack_version},
            "lang": self.lang,
            "dimensions": list(DIMENSIONS),
            "levels": list(LEVELS),
            "labels": {
                "dimensions": {d: self.dimension_label(d) for d in DIMENSIONS},
                "levels": {lv: self.level_label(lv) for lv in LEVELS},
            },
            "cells": [
                {
                    "dimension": cell.dimension,
                    "level": cell.level,
                    "obstacles": [
                        {"id": o.id, "title": o.title, "interventions": list(o.interventions)}
                        for o in cell.obstacles
                    ],
                }
                for cell in self.in_json_order()
            ],
        }


def _empty() -> dict[tuple[str, str], list[MatrixObstacle]]:
    return {(d, lv): [] for d in DIMENSIONS for lv in LEVELS}


def _cells(found: dict[tuple[str, str], list[MatrixObstacle]]) -> dict[tuple[str, str], ObstacleCell]:
    return {(d, lv): ObstacleCell(d, lv, tuple(obs)) for (d, lv), obs in found.items()}


# --- views -----------------------------------------------------------------------------------------


def matrix_markdown(matrix: ObstacleMatrix) -> str:
    """The matrix as a Markdown table: levels as rows, dimensions as columns."""
    lines = [
        "| | " + " | ".join(matrix.dimension_labels()) + " |",
        "|---" * (len(DIMENSIONS) + 1) + "|",
    ]
    for level, cells in matrix.rows():
        row = [f"**{matrix.level_label(level)}**"]
        for cell in cells:
            row.append("<br>".join(_md(o.title) for o in cell.obstacles) or "–")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_matrix(console: Any, matrix: ObstacleMatrix, *, ids: bool) -> None:
    """``nami matrix`` as text: a grid on a wide console, else (or with ``ids``) a list of the cells."""
    from rich import box
    from rich.table import Table

    title = t("rules.matrix_title", matrix.lang)
    title = f"{title} — {matrix.pack_name} {matrix.pack_version}"
    if ids or console.width < TABLE_MIN_WIDTH:  # a grid narrower than this cuts words
        _print_cells(console, matrix, title, ids=ids)
        return
    table = Table(title=plain(title, line=True), box=box.HEAVY, show_lines=True, expand=True)
    table.add_column("")
    for label in matrix.dimension_labels():
        table.add_column(label.upper(), ratio=1)
    for level, cells in matrix.rows():
        row = [f"[bold]{matrix.level_label(level).upper()}[/bold]"]
        for cell in cells:
            row.append("\n".join(f"• {markup_escape(o.title, line=True)}" for o in cell.obstacles))
        table.add_row(*row)
    console.print(table)


def _print_cells(console: Any, matrix: ObstacleMatrix, title: str, *, ids: bool = True) -> None:
    """The matrix as a list: each cell (dimension / level) with its obstacles (and their ids)."""
    from rich import box
    from rich.table import Table

    obstacles = matrix.obstacles()
    table = Table(title=plain(title, line=True), box=box.SIMPLE_HEAD, show_header=False, pad_edge=False)
    width = max((len(o.id) for o in obstacles), default=2) if ids else 1
    table.add_column("id", no_wrap=True, min_width=width, overflow="ignore")
    table.add_column("title", ratio=1)
    for cell in matrix.in_json_order():
        if not cell.obstacles:
            continue
        heading = (
            f"{matrix.dimension_label(cell.dimension).upper()} / {matrix.level_label(cell.level).upper()}"
        )
        bold = f"[bold]{markup_escape(heading, line=True)}[/bold]"
        table.add_row(*((bold, "") if ids else ("", bold)), end_section=False)
        for ob in cell.obstacles:
            first = markup_escape(ob.id, line=True) if ids else "•"
            table.add_row(first, markup_escape(ob.title, line=True))
        table.add_section()
    console.print(table)
