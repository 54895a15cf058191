"""Screening many rows (``nami screen``) with the same engine and rule pack as ``nami check``.

Spend files repeat themselves: the same description, category and CPV code come back thousands of
times with other amounts. So the part of the work that depends only on a row's text — classification
and the static part of every rule (category, CPV, keywords) — is cached per distinct text, and only the
field comparisons (quantity, price, value) run per row. The verdicts come from :func:`engine.decide`,
the one place that owns them.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nami_cli.conditions import Cond, Facts, required_categories
from nami_cli.engine import classify, decide
from nami_cli.pack import Pack
from nami_cli.textmatch import TextIndex
from nami_cli.vocab import DIMENSIONS, LEVELS, STRATEGIES

#: the fields a list row can give besides its texts; all other fields (reason, usage, replaces) are
#: missing in every row, so conditions on them are decided once per distinct text
ROW_FIELDS = frozenset({"id", "quantity", "unit", "unit_price", "value"})
# Distinct texts kept; a cache is emptied when full, so memory stays bounded whatever the list holds.
CACHE_LIMIT = 50_000  # by text with numbers folded
EXACT_LIMIT = 16_384  # by exact text (a shortcut that skips the folding)
SEP = " "  # between ids in nami_rules and nami_obstacles
ADVICE_KEYS = ("refuse", "rethink", "reduce", "none", "error")  # "error": rows that could not be read
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Outcome:
    """What nami says about one row (shared by all rows with the same category and rules)."""

    advice: str | None
    verdicts: tuple[str, str, str]  # refuse, rethink, reduce
    category: str | None
    rules: tuple[str, ...]
    obstacles: tuple[str, ...]
    cells: frozenset[tuple[str, str]]  # matrix cells of the obstacles
    strategies: frozenset[str]  # strategies with an opportunity
    #: the values of nami_advice, nami_refuse, nami_rethink, nami_reduce, nami_category, nami_rules and
    #: nami_obstacles (nami_error is added by the caller)
    columns: tuple[str, ...] = ()


NAMI_COLUMNS = (
    "nami_advice",
    "nami_refuse",
    "nami_rethink",
    "nami_reduce",
    "nami_category",
    "nami_rules",
    "nami_obstacles",
    "nami_error",
    "nami_row",  # the row's spreadsheet row number in the input (header = row 1)
)


@dataclass(slots=True)
class _Static:
    """What a distinct text decides: its category, the rules that fire whatever the numbers say, and
    the rules that still depend on the row's fields (with the residual condition)."""

    category: str | None
    fixed: tuple[str, ...]
    residual: list[tuple[str, Cond]]
    outcome: Outcome | None  # when nothing is residual


_DIGITS = re.compile(r"\b[0-9]+\b")


class Screener:
    """Assess rows (request dicts as ``row_to_request`` makes them) quickly and consistently."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._static: dict[tuple[Any, ...], _Static] = {}  # by text with numbers folded
        self._exact: dict[tuple[Any, ...], _Static] = {}  # by the exact text (no folding needed)
        self._outcomes: dict[tuple[str | None, tuple[str, ...]], Outcome] = {}
        # A rule that needs a category is only looked at for rows of that category.
        self._rules = [(rule, required_categories(rule.rule.when)) for rule in pack.rules]
        self._order = {rule.id: i for i, rule in enumerate(pack.rules)}
        # A number in a text decides nothing unless a keyword holds it ("voor 31 december"): every other
        # number is folded to 0 in the cache key, so "12 pakken" and "40 pakken" share one entry.
        self._numbers = frozenset(
            word
            for kws in [*pack.category_keywords.values(), *(r.condition.keywords for r in pack.rules)]
            for word in kws.words()
            if word.isdigit()
        )

    def _fold(self, match: re.Match[str]) -> str:
        number = match.group()
        return number if number in self._numbers else "0"

    def _key(self, request: dict[str, Any]) -> tuple[Any, ...]:
        title, description = request.get("title"), request.get("description")
        if title:
            title = _DIGITS.sub(self._fold, title)
        if description:
            description = _DIGITS.sub(self._fold, description)
        return (title, description, request.get("category"), request.get("cpv"))

    def _static_part(self, request: dict[str, Any], raw: tuple[Any, ...]) -> _Static:
        if len(self._exact) >= EXACT_LIMIT:
            self._exact.clear()
        key = self._key(request)
        found = self._static.get(key)
        if found is not None:
            self._exact[raw] = found
            return found
        if len(self._static) >= CACHE_LIMIT:
            self._static.clear()
        title = TextIndex.of(request.get("title"))
        description = TextIndex.of(request.get("description"))
        cpv = request.get("cpv")
        cpv8 = cpv[:8] if cpv else None
        category = request.get("category")
        if category is not None and category not in self.pack.categories:
            category = None  # free text: classified from the texts like a description
        found_cat = classify(self.pack, category=category, cpv8=cpv8, title=title, description=description)
        facts = Facts(
            {"title": request.get("title"), "description": request.get("description"), "cpv": cpv8},
            category=found_cat.category,
            category_via=found_cat.via,
            texts={"title": title, "description": description},
        )
        facts.values["category"] = found_cat.category
        facts.open_fields = ROW_FIELDS
        fixed: list[str] = []
        residual: list[tuple[str, Cond]] = []
        for rule, required in self._rules:
            if required is not None and found_cat.category not in required:
                continue
            result = rule.condition.partial(facts)
            if result is True:
                fixed.append(rule.id)
            elif result is not False:
                residual.append((rule.id, result))  # type: ignore[arg-type]
        entry = _Static(found_cat.category, tuple(fixed), residual, None)
        if not residual:
            entry.outcome = self._outcome(found_cat.category, entry.fixed)
        self._static[key] = self._exact[raw] = entry
        return entry

    def screen(self, request: dict[str, Any]) -> Outcome:
        """The outcome for one row."""
        get = request.get
        raw = (get("title"), get("description"), get("category"), get("cpv"))
        static = self._exact.get(raw) or self._static_part(request, raw)
        if static.outcome is not None:
            return static.outcome
        quantity, price, value = (
            request.get("quantity"),
            request.get("unit_price"),
            request.get("estimated_value"),
        )
        if value is None and quantity is not None and price is not None:
            value = quantity * price
        # A residual condition only compares fields (ROW_FIELDS): it reads them with .get, so a plain
        # dict serves as its facts here.
        facts: Any = {
            "id": request.get("id"),
            "quantity": quantity,
            "unit_price": price,
            "value": value,
            "unit": request.get("unit"),
        }
        residuals = static.residual
        if len(residuals) == 1:
            fired = [residuals[0][0]] if residuals[0][1](facts) is not None else []
        else:
            fired = [rule_id for rule_id, residual in residuals if residual(facts) is not None]
        if not fired:
            return self._outcome(static.category, static.fixed)
        return self._outcome(
            static.category, tuple(sorted({*static.fixed, *fired}, key=self._order.__getitem__))
        )

    def _outcome(self, category: str | None, fired: tuple[str, ...]) -> Outcome:
        key = (category, fired)
        outcome = self._outcomes.get(key)
        if outcome is not None:
            return outcome
        rules = [self.pack.rule(r) for r in fired]
        strategies = frozenset(r.rule.strategy for r in rules if r is not None)
        verdicts = tuple(decide(s in strategies, None) for s in STRATEGIES)
        advice = next((s for s in STRATEGIES if s in strategies), None)
        obstacles: list[str] = []
        for rule in rules:
            for ob in rule.rule.obstacles if rule is not None else ():
                if ob not in obstacles:
                    obstacles.append(ob)
        cells = frozenset((self.pack.obstacles[o].dimension, self.pack.obstacles[o].level) for o in obstacles)
        outcome = Outcome(
            advice=advice,
            verdicts=verdicts,  # type: ignore[arg-type]
            category=category,
            rules=fired,
            obstacles=tuple(obstacles),
            cells=cells,
            strategies=strategies,
            columns=(advice or "", *verdicts, category or "", SEP.join(fired), SEP.join(obstacles)),
        )
        self._outcomes[key] = outcome
        return outcome


@dataclass(frozen=True)
class Screened:
    """One screened row: its spreadsheet row number, nami's outcome (None if unreadable) and its amount."""

    row: int
    cells: list[str]
    outcome: Outcome | None
    amount: float | None
    error: str | None
    text: str  # the text the row was classified from (its description)

    def as_dict(self) -> dict[str, Any]:
        """The nami columns of this row as a dict (as in the annotated output)."""
        values = [*(self.outcome.columns if self.outcome else [""] * 7), self.error or "", str(self.row)]
        return {"amount": self.amount, **dict(zip(NAMI_COLUMNS, values, strict=True))}


def screen_source(
    source: Any, cmap: Any, screener: Screener
) -> Iterator[tuple[int, list[str], Outcome | None, float | None, str | None, str]]:
    """Screen every row of an opened list (``nami_cli.lists.readers.open_list``), in order: tuples of
    (row number, cells, outcome or None, amount, error, text). Every row read gives exactly one."""
    from nami_cli.lists.rows import row_to_request

    decimal = source.decimal
    screen = screener.screen
    for row, cells, row_error in source.rows():
        request, extra, error = row_to_request(cells, cmap, decimal)
        if row_error is not None:
            error = row_error if error is None else f"{row_error}; {error}"
        outcome = screen(request) if error is None else None
        yield row, cells, outcome, extra["amount"], error, request.get("title", "")


def screen_file(
    path: str,
    pack: Pack | None = None,
    *,
    mapping: Iterable[str] = (),
    sheet: str | None = None,
    input_format: str | None = None,
) -> Iterator[Screened]:
    """Screen a purchase list or spend file (csv, xlsx, json, jsonl, OCDS) row by row, streaming."""
    from nami_cli.lists.columns import map_columns
    from nami_cli.lists.readers import open_list
    from nami_cli.pack import load_pack

    pack = pack or load_pack()
    with open_list(path, sheet=sheet, input_format=input_format) as source:
        cmap = map_columns(source.headers, list(mapping), file=path)
        for item in screen_source(source, cmap, Screener(pack)):
            yield Screened(*item)


def screen_rows(
    rows: Iterable[dict[str, Any]], pack: Pack | None = None, *, mapping: Iterable[str] = ()
) -> Iterator[Screened]:
    """Screen rows given as dicts (e.g. ``DataFrame.to_dict("records")``): keys are column names,
    matched like the headers of a file. The columns are taken from the first row."""
    from nami_cli.lists.columns import map_columns
    from nami_cli.pack import load_pack

    pack = pack or load_pack()
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    source = _DictRows(first, iterator)
    cmap = map_columns(source.headers, list(mapping), file="<rows>")
    for item in screen_source(source, cmap, Screener(pack)):
        yield Screened(*item)


class _DictRows:
    """Dicts as the rows of a list: the first dict's keys are the headers, numbers use a point."""

    decimal = "."

    def __init__(self, first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> None:
        self.headers = [str(k) for k in first]
        self._items = itertools.chain([first], rest)

    def rows(self) -> Iterator[tuple[int, list[str], str | None]]:
        from nami_cli.errors import NamiError, Problem

        known = set(self.headers)
        for number, item in enumerate(self._items, start=2):
            if not isinstance(item, dict):
                raise NamiError(Problem(f"row {number} is not a dict of column: value"))
            cells = ["" if item.get(h) is None else str(item.get(h)) for h in self.headers]
            unknown = [str(k) for k in item if str(k) not in known]
            yield number, cells, (f"columns not in the first row: {', '.join(unknown)}" if unknown else None)


TOP_ROWS = 10


@dataclass
class Summary:
    """Running totals of a screen; every row read is counted exactly once.

    Per row only the outcome's row count and spend are added up (outcomes are shared by many rows);
    the totals per advice, category, rule, obstacle and matrix cell are derived from those at the end.
    """

    file: str
    rows_read: int = 0
    rows_with_errors: int = 0
    rows_with_amount: int = 0
    spend_total: float = 0.0
    error_spend: float = 0.0
    by_outcome: dict[int, list[Any]] = field(default_factory=dict)  # id(outcome) -> [outcome, rows, spend]
    top: dict[str, list[tuple[float, int, str, str, str]]] = field(
        default_factory=lambda: {s: [] for s in STRATEGIES}
    )

    def add(self, row: int, outcome: Outcome | None, amount: float | None, text: str = "") -> None:
        """Count one row: ``outcome`` None for a row that could not be read."""
        self.rows_read += 1
        if amount is not None:
            self.rows_with_amount += 1
            self.spend_total += amount
        if outcome is None:
            self.rows_with_errors += 1
            self.error_spend += amount or 0.0
            return
        slot = self.by_outcome.get(id(outcome))
        if slot is None:
            slot = self.by_outcome[id(outcome)] = [outcome, 0, 0.0]
        slot[1] += 1
        if amount is not None:
            slot[2] += amount
            if outcome.strategies:
                item = (amount, -row, text, outcome.category or "", SEP.join(outcome.rules))
                for strategy in outcome.strategies:
                    heap = self.top[strategy]
                    if len(heap) < TOP_ROWS:
                        heapq.heappush(heap, item)
                    elif item > heap[0]:
                        heapq.heapreplace(heap, item)

    def verdicts(self) -> set[str]:
        """The verdicts that occur in the screened rows (for the --fail-on decision)."""
        found: set[str] = set()
        for outcome, _, _ in self.by_outcome.values():
            found.update(outcome.verdicts)
        return found

    def totals(self) -> dict[str, Any]:
        """Rows and spend per advice, category, rule, obstacle and matrix cell."""
        rows_per_advice = dict.fromkeys(ADVICE_KEYS, 0)
        spend_per_advice = dict.fromkeys(ADVICE_KEYS, 0.0)
        rows_per_advice["error"], spend_per_advice["error"] = self.rows_with_errors, self.error_spend
        per_category: dict[str, list[float]] = {}
        per_rule: dict[str, list[float]] = {}
        per_obstacle: dict[str, int] = {}
        per_cell: dict[tuple[str, str], int] = {}
        screened = classified = 0
        for outcome, rows, spend in self.by_outcome.values():
            screened += rows
            if outcome.category is not None:
                classified += rows
            key = outcome.advice or "none"
            rows_per_advice[key] += rows
            spend_per_advice[key] += spend
            for table, name in [(per_category, outcome.category or UNCLASSIFIED)] + [
                (per_rule, r) for r in outcome.rules
            ]:
                slot = table.setdefault(name, [0, 0.0])
                slot[0] += rows
                slot[1] += spend
            for ob in outcome.obstacles:
                per_obstacle[ob] = per_obstacle.get(ob, 0) + rows
            for cell in outcome.cells:
                per_cell[cell] = per_cell.get(cell, 0) + rows
        return {
            "rows_screened": screened,
            "rows_classified": classified,
            "rows_per_advice": rows_per_advice,
            "spend_per_advice": spend_per_advice,
            "per_category": per_category,
            "per_rule": per_rule,
            "per_obstacle": per_obstacle,
            "per_cell": per_cell,
        }

    def as_dict(self, pack: Pack, lang: str) -> dict[str, Any]:
        """The summary as JSON-ready data (``--summary FILE``, the HTML report)."""
        from nami_cli.report import run_date

        def title(kind: str, item_id: str) -> str:
            table: dict[str, Any] = getattr(pack, kind)
            return str(table[item_id].title(lang)) if item_id in table else item_id

        totals = self.totals()
        rules = sorted(totals["per_rule"].items(), key=lambda kv: (-kv[1][0], kv[0]))
        matrix = []
        for dimension in DIMENSIONS:
            for level in LEVELS:
                obstacles = [
                    {"id": o.id, "title": o.title(lang), "count": totals["per_obstacle"].get(o.id, 0)}
                    for o in pack.obstacles.values()
                    if o.dimension == dimension and o.level == level
                ]
                matrix.append(
                    {
                        "dimension": dimension,
                        "level": level,
                        "count": totals["per_cell"].get((dimension, level), 0),
                        "obstacles": obstacles,
                    }
                )
        return {
            "file": self.file,
            "rules": {"name": pack.name, "version": pack.version},
            "lang": lang,
            "generated": run_date(),
            "rows_read": self.rows_read,
            "rows_screened": totals["rows_screened"],
            "rows_with_errors": self.rows_with_errors,
            "rows_classified": totals["rows_classified"],
            "rows_with_amount": self.rows_with_amount,
            "spend_total": round(self.spend_total, 2),
            "rows_per_advice": totals["rows_per_advice"],
            "spend_per_advice": {k: round(v, 2) for k, v in totals["spend_per_advice"].items()},
            "spend_per_category": {
                cat: {
                    "title": title("categories", cat) if cat != UNCLASSIFIED else "",
                    "rows": int(rows),
                    "spend": round(spend, 2),
                }
                for cat, (rows, spend) in sorted(totals["per_category"].items(), key=lambda kv: -kv[1][1])
            },
            "top_rules": [
                {
                    "id": rule_id,
                    "title": str(pack.rule(rule_id).rule.title(lang)) if pack.rule(rule_id) else rule_id,  # type: ignore[union-attr]
                    "strategy": pack.rule(rule_id).rule.strategy if pack.rule(rule_id) else None,  # type: ignore[union-attr]
                    "rows": int(rows),
                    "spend": round(spend, 2),
                }
                for rule_id, (rows, spend) in rules
            ],
            "matrix": matrix,
        }

    def top_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The rows with the largest spend per strategy, largest first."""
        return {
            strategy: [
                {
                    "row": -neg_row,
                    "description": text,
                    "category": cat,
                    "amount": round(amount, 2),
                    "rules": rules.split(),
                }
                for amount, neg_row, text, cat, rules in sorted(heap, reverse=True)
            ]
            for strategy, heap in self.top.items()
        }
