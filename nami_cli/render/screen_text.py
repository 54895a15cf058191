"""``nami screen`` in the terminal: the table of rows with an opportunity (stdout) and the summary (stderr).

Each is built as a view-model of plain strings first (:func:`rows_view`, :func:`summary_view`), in the
reader's language and the list's currency, then printed on a rich console by :func:`print_rows`,
:func:`print_table` and :func:`print_summary`. Texts from the list are shown as written, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nami_cli.base.vocab import ROW_ADVICE_KEYS, STRATEGIES, STRATEGY_LABEL
from nami_cli.i18n import t
from nami_cli.render.number_format import money, number

if TYPE_CHECKING:
    from nami_cli.assess.screening import Screened
    from nami_cli.assess.summary import ScreenSummary

DESCRIPTION_MIN_WIDTH = 24
TOP_RULES_SHOWN = 10
ROW_KEYS = ("row", "description", "amount", "category", "advice", "rules")


@dataclass(frozen=True)
class RowsView:
    """The rows with an opportunity as texts: ``names`` the column heads, one dict per row."""

    title: str
    names: dict[str, str]
    cells: list[dict[str, str]]
    more: str = ""  # "… +12 rows; write them all with -o FILE", or empty


def rows_view(rows: Sequence[Screened], lang: str, currency: str = "EUR", more: int = 0) -> RowsView:
    """The view of the rows with an opportunity (``more``: such rows not shown)."""
    from nami_cli.base.safetext import visible_line

    names = {key: t(f"screen.col.{key}", lang) for key in ROW_KEYS}
    cells: list[dict[str, str]] = []
    for item in rows:
        outcome = item.outcome
        assert outcome is not None
        cells.append(
            {
                "row": str(item.row),
                "description": visible_line(item.text),  # data: shown as written, never as markup
                "amount": money(item.amount, lang, currency=currency),
                "category": visible_line(outcome.category or ""),
                "advice": STRATEGY_LABEL[outcome.advice][lang] if outcome.advice else "",
                "rules": "\n".join(visible_line(rule) for rule in outcome.rules),
            }
        )
    return RowsView(
        title=t("screen.rows_title", lang),
        names=names,
        cells=cells,
        more=t("screen.rows_more", lang, n=number(more, lang)) if more > 0 else "",
    )


def print_table(out: Any, rows: Sequence[Screened], summary: ScreenSummary, lang: str) -> None:
    """The terminal table of ``nami screen`` (stdout): the rows shown, then how many more there are."""
    per_advice = summary.rows_per_advice
    more = sum(getattr(per_advice, s) for s in STRATEGIES) - len(rows)
    view = rows_view(rows, lang, summary.currency, more)
    print_rows(out, view)
    if view.more:
        out.print(view.more, markup=False)


def print_rows(out: Any, view: RowsView) -> None:
    """The rows on ``out``: a table when it fits the width, else a list of blocks.

    Amounts, advice, categories and rule ids are never wrapped; the description wraps between words.
    When even so the table is wider than the console, each row becomes a block whose lines wrap as text.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from nami_cli.render.termwidth import keep_amounts_together

    keep_amounts_together()
    names, cells = view.names, view.cells

    def widest(key: str) -> int:
        pieces = [names[key]] + [line for cell in cells for line in cell[key].splitlines()]
        if key == "description":  # it wraps between words: the longest word, and room to read
            pieces = [word for piece in pieces for word in piece.split()]
            return max([DESCRIPTION_MIN_WIDTH] + [cell_len(p) for p in pieces])
        return max(cell_len(p) for p in pieces)

    widths = {key: widest(key) for key in names}
    if sum(widths.values()) + 3 * len(names) + 1 <= out.width:  # each column: padding and a border
        table = Table(title=view.title, box=box.HEAVY_HEAD)
        for key in names:
            wraps = key == "description"
            table.add_column(
                names[key],
                justify="right" if key in ("row", "amount") else "left",
                no_wrap=not wraps,
                min_width=widths[key],
                ratio=1 if wraps else None,
            )
        for cell in cells:
            table.add_row(*(Text(cell[key]) for key in names))
        out.print(table)
        return
    out.print(Text(view.title, style="bold"))
    for cell in cells:
        head = Text(f"{names['row']} {cell['row']}", style="bold")
        for key in ("advice", "amount", "category"):
            if cell[key]:
                head.append(" · ")
                head.append(cell[key], style="bold" if key == "advice" else "")
        out.print(head)
        out.print(Text(cell["description"]), style="", overflow="fold")
        if cell["rules"]:
            out.print(Text(f"{names['rules']}: " + ", ".join(cell["rules"].splitlines()), style="dim"))
        out.print()


@dataclass(frozen=True)
class TableView:
    title: str
    columns: list[str]
    right: set[int]  # the columns aligned right (numbers)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class SummaryView:
    """The stderr summary as texts: a line of counts, a line on total rows (or empty), and tables."""

    counts: str
    totals: str
    tables: list[TableView]


def summary_view(summary: ScreenSummary, lang: str) -> SummaryView:
    """The view of the stderr summary of ``nami screen``."""
    cur = summary.currency
    counts = "nami: " + ", ".join(
        f"{number(value, lang)} {t(f'screen.{word}', lang)}"
        for value, word in (
            (summary.rows_read, "read"),
            (summary.rows_screened, "screened"),
            (summary.rows_with_errors, "errors"),
            (summary.rows_classified, "classified"),
        )
    )
    totals = ""
    if summary.totals.rows:
        count, amount = number(summary.totals.rows, lang), money(summary.totals.amount, lang, currency=cur)
        plural = "one" if summary.totals.rows == 1 else "other"
        totals = t(f"screen.totals.{plural}", lang, count=count, amount=amount)
    labels: dict[str, str] = {s: STRATEGY_LABEL[s][lang] for s in STRATEGIES}
    labels |= {"none": t("screen.label.none", lang), "error": t("screen.label.error", lang)}
    rows_word, spend_word = t("screen.col.rows", lang), t("screen.col.spend", lang)
    advice = TableView(
        t("screen.spend_per_advice", lang),
        [t("screen.col.advice", lang), rows_word, spend_word],
        {1, 2},
    )
    for key in ROW_ADVICE_KEYS:
        advice.rows.append(
            [
                labels[key],
                number(getattr(summary.rows_per_advice, key), lang),
                money(getattr(summary.spend_per_advice, key), lang, currency=cur),
            ]
        )
    advice.rows.append(
        [
            t("screen.total", lang),
            number(summary.rows_read, lang),
            money(summary.spend_total, lang, currency=cur),
        ]
    )
    tables = [advice]
    if summary.spend_per_scope:
        scope = TableView(
            t("screen.scope", lang),
            [t("screen.col.reason", lang), rows_word, spend_word],
            {1, 2},
        )
        for scope_id, item in summary.spend_per_scope.items():
            scope.rows.append(
                [item.title or scope_id, number(item.rows, lang), money(item.spend, lang, currency=cur)]
            )
        tables.append(scope)
    if summary.top_rules:
        rules = TableView(
            t("screen.top_rules", lang),
            [t("screen.col.rule", lang), rows_word, spend_word],
            {1, 2},
        )
        for rule in summary.top_rules[:TOP_RULES_SHOWN]:
            rules.rows.append([rule.id, number(rule.rows, lang), money(rule.spend, lang, currency=cur)])
        tables.append(rules)
    return SummaryView(counts, totals, tables)


def print_summary(err: Any, summary: ScreenSummary, lang: str) -> None:
    """The summary of ``nami screen`` on ``err`` (stderr): counts, total rows, then the tables."""
    from rich.table import Table
    from rich.text import Text

    view = summary_view(summary, lang)
    err.print(view.counts, highlight=False, markup=False)
    if view.totals:
        err.print(view.totals, highlight=False, markup=False)
    for item in view.tables:
        table = Table(title=item.title)
        for i, name in enumerate(item.columns):
            table.add_column(name, justify="right" if i in item.right else "left")
        for row in item.rows:
            table.add_row(*(Text(cell) for cell in row))
        err.print(table)


def print_mapping(err: Any, file: str, sheet: str | None, fmt: str, mapping: str, lang: str = "en") -> None:
    """The first lines of ``nami screen`` on stderr: the list read, and which column gives which field."""
    from nami_cli.base.safetext import visible_line

    where = t("screen.sheet", lang, sheet=sheet) if sheet else ""
    err.print(visible_line(f"nami: {file}{where}: {fmt}"), highlight=False, markup=False)
    for line in mapping.splitlines():
        err.print(visible_line(f"  {line}"), highlight=False, markup=False)


def errors_line(summary: ScreenSummary, lang: str = "en") -> str:
    """The one line on stderr when the full summary is not shown: rows that could not be read, or empty."""
    if not summary.rows_with_errors:
        return ""
    errors, rows = number(summary.rows_with_errors, lang), number(summary.rows_read, lang)
    return t("screen.errors_line", lang, errors=errors, rows=rows)


__all__ = [
    "RowsView",
    "SummaryView",
    "errors_line",
    "print_mapping",
    "print_rows",
    "print_summary",
    "print_table",
    "rows_view",
    "summary_view",
]
