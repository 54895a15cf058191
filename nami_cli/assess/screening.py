"""Screening many rows (``nami screen``) with the same engine and rule pack as ``nami check``.

Spend files repeat themselves: the same description, category and CPV code come back thousands of
times with other amounts. So the part of the work that depends only on a row's text — the scan of its
texts, recognition (categories, scope, signals) and the part of every rule the text decides (category,
CPV, keywords, signals) — runs once per distinct text through the engine's own functions
(:func:`engine.scan`, :func:`engine.recognise`, :func:`engine.build_facts`, the conditions'
``partial``); per row only the residual field comparisons (quantity, price, value) run, on facts built
by the same :func:`engine.build_facts`. Verdicts and advice come from :func:`engine.aggregate`, the one
place that owns them. The caches are bounded in bytes (:data:`CACHE_BYTES`), whatever the list holds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nami_cli.assess.engine import Recognition, aggregate, build_facts, recognise, scan
from nami_cli.assess.textmatch import NUMBER, bases, words
from nami_cli.rulepack.conditions import Node, required_categories
from nami_cli.rulepack.pack import Pack

#: the fields a list row can give besides its texts; all other fields (reason, usage, replaces) are
#: missing in every row (or set by a signal in the text), so conditions on them are decided once per text
ROW_FIELDS = frozenset({"id", "quantity", "unit", "unit_price", "value"})
#: bytes (estimated) that the cache by folded text may hold; a full cache is emptied, so memory stays
#: bounded. The small caches (exact text, outcomes, text shapes) hold a sixth of it each, and the row
#: cache of ``screen_source`` ROW_CACHE_SHARE times it: a spend file has tens of thousands of distinct
#: descriptions, and a text found there costs a tenth of one that is not (16 MiB estimated holds about
#: 30,000 texts, about 9 MB in fact)
CACHE_BYTES = 4 * 1024 * 1024
ROW_CACHE_SHARE = 4
#: all the caches of a screener together, in multiples of its ``cache_bytes``
CACHE_SHARES = 1 + 3 / 6 + ROW_CACHE_SHARE
SEP = " "  # between ids in nami_rules and nami_obstacles
CATEGORY_SEP = ";"  # between ids in nami_categories


@dataclass(frozen=True)
class RowOutcome:
    """What nami says about one row (shared by all rows with the same categories, scope and rules)."""

    advice: str | None
    verdicts: tuple[str, str, str]  # refuse, rethink, reduce
    category: str | None  # the primary category
    rules: tuple[str, ...]
    obstacles: tuple[str, ...]
    cells: frozenset[tuple[str, str]]  # matrix cells of the obstacles
    strategies: frozenset[str]  # strategies with an opportunity
    categories: tuple[str, ...] = ()  # every category, primary first
    scope: str | None = None  # the scope entry when the row is no goods purchase
    #: the values of nami_advice .. nami_scope (nami_error and nami_row are added by the caller)
    columns: tuple[str, ...] = ()


NAMI_COLUMNS = (
    "nami_advice",
    "nami_refuse",
    "nami_rethink",
    "nami_reduce",
    "nami_category",
    "nami_rules",
    "nami_obstacles",
    "nami_categories",  # every category, ";"-joined, primary first
    "nami_scope",  # the scope id when the row is no goods purchase
    "nami_error",
    "nami_row",  # the row's spreadsheet row number in the input (header = row 1)
)
OUTCOME_COLUMNS = len(NAMI_COLUMNS) - 2


@dataclass(slots=True)
class _Static:
    """What a distinct text decides: its recognition, the rules that fire whatever the numbers say, and
    the rules that still depend on the row's fields (with the residual condition)."""

    recognition: Recognition
    values: dict[str, Any]  # the facts' values the text decides (texts, CPV, signal values)
    fixed: tuple[str, ...]
    residual: list[tuple[str, Node]]
    outcome: RowOutcome | None  # when nothing is residual
    size: int = 0
    #: the outcome per set of residual rules that fire (the first 64 sets seen)
    by_fired: dict[tuple[str, ...], RowOutcome] = field(default_factory=dict)


_DIGITS = re.compile(r"\b[0-9]+\b")


class _ByteCache:
    """A dict bounded by the estimated bytes of its entries: emptied when full."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data: dict[Any, Any] = {}
        self.bytes = 0

    def get(self, key: Any) -> Any:
        return self.data.get(key)

    def put(self, key: Any, value: Any, size: int) -> bool:
        """Store; True when the cache was emptied first to make room."""
        emptied = self.bytes + size > self.limit
        if emptied:
            self.data.clear()
            self.bytes = 0
        self.data[key] = value
        self.bytes += size
        return emptied


class _Generations:
    """A cache of two dicts, each bounded by half the estimated bytes: when the newer one is full it
    becomes the older one (the older one is dropped), and an entry found in the older one is stored in the
    newer one again. So the texts a list keeps repeating stay, while memory stays bounded."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}
        self.bytes = 0

    def put(self, key: Any, value: Any, size: int) -> None:
        if self.bytes + size > self.limit // 2:
            self.old, self.data, self.bytes = self.data, {}, 0
        self.data[key] = value
        self.bytes += size

    def clear(self) -> None:
        self.data, self.old, self.bytes = {}, {}, 0


def _key_size(key: tuple[Any, ...]) -> int:
    """Estimated bytes of a (title, description, category, cpv) key."""
    title, description, category, cpv = key
    return 376 + 2 * (len(title or "") + len(description or "") + len(category or "") + len(cpv or ""))


class Screener:
    """Assess rows (request dicts as ``row_to_request`` makes them) quickly and consistently."""

    def __init__(self, pack: Pack, *, cache_bytes: int = CACHE_BYTES) -> None:
        self.pack = pack
        self._static = _ByteCache(cache_bytes)  # by text with numbers folded
        self._exact = _ByteCache(cache_bytes // 6)  # by the exact text (a shortcut that skips the folding)
        self._outcomes = _ByteCache(cache_bytes // 6)
        # A rule that needs a category is only looked at for rows of that category.
        self._free: list[tuple[int, Any]] = []
        self._by_category: dict[str, list[tuple[int, Any]]] = {}
        for i, rule in enumerate(pack.rules):
            required = required_categories(rule.rule.when)
            if required is None:
                self._free.append((i, rule))
            for cat in required or ():
                self._by_category.setdefault(cat, []).append((i, rule))
        self._order = {rule.id: i for i, rule in enumerate(pack.rules)}
        # A number in a text decides nothing unless a keyword holds it ("voor 31 december") or a signal
        # captures it ("nog voor 2 jaar op voorraad"): every other number is folded to 0 in the cache key.
        # A captured number stands beside the words that stand beside {n} in the signal's phrase, so a
        # text keeps its numbers only where a number has such a word next to it.
        beside: set[str] = set()
        for kw in pack.index.keywords:
            for i, word in enumerate(kw.words):
                if word == NUMBER:
                    beside.update(kw.words[j] for j in (i - 1, i + 1) if 0 <= j < len(kw.words))
        self._beside_numbers = frozenset(beside - {NUMBER})
        self._beside_memo: dict[str, bool] = {}
        self._numbers = frozenset(w for kw in pack.index.keywords for w in kw.words if w.isdigit())
        # a text holds one of those numbers (as a whole word) only if this finds it
        held = "|".join(sorted(map(re.escape, self._numbers), key=len, reverse=True))
        self._pack_number = re.compile(rf"\b(?:{held})\b") if held else None
        self._shapes = _ByteCache(cache_bytes // 6)  # text shape -> whether it keeps its numbers
        # raw text cells of a row -> (static entry or None, title, text errors, total), for one converter
        self._rows = _Generations(cache_bytes * ROW_CACHE_SHARE)
        self._rows_owner: Any = None

    def _fold(self, match: re.Match[str]) -> str:
        number = match.group()
        return number if number in self._numbers else "0"

    def _key(self, request: dict[str, Any]) -> tuple[Any, ...]:
        title, description = request.get("title"), request.get("description")
        if title:
            title = self._folded(title)
        if description:
            description = self._folded(description)
        return (title, description, request.get("category"), request.get("cpv"))

    def _folded(self, text: str) -> str:
        """``text`` with the numbers that decide nothing folded to 0 (see ``__init__``).

        Whether a number is kept depends on the words beside it, never on its digits: so the decision is
        taken once per *shape* (the text with every number written 0) and remembered."""
        shape = _DIGITS.sub("0", text)
        if shape == text:  # no number, or only zeros: nothing to fold
            return text
        captured = self._shapes.get(shape)
        if captured is None:
            captured = bool(self._beside_numbers) and self._number_captured(shape)
            self._shapes.put(shape, captured, 100 + 2 * len(shape))
        if captured:
            return text
        if self._pack_number is not None and self._pack_number.search(text) is not None:
            return _DIGITS.sub(self._fold, text)  # a number a keyword holds stays itself
        return shape

    def _number_captured(self, text: str) -> bool:
        """Whether a number in ``text`` stands beside a word that stands beside {n} in a keyword."""
        tokens = words(text)
        memo = self._beside_memo
        for i, token in enumerate(tokens):
            if not token.isdigit():
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(tokens):
                    word = tokens[j]
                    hit = memo.get(word)
                    if hit is None:
                        if len(memo) > 50_000:  # words, not rows: bounded all the same
                            memo.clear()
                        hit = memo[word] = bool(bases(word) & self._beside_numbers)
                    if hit:
                        return True
        return False

    def _static_part(self, request: dict[str, Any], raw: tuple[Any, ...]) -> _Static:
        key = self._key(request)
        found: _Static | None = self._static.get(key)
        if found is not None:
            self._exact.put(raw, found, _key_size(raw))
            return found
        pack = self.pack
        title, description = request.get("title"), request.get("description")
        cpv = request.get("cpv")
        cpv8 = cpv[:8] if cpv else None
        category = request.get("category")
        if category is not None and category not in pack.categories:
            category = None  # free text (a cost type): its words are in the description already
        texts = scan(pack, title, description)
        recognition = recognise(pack, category=category, cpv8=cpv8, texts=texts)
        values = {"title": title, "description": description, "cpv": cpv8}
        facts = build_facts(dict(values), recognition, texts, open_fields=ROW_FIELDS)
        fixed: list[str] = []
        residual: list[tuple[str, Node]] = []
        if recognition.scope is None:
            rules = self._free
            if recognition.categories:
                chosen = {i: r for c in recognition.category_ids for i, r in self._by_category.get(c, ())}
                rules = sorted([*rules, *chosen.items()], key=lambda item: item[0])
            for _, rule in rules:
                result = rule.rule.when.partial(facts)
                if result is True:
                    fixed.append(rule.id)
                elif result is not False:
                    residual.append((rule.id, result))
        # residual conditions are built per text (about 1 KB each); the rest is shared with the pack
        size = 600 + 2 * _key_size(key) + 1200 * len(residual) + 40 * len(fixed)
        size += sum(200 + 150 * len(c.evidence) for c in recognition.categories)
        entry = _Static(recognition, values, tuple(fixed), residual, None, size)
        if not residual:
            entry.outcome = self._outcome(recognition, entry.fixed)
        if self._static.put(key, entry, size):
            # the exact-text shortcut and the row cache hold the same entries: empty them too, or they
            # would keep them alive
            self._exact.data.clear()
            self._exact.bytes = 0
            self._rows.clear()
        self._exact.put(raw, entry, _key_size(raw))
        return entry

    def screen(self, request: dict[str, Any]) -> RowOutcome:
        """The outcome for one row."""
        return self._finish(self._static_of(request), request)

    def _static_of(self, request: dict[str, Any]) -> _Static:
        """What the texts of ``request`` (title, description, category, cpv) decide."""
        get = request.get
        raw = (get("title"), get("description"), get("category"), get("cpv"))
        return self._exact.data.get(raw) or self._static_part(request, raw)

    def _row_cache(self, owner: Any) -> _Generations:
        """The cache by raw text cells of ``screen_source``, for rows converted by ``owner`` (emptied when
        another converter asks, and together with the other caches)."""
        if self._rows_owner is not owner:
            self._rows.clear()
            self._rows_owner = owner
        return self._rows

    def _finish(self, static: _Static, fields: dict[str, Any]) -> RowOutcome:
        """The outcome of a row whose texts decide ``static``, with the row's ``fields`` (id, unit,
        quantity, unit_price, estimated_value: a request, or the fields the converter makes of a row)."""
        if static.outcome is not None:
            return static.outcome
        get = fields.get
        values = {
            **static.values,
            "id": get("id"),
            "unit": get("unit"),
            "quantity": get("quantity"),
            "unit_price": get("unit_price"),
            "value": get("estimated_value"),
        }
        facts = build_facts(values, static.recognition, {})
        fired = tuple(rule_id for rule_id, residual in static.residual if residual.test(facts) is not None)
        outcome = static.by_fired.get(fired)
        if outcome is None:
            rules = static.fixed
            if fired:
                rules = tuple(sorted({*rules, *fired}, key=self._order.__getitem__))
            outcome = self._outcome(static.recognition, rules)
            if len(static.by_fired) < 64:  # bounded whatever the pack's residual rules
                static.by_fired[fired] = outcome
        return outcome

    def _outcome(self, recognition: Recognition, fired: tuple[str, ...]) -> RowOutcome:
        categories = recognition.category_ids
        scope = recognition.scope.id if recognition.scope is not None else None
        key = (categories, scope, fired)
        outcome: RowOutcome | None = self._outcomes.get(key)
        if outcome is not None:
            return outcome
        rules = [r for r in (self.pack.rule(i) for i in fired) if r is not None]
        summary = aggregate(rules)
        obstacles = tuple(ob for ob, _ in summary.obstacles)
        cells = frozenset((self.pack.obstacles[o].dimension, self.pack.obstacles[o].level) for o in obstacles)
        category = categories[0] if categories else None
        outcome = RowOutcome(
            advice=summary.advice,
            verdicts=summary.verdicts,  # type: ignore[arg-type]
            category=category,
            rules=fired,
            obstacles=obstacles,
            cells=cells,
            strategies=summary.strategies,
            categories=categories,
            scope=scope,
            columns=(
                summary.advice or "none",  # the summary says "none" too
                *summary.verdicts,
                category or "",
                SEP.join(fired),
                SEP.join(obstacles),
                CATEGORY_SEP.join(categories),
                scope or "",
            ),
        )
        self._outcomes.put(key, outcome, 400 + 60 * (len(fired) + len(obstacles) + len(categories)))
        return outcome


@dataclass(frozen=True)
class Screened:
    """One screened row: its spreadsheet row number, nami's outcome (None if unreadable) and its amount."""

    row: int
    cells: list[str]
    outcome: RowOutcome | None
    amount: float | None
    error: str | None
    text: str  # the text the row was classified from (its description)
    #: for a total row (``Totaal``): the amount it states (0.0 when none); None for every other row
    total: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The nami columns of this row as a dict (as in the annotated output)."""
        values = [
            *(self.outcome.columns if self.outcome else [""] * OUTCOME_COLUMNS),
            self.error or "",
            str(self.row),
        ]
        return {"amount": self.amount, **dict(zip(NAMI_COLUMNS, values, strict=True))}


def screen_source(
    source: Any, cmap: Any, screener: Screener
) -> Iterator[tuple[int, list[str], RowOutcome | None, float | None, str | None, str, float | None]]:
    """Screen every row of an opened list (``nami_cli.lists.readers.open_list``), in order: tuples of
    (row number, cells, outcome or None, amount, error, text, total). ``total`` is the amount of a total
    row (0.0 when it has none; its ``amount`` is None: not spend) and None for every other row. Every row
    read gives exactly one.

    Each row is what ``row_to_request`` and :meth:`Screener.screen` give, but the text part of the
    conversion and what the texts decide are kept per distinct raw text cells (bounded in bytes, emptied
    with the screener's caches): a repeated text only has its numbers read."""
    from nami_cli.assess.summary import cents
    from nami_cli.lists.rows import NO_TEXT, converter

    conv = converter(cmap, source.decimal)
    text_key, text_part, numbers, fields_of = conv.text_key, conv.text, conv.numbers, conv.fields
    width = len(cmap.headers)
    memo = screener._row_cache(conv)
    seen = memo.data
    limit = memo.limit // 16  # a longer text is not kept (it is rare, and would empty the cache)
    static_of, finish = screener._static_of, screener._finish
    # A row without any text whose amount is the sum of the rows above it (since the last total row, or
    # of all rows: a grand total under subtotals) is a total row too: counted apart, not spend.
    since = running = rows = grand = 0  # rows and cents since the last total row, and of all rows
    for row, cells, row_error in source.rows():
        if len(cells) < width:  # the readers pad; be safe for other sources
            cells = list(cells) + [""] * (width - len(cells))
        key = text_key(cells)
        hit = seen.get(key)
        if hit is None:
            hit = memo.old.get(key)
            if hit is None:
                part = text_part(cells)
                hit = (
                    None if part.errors else static_of(part.request),
                    part.request.get("title", ""),
                    part.errors,
                    part.total,
                )
            size = 400 + 4 * (len(key) if isinstance(key, str) else sum(map(len, key or ())))
            if size < limit:
                memo.put(key, hit, size)
            seen = memo.data
        static, title, text_errors, total = hit
        qty, price, amount, errors = numbers(cells)
        if text_errors or errors or row_error is not None:
            joined = "; ".join((*text_errors, *errors))
            error = joined or None
            if row_error is not None:
                error = row_error if error is None else f"{row_error}; {error}"
        else:
            error = None
        if total:
            since = running = 0
            yield row, cells, None, None, error, title, 0.0 if amount is None else amount
            continue
        if amount is not None:
            spent = cents(amount)
            summed = since if since >= 2 and spent == running else rows if rows >= 2 and spent == grand else 0
            if summed and text_errors == (NO_TEXT,) and row_error is None:
                error = (
                    f"a total row (no text, and its amount is the sum of the {summed} rows above): not "
                    "screened, and its amount is not added to the spend"
                )
                since = running = 0
                yield row, cells, None, None, error, title, amount
                continue
            since += 1
            rows += 1
            running += spent
            grand += spent
        if error is None:
            outcome = static.outcome  # type: ignore[union-attr]
            if outcome is None:
                outcome = finish(static, fields_of(cells, qty, price, amount)[0])  # type: ignore[arg-type]
            yield row, cells, outcome, amount, None, title, None
        else:
            yield row, cells, None, amount, error, title, None


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
    from nami_cli.rulepack.pack import load_pack

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
    from nami_cli.rulepack.pack import load_pack

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
        from nami_cli.base.errors import NamiError, Problem

        known = set(self.headers)
        for number, item in enumerate(self._items, start=2):
            if not isinstance(item, dict):
                raise NamiError(Problem(f"row {number} is not a dict of column: value"))
            cells = ["" if item.get(h) is None else str(item.get(h)) for h in self.headers]
            unknown = [str(k) for k in item if str(k) not in known]
            yield number, cells, (f"columns not in the first row: {', '.join(unknown)}" if unknown else None)
