"""The summary of a screened list (``nami screen --summary FILE``, the report, the stderr summary).

:class:`ScreenTally` adds the rows up while they stream (fast: per row only the outcome's row count
and spend in whole cents); :meth:`ScreenTally.summary` turns the totals into :class:`ScreenSummary`,
the typed model every renderer reads and whose JSON Schema ``nami schema summary`` prints. Money is
summed in integer cents: every total equals the sum of its parts.
"""

from __future__ import annotations

import heapq
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from nami_cli.base.currency import DEFAULT_CURRENCY, Currency
from nami_cli.base.vocab import DIMENSIONS, LEVELS, ROW_ADVICE_KEYS, STRATEGIES, Dimension, Level, Strategy

if TYPE_CHECKING:
    from nami_cli.assess.screening import RowOutcome
    from nami_cli.rulepack.pack import Pack

UNCLASSIFIED = "unclassified"
"""The key of ``spend_per_category`` for the rows without a category."""
TOP_ROWS = 10
"""Rows kept per strategy in ``top_rows``: those with the largest amounts."""
CENT = Decimal("0.01")


def cents(amount: float) -> int:
    """An amount in whole cents (money is summed in integers, so totals and their parts reconcile)."""
    return round(amount * 100)


def from_cents(value: int) -> float:
    """Whole cents as an amount for JSON (exact: a float prints the shortest decimal that reads back)."""
    return float(Decimal(value) * CENT)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class PackInfo(_Model):
    name: str
    version: str


class PerAdviceRows(_Model):
    """Rows per advice; ``error``: the rows that could not be read (total rows among them)."""

    refuse: int
    rethink: int
    reduce: int
    none: int
    error: int


class PerAdviceSpend(_Model):
    """Spend per advice, in the summary's currency."""

    refuse: float
    rethink: float
    reduce: float
    none: float
    error: float


class CategorySpend(_Model):
    title: str = Field(description="the category's title; empty for 'unclassified'")
    rows: int
    spend: float


class ScopeSpend(_Model):
    title: str
    reason: str = Field(description="why such rows are no goods purchase")
    rows: int
    spend: float


class RuleCount(_Model):
    id: str
    title: str
    strategy: Strategy | None
    rows: int
    spend: float


class ObstacleCount(_Model):
    id: str
    title: str
    count: int = Field(description="rows with this obstacle")


class MatrixCell(_Model):
    dimension: Dimension
    level: Level
    count: int = Field(description="rows with an obstacle in this cell")
    obstacles: list[ObstacleCount]


class TotalRows(_Model):
    """Total and subtotal rows (``Totaal``, ``Subtotal 2025``): not screened and not in the spend."""

    rows: int = 0
    amount: float = Field(default=0.0, description="the sum of their amounts (not added to spend_total)")


class TopRow(_Model):
    row: int = Field(description="the spreadsheet row number (the header is row 1)")
    description: str
    category: str
    amount: float
    rules: list[str]


class TopRows(_Model):
    """The rows with the largest amounts per strategy, largest first."""

    refuse: list[TopRow] = Field(default_factory=list)
    rethink: list[TopRow] = Field(default_factory=list)
    reduce: list[TopRow] = Field(default_factory=list)


class ScreenSummary(_Model):
    """What ``nami screen`` found in one list: rows and spend per advice, category, scope and rule."""

    file: str = Field(description="the input file as given")
    rules: PackInfo
    lang: str
    generated: str = Field(description="the run date, YYYY-MM-DD")
    rows_read: int = Field(description="data rows read (header not counted); each counted exactly once")
    rows_screened: int = Field(description="rows assessed")
    rows_with_errors: int = Field(description="rows that could not be read (see nami_error)")
    rows_classified: int = Field(description="rows with a category")
    rows_with_amount: int
    spend_total: float = Field(description="the sum of the amounts read; total rows are not in it")
    rows_per_advice: PerAdviceRows
    spend_per_advice: PerAdviceSpend
    spend_per_category: dict[str, CategorySpend] = Field(
        description=f"largest spend first; '{UNCLASSIFIED}': the rows without a category"
    )
    rows_out_of_scope: int = Field(description="rows that are no goods purchase")
    spend_per_scope: dict[str, ScopeSpend] = Field(description="largest spend first")
    top_rules: list[RuleCount] = Field(description="most rows first")
    matrix: list[MatrixCell] = Field(description="every dimension x level cell of the obstacles matrix")
    blank_rows_skipped: int = Field(default=0, description="rows without any cell, not read")
    currency: Currency = Field(
        default=DEFAULT_CURRENCY, description="the currency of every amount (ISO code)"
    )
    totals: TotalRows = Field(default_factory=TotalRows)
    top_rows: TopRows = Field(default_factory=TopRows)


class ScreenTally:
    """Running totals of a screen; every row read is counted exactly once.

    Per row only the outcome's row count, rows with an amount and spend (in whole cents) are added up, in
    a slot per outcome (outcomes are shared by many rows); the totals per advice, category, scope, rule,
    obstacle and matrix cell, and the counts of all rows, are derived from the slots at the end.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.rows_with_errors = 0
        self.error_rows_with_amount = 0
        self.error_cents = 0
        self.total_rows = 0
        self.total_cents = 0
        #: outcome columns -> [outcome, rows, rows with an amount, spend in cents, floor]. ``floor``: an
        #: amount below it cannot enter the top lists of the outcome's strategies (thresholds only rise,
        #: so an old floor is still safe)
        self._slots: dict[tuple[str, ...], list[Any]] = {}
        #: id(outcome) -> (outcome, its slot): finds the slot of an outcome object seen before without
        #: hashing its columns. It holds the outcome, so the id is not reused; bounded, since equal
        #: outcomes may come as new objects when the screener's caches are emptied
        self._by_id: dict[int, tuple[RowOutcome, list[Any]]] = {}
        self.top: dict[str, list[tuple[float, int, str, str, str]]] = {s: [] for s in STRATEGIES}

    @property
    def rows_read(self) -> int:
        return self.rows_with_errors + sum(int(slot[1]) for slot in self._slots.values())

    @property
    def rows_with_amount(self) -> int:
        return self.error_rows_with_amount + sum(int(slot[2]) for slot in self._slots.values())

    @property
    def spend_cents(self) -> int:
        return self.error_cents + sum(int(slot[3]) for slot in self._slots.values())

    @property
    def spend_total(self) -> float:
        return from_cents(self.spend_cents)

    def add(
        self,
        row: int,
        outcome: RowOutcome | None,
        amount: float | None,
        text: str = "",
        total: float | None = None,
    ) -> None:
        """Count one row: ``outcome`` None for a row that could not be read; ``total`` the amount of a
        total row (0.0 when it has none), None for every other row."""
        if outcome is None:
            self._add_unscreened(amount, total)
            return
        found = self._by_id.get(id(outcome))
        slot = found[1] if found is not None else self._slot(outcome)
        slot[1] += 1
        if amount is not None:
            slot[2] += 1
            slot[3] += cents(amount)
            if amount >= slot[4]:
                slot[4] = self._offer(row, outcome, amount, text)

    def _slot(self, outcome: RowOutcome) -> list[Any]:
        slot = self._slots.get(outcome.columns)
        if slot is None:
            floor = -math.inf if outcome.strategies else math.inf
            slot = self._slots[outcome.columns] = [outcome, 0, 0, 0, floor]
        if len(self._by_id) >= 4096:
            self._by_id.clear()
        self._by_id[id(outcome)] = (outcome, slot)
        return slot

    def _add_unscreened(self, amount: float | None, total: float | None) -> None:
        self.rows_with_errors += 1  # a total row too: it is not screened
        if total is not None:
            self.total_rows += 1
            self.total_cents += cents(total)
        if amount is not None:
            self.error_rows_with_amount += 1
            self.error_cents += cents(amount)

    def _offer(self, row: int, outcome: RowOutcome, amount: float, text: str) -> float:
        """Offer a row to the top lists of its outcome's strategies; the new floor of the outcome."""
        item = None  # built only for a row that may enter a top list
        floor = math.inf
        for strategy in outcome.strategies:
            heap = self.top[strategy]
            if len(heap) < TOP_ROWS:
                item = item or (amount, -row, text, outcome.category or "", outcome.columns[5])
                heapq.heappush(heap, item)
            elif amount >= heap[0][0]:
                item = item or (amount, -row, text, outcome.category or "", outcome.columns[5])
                if item > heap[0]:
                    heapq.heapreplace(heap, item)
            floor = min(floor, heap[0][0] if len(heap) >= TOP_ROWS else -math.inf)
        return floor

    def verdicts(self) -> set[str]:
        """The verdicts that occur in the screened rows (for the --fail-on decision)."""
        found: set[str] = set()
        for outcome, *_ in self._slots.values():
            found.update(outcome.verdicts)
        return found

    def totals(self) -> dict[str, Any]:
        """Rows and spend (cents) per advice, category, scope, rule, obstacle and matrix cell."""
        rows_per_advice: dict[str, int] = dict.fromkeys(ROW_ADVICE_KEYS, 0)
        spend_per_advice: dict[str, int] = dict.fromkeys(ROW_ADVICE_KEYS, 0)
        rows_per_advice["error"], spend_per_advice["error"] = self.rows_with_errors, self.error_cents
        per_category: dict[str, list[int]] = {}
        per_scope: dict[str, list[int]] = {}
        per_rule: dict[str, list[int]] = {}
        per_obstacle: dict[str, int] = {}
        per_cell: dict[tuple[str, str], int] = {}
        screened = classified = 0
        for outcome, rows, _, spend, _ in self._slots.values():
            screened += rows
            if outcome.category is not None:
                classified += rows
            key = outcome.advice or "none"
            rows_per_advice[key] += rows
            spend_per_advice[key] += spend
            tables = [(per_category, outcome.category or UNCLASSIFIED)] + [
                (per_rule, r) for r in outcome.rules
            ]
            if outcome.scope is not None:
                tables.append((per_scope, outcome.scope))
            for table, name in tables:
                slot = table.setdefault(name, [0, 0])
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
            "per_scope": per_scope,
            "per_rule": per_rule,
            "per_obstacle": per_obstacle,
            "per_cell": per_cell,
        }

    def top_rows(self) -> TopRows:
        """The rows with the largest spend per strategy, largest first."""
        return TopRows(
            **{
                strategy: [
                    TopRow(
                        row=-neg_row,
                        description=text,
                        category=cat,
                        amount=round(amount, 2),
                        rules=rules.split(),
                    )
                    for amount, neg_row, text, cat, rules in sorted(heap, reverse=True)
                ]
                for strategy, heap in self.top.items()
            }
        )

    def summary(
        self, pack: Pack, lang: str, *, blank_rows: int = 0, currency: Currency = DEFAULT_CURRENCY
    ) -> ScreenSummary:
        """The summary of the rows counted so far, with titles in ``lang``."""
        from nami_cli.assess.document import run_date

        def title(kind: str, item_id: str) -> str:
            table: dict[str, Any] = getattr(pack, kind)
            return str(table[item_id].title(lang)) if item_id in table else item_id

        totals = self.totals()
        rules = sorted(totals["per_rule"].items(), key=lambda kv: (-kv[1][0], kv[0]))
        matrix = [
            MatrixCell(
                dimension=dimension,
                level=level,
                count=totals["per_cell"].get((dimension, level), 0),
                obstacles=[
                    ObstacleCount(id=o.id, title=o.title(lang), count=totals["per_obstacle"].get(o.id, 0))
                    for o in pack.obstacles.values()
                    if o.dimension == dimension and o.level == level
                ],
            )
            for dimension in DIMENSIONS
            for level in LEVELS
        ]
        top_rules = []
        for rule_id, (rows, spend) in rules:
            rule = pack.rule(rule_id)
            top_rules.append(
                RuleCount(
                    id=rule_id,
                    title=str(rule.rule.title(lang)) if rule else rule_id,
                    strategy=rule.rule.strategy if rule else None,
                    rows=int(rows),
                    spend=from_cents(spend),
                )
            )
        return ScreenSummary(
            file=self.file,
            rules=PackInfo(name=pack.name, version=pack.version),
            lang=lang,
            generated=run_date(),
            rows_read=self.rows_read,
            rows_screened=totals["rows_screened"],
            rows_with_errors=self.rows_with_errors,
            rows_classified=totals["rows_classified"],
            rows_with_amount=self.rows_with_amount,
            spend_total=from_cents(self.spend_cents),
            rows_per_advice=PerAdviceRows(**totals["rows_per_advice"]),
            spend_per_advice=PerAdviceSpend(
                **{k: from_cents(v) for k, v in totals["spend_per_advice"].items()}
            ),
            spend_per_category={
                cat: CategorySpend(
                    title=title("categories", cat) if cat != UNCLASSIFIED else "",
                    rows=int(rows),
                    spend=from_cents(spend),
                )
                for cat, (rows, spend) in sorted(totals["per_category"].items(), key=lambda kv: -kv[1][1])
            },
            rows_out_of_scope=sum(rows for rows, _ in totals["per_scope"].values()),
            spend_per_scope={
                scope_id: ScopeSpend(
                    title=title("scope", scope_id),
                    reason=str(pack.scope[scope_id].reason(lang)) if scope_id in pack.scope else "",
                    rows=int(rows),
                    spend=from_cents(spend),
                )
                for scope_id, (rows, spend) in sorted(totals["per_scope"].items(), key=lambda kv: -kv[1][1])
            },
            top_rules=top_rules,
            matrix=matrix,
            blank_rows_skipped=blank_rows,
            currency=currency,
            totals=TotalRows(rows=self.total_rows, amount=from_cents(self.total_cents)),
            top_rows=self.top_rows(),
        )


def summary_json(summary: ScreenSummary) -> str:
    """The ``--summary`` file: the model as indented JSON."""
    import json

    return json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


__all__ = ["TOP_ROWS", "UNCLASSIFIED", "ScreenSummary", "ScreenTally", "cents", "from_cents", "summary_json"]
