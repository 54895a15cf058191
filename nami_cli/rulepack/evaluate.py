"""Measuring recognition (``nami rules eval``): a labelled corpus, and real spend files labelled from
their own classification columns.

Two measurements, one module:

- **The corpus** (``tests/corpus/*.yaml``): each case is a request or a list row with what nami must
  recognise (categories, goods or not, scope) and the strategies that must (not) be an opportunity.
  Every case runs through both paths of the engine: ``check_request`` (the request path, ``nami check``)
  and ``screen_rows`` (the row path, ``nami screen``). For a request only the fields a list row can carry
  go to the row path, and the same fields also go through the request path once more: the two must agree
  (the differential test); differences are listed.
- **Spend files** (``--spend DIR_OR_FILE --labels MAP``): every row of a file is screened as
  ``nami screen --map ...`` would, and labelled through the map from the council's own classification
  columns (a nami category id, ``none`` for no goods purchase, ``unknown`` for too vague: not scored).
  Figures are given per row and once per distinct text.

Definitions (also in docs/evaluation.md): *primary* scoring compares nami's primary category with the
expected primary one; *any* scoring counts a hit when the expected category is among all categories nami
gives. Precision = hits / items to which nami gave a category; recall = hits / items labelled with a goods
category. The false-positive advice rate is the share of no-goods items with any opportunity.

The engine may or may not give several categories (``categories``) and a scope (``scope``): both are read
when present and fall back to the single ``category`` (no category = no goods purchase) when not.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import STRATEGIES, Strategy

__all__ = [
    "SCOPE_IDS",
    "Case",
    "CorpusEvaluation",
    "Observed",
    "SpendEvaluation",
    "evaluate_corpus",
    "evaluate_spend",
    "load_corpus",
    "load_labels",
    "observe_check",
    "observe_screen",
]

#: the scope ids of issue 10's contract (a pack with a scope part may add more)
SCOPE_IDS = (
    "taxes-and-levies",
    "pay-and-temporary-staff",
    "pensions",
    "grants-subsidies-benefits",
    "rent-and-property",
    "insurance",
    "energy-and-water",
    "professional-services",
    "works",
    "repairs-and-maintenance",
    "software-and-hosting",
    "hire-and-lease",
    "travel-and-transport",
    "postage-and-fees",
    "care-and-social-services",
)
NONE = "none"  # label: no goods purchase
UNKNOWN = "unknown"  # label: too vague to say; not scored
MAX_FILE_BYTES = 8 * 1024 * 1024
REQUEST_FIELDS = frozenset(
    {
        "title",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "estimated_value",
        "reason",
        "replaces",
        "usage",
        "cpv",
        "answers",
        "category",
    }
)
ROW_INPUT_FIELDS = frozenset({"title", "description", "amount"})
#: the request fields a list row can carry (the rest never reaches the row path)
ROW_EXPRESSIBLE = ("title", "description", "cpv", "quantity", "unit_price", "estimated_value")


# --------------------------------------------------------------------------------------------- corpus


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expect(_Model):
    """What nami must say about a case."""

    categories: list[str] = Field(description="expected category ids, primary first; [] for no goods")
    goods: bool = Field(description="a goods purchase (false: tax, pay, service, works, rent, ...)")
    scope: str | None = Field(default=None, description="the scope id of a no-goods case")
    opportunity: list[Strategy] = Field(default_factory=list, description="strategies that must be one")
    not_opportunity: list[Strategy] = Field(default_factory=list, description="strategies that must not")

    @model_validator(mode="after")
    def _consistent(self) -> Expect:
        if not self.goods and self.categories:
            raise ValueError("a case with goods: false has no categories (write categories: [])")
        if self.goods and self.scope is not None:
            raise ValueError("scope names why a case is no goods purchase; remove it or set goods: false")
        if not self.goods and self.opportunity:
            raise ValueError("a no-goods case cannot expect an opportunity")
        both = set(self.opportunity) & set(self.not_opportunity)
        if both:
            raise ValueError(f"{', '.join(sorted(both))} is both in opportunity and not_opportunity")
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("a category is listed twice")
        return self


class Case(_Model):
    """One labelled case: a request (all request fields) or a list row (title, description, amount)."""

    id: str = Field(min_length=1)
    lang: Literal["nl", "en"]
    kind: Literal["request", "row"]
    input: dict[str, Any]
    expect: Expect
    note: str | None = None

    @field_validator("input")
    @classmethod
    def _has_title(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(value.get("title"), str) or not value["title"].strip():
            raise ValueError("needs a title (the text of the request or the row)")
        return value

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Case:
        allowed = ROW_INPUT_FIELDS if self.kind == "row" else REQUEST_FIELDS
        extra = sorted(set(self.input) - allowed)
        if extra:
            raise ValueError(
                f"a {self.kind} has no field {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}"
            )
        return self

    @property
    def primary(self) -> str | None:
        return self.expect.categories[0] if self.expect.categories else None

    def request(self) -> dict[str, Any]:
        """The case as a request (the keys of a request file)."""
        if self.kind == "request":
            return dict(self.input)
        request = {k: self.input[k] for k in ("title", "description") if self.input.get(k) is not None}
        amount = self.input.get("amount")
        if isinstance(amount, (int, float)) and amount >= 0:
            request["estimated_value"] = amount
        return request

    def row_request(self) -> dict[str, Any]:
        """Only what a list row can carry (the input of the differential test)."""
        request = self.request()
        return {k: request[k] for k in ROW_EXPRESSIBLE if request.get(k) is not None}


def corpus_files(path: Path) -> list[Path]:
    """The corpus files: ``path`` itself, or every ``*.yaml`` in the folder except ``spend-*.yaml``."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.yaml") if not p.name.startswith("spend-"))
        if not files:
            raise NamiError(Problem("no corpus files (*.yaml) in this folder", file=str(path)))
        return files
    if not path.exists():
        raise NamiError(
            Problem(
                "no such file or folder; give a corpus file or folder (the repository's tests/corpus)",
                file=str(path),
            )
        )
    return [path]


def load_corpus(
    path: str | Path, known_categories: Iterable[str], known_scopes: Iterable[str] = ()
) -> list[Case]:
    """Read and validate the corpus; every problem with file:line:col (NamiError, exit 3)."""
    from nami_cli.load.validation import problems_from
    from nami_cli.load.yamlsafe import load

    cases: list[Case] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    categories = set(known_categories)
    scopes = set(SCOPE_IDS) | set(known_scopes)
    for file in corpus_files(Path(path)):
        doc = load(str(file), max_bytes=MAX_FILE_BYTES)
        items = doc.data.get("cases") if isinstance(doc.data, dict) else None
        extra = sorted(set(doc.data) - {"cases"}) if isinstance(doc.data, dict) else []
        if not isinstance(items, list) or extra:
            problems.append(doc.problem((), "a corpus file holds one key, cases: a list of cases"))
            continue
        for i, item in enumerate(items):
            at = ("cases", i)
            try:
                case = Case.model_validate(item)
            except ValidationError as exc:
                problems.extend(problems_from(exc, doc, model=Case, base=at))
                continue
            if case.id in seen:
                problems.append(
                    doc.problem((*at, "id"), f"case id {case.id!r} is also used in {seen[case.id]}")
                )
            seen[case.id] = str(file)
            for j, cat in enumerate(case.expect.categories):
                if cat not in categories:
                    problems.append(
                        doc.problem(
                            (*at, "expect", "categories", j),
                            f"unknown category {cat!r}; known: {', '.join(sorted(categories))}",
                        )
                    )
            if case.expect.scope is not None and case.expect.scope not in scopes:
                problems.append(
                    doc.problem(
                        (*at, "expect", "scope"),
                        f"unknown scope {case.expect.scope!r}; known: {', '.join(sorted(scopes))}",
                    )
                )
            cases.append(case)
    if problems:
        raise NamiError(problems)
    return cases


# ------------------------------------------------------------------------------------- observations


@dataclass(frozen=True)
class Observed:
    """What the engine said about one text, read the same way from either path."""

    categories: tuple[str, ...]  # primary first
    goods: bool
    scope: str | None
    verdicts: dict[str, str]  # strategy -> verdict
    scope_known: bool = False  # the engine gives a scope (else goods = has a category)

    @property
    def primary(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def opportunities(self) -> frozenset[str]:
        return frozenset(s for s, v in self.verdicts.items() if v == "opportunity")


def _attr(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _category_ids(primary: Any, many: Any) -> tuple[str, ...]:
    ids: list[str] = []
    if isinstance(primary, str):
        ids.append(primary)
    elif primary is not None and _attr(primary, "id"):
        ids.append(str(_attr(primary, "id")))
    if isinstance(many, str):
        many = [c for c in many.replace(";", " ").split() if c]
    for item in many or ():
        cat = item if isinstance(item, str) else _attr(item, "id")
        if cat and str(cat) not in ids:
            ids.append(str(cat))
    return tuple(ids)


def _scope(holder: Any, categories: tuple[str, ...]) -> tuple[bool, str | None, bool]:
    """(goods, scope id, scope known) from a result or outcome with or without a ``scope``."""
    if not hasattr(holder, "scope"):
        return bool(categories), None, False
    scope = holder.scope
    if scope is None:
        return True, None, True
    if isinstance(scope, str):
        return (not scope), (scope or None), True
    goods = _attr(scope, "goods")
    scope_id = _attr(scope, "id")
    return (bool(goods) if goods is not None else not scope_id), scope_id, True


def observe_check(result: Any) -> Observed:
    """Read a RequestResult of ``check_request``."""
    cats = _category_ids(result.category, getattr(result, "categories", None))
    goods, scope, known = _scope(result, cats)
    verdicts = {s.strategy: s.verdict for s in result.strategies}
    return Observed(cats, goods, scope, verdicts, known)


def observe_screen(outcome: Any) -> Observed:
    """Read a RowOutcome of ``screen_rows``."""
    cats = _category_ids(outcome.category, getattr(outcome, "categories", None))
    goods, scope, known = _scope(outcome, cats)
    verdicts = dict(zip(STRATEGIES, outcome.verdicts, strict=True))
    return Observed(cats, goods, scope, verdicts, known)


_ROW_HEADERS = ("description", "category", "cpv", "quantity", "unit price", "amount")
_ROW_MAP = [
    f"{f}={h}"
    for f, h in zip(
        ("description", "category", "cpv", "quantity", "unit_price", "amount"), _ROW_HEADERS, strict=True
    )
]


def as_row(request: dict[str, Any]) -> dict[str, Any]:
    """A request's row-expressible fields as a list row (the columns ``nami screen`` reads)."""
    return dict(
        zip(
            _ROW_HEADERS,
            (
                request.get("title"),
                request.get("description"),
                request.get("cpv"),
                request.get("quantity"),
                request.get("unit_price"),
                request.get("estimated_value"),
            ),
            strict=True,
        )
    )


def screen_requests(requests: Sequence[dict[str, Any]], pack: Any) -> list[Observed]:
    """Each request (row-expressible fields only) through the row path, in order."""
    from nami_cli.assess.screening import screen_rows

    observed: list[Observed] = []
    for item in screen_rows((as_row(r) for r in requests), pack, mapping=_ROW_MAP):
        if item.outcome is None:
            raise NamiError(Problem(f"row {item.row}: {item.error}"))
        observed.append(observe_screen(item.outcome))
    if len(observed) != len(requests):
        raise NamiError(Problem(f"screened {len(observed)} rows of {len(requests)}"))
    return observed


# -------------------------------------------------------------------------------------------- scores


@dataclass
class Tally:
    """True positives, false positives and false negatives of one category (or all: micro)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class Scores:
    """Per-category tallies, single-label (primary) or multi-label (all categories)."""

    per_category: dict[str, Tally] = field(default_factory=dict)

    def add(self, expected: Sequence[str], got: Sequence[str]) -> None:
        for cat in set(expected) | set(got):
            tally = self.per_category.setdefault(cat, Tally())
            if cat in expected and cat in got:
                tally.tp += 1
            elif cat in got:
                tally.fp += 1
            else:
                tally.fn += 1

    @property
    def micro(self) -> Tally:
        total = Tally()
        for t in self.per_category.values():
            total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
        return total

    def macro(self) -> tuple[float | None, float | None]:
        precisions = [p for t in self.per_category.values() if (p := t.precision) is not None]
        recalls = [r for t in self.per_category.values() if (r := t.recall) is not None]
        return (
            sum(precisions) / len(precisions) if precisions else None,
            sum(recalls) / len(recalls) if recalls else None,
        )

    def as_dict(self) -> dict[str, Any]:
        macro_p, macro_r = self.macro()
        return {
            "micro": self.micro.as_dict(),
            "macro": {"precision": _round(macro_p), "recall": _round(macro_r)},
            "per_category": {c: t.as_dict() for c, t in sorted(self.per_category.items())},
        }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ------------------------------------------------------------------------------------ corpus results


@dataclass
class PathScores:
    """The figures of one path (check or screen) over the corpus."""

    name: str
    primary: Scores = field(default_factory=Scores)
    every: Scores = field(default_factory=Scores)
    by_group: dict[str, Scores] = field(default_factory=dict)  # primary, per language and per kind
    goods_right: int = 0
    cases: int = 0
    no_goods: int = 0
    no_goods_with_advice: list[str] = field(default_factory=list)
    scope_right: int = 0
    scope_expected: int = 0
    scope_known: bool = False
    scope_confusions: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    confusions: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    strategy_failures: list[dict[str, str]] = field(default_factory=list)

    def add(self, case: Case, got: Observed, check_strategies: bool) -> None:
        self.cases += 1
        expected_primary = [case.primary] if case.primary else []
        self.primary.add(expected_primary, [got.primary] if got.primary else [])
        for group in (case.lang, case.kind):
            self.by_group.setdefault(group, Scores()).add(
                expected_primary, [got.primary] if got.primary else []
            )
        self.every.add(case.expect.categories, got.categories)
        if got.goods == case.expect.goods:
            self.goods_right += 1
        if not case.expect.goods:
            self.no_goods += 1
            if got.opportunities:
                self.no_goods_with_advice.append(case.id)
        self.scope_known = self.scope_known or got.scope_known
        if case.expect.scope is not None:
            self.scope_expected += 1
            if got.scope == case.expect.scope:
                self.scope_right += 1
            elif got.scope_known:
                key = (case.expect.scope, got.scope or ("goods" if got.goods else NONE))
                self.scope_confusions.setdefault(key, []).append(case.id)
        want = case.primary or NONE
        have = got.primary or NONE
        if want != have:
            self.confusions.setdefault((want, have), []).append(case.id)
        if check_strategies:
            for strategy in case.expect.opportunity:
                if got.verdicts.get(strategy) != "opportunity":
                    self.strategy_failures.append(
                        {
                            "case": case.id,
                            "strategy": strategy,
                            "expected": "opportunity",
                            "got": got.verdicts.get(strategy, "-"),
                        }
                    )
            for strategy in case.expect.not_opportunity:
                if got.verdicts.get(strategy) == "opportunity":
                    self.strategy_failures.append(
                        {
                            "case": case.id,
                            "strategy": strategy,
                            "expected": "no opportunity",
                            "got": "opportunity",
                        }
                    )

    @property
    def fp_advice_rate(self) -> float | None:
        return _share(len(self.no_goods_with_advice), self.no_goods)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "primary": self.primary.as_dict(),
            "all_categories": self.every.as_dict(),
            "primary_by_group": {g: s.micro.as_dict() for g, s in sorted(self.by_group.items())},
            "goods_accuracy": _round(_share(self.goods_right, self.cases)),
            "no_goods_cases": self.no_goods,
            "fp_advice_rate": _round(self.fp_advice_rate),
            "no_goods_with_advice": self.no_goods_with_advice,
            "scope_accuracy": _round(_share(self.scope_right, self.scope_expected))
            if self.scope_known
            else None,
            "scope_confusions": [
                {"expected": want, "got": have, "cases": ids}
                for (want, have), ids in sorted(
                    self.scope_confusions.items(), key=lambda kv: (-len(kv[1]), kv[0])
                )
            ],
            "confusions": [
                {"expected": want, "got": have, "cases": ids}
                for (want, have), ids in sorted(self.confusions.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ],
            "strategy_failures": self.strategy_failures,
        }


@dataclass
class CorpusEvaluation:
    """The corpus through both paths, and where the paths disagree."""

    cases: int
    by_lang: Counter[str]
    by_kind: Counter[str]
    check: PathScores
    screen: PathScores
    differences: list[dict[str, Any]]

    def failures(
        self, min_precision: float | None, min_recall: float | None, max_fp_advice: float | None
    ) -> list[str]:
        """What is below the thresholds (both paths must meet them)."""
        found: list[str] = []
        for path in (self.check, self.screen):
            micro = path.primary.micro
            if min_precision is not None and (micro.precision or 0.0) < min_precision:
                found.append(f"{path.name}: precision {_pct(micro.precision)} < {_pct(min_precision)}")
            if min_recall is not None and (micro.recall or 0.0) < min_recall:
                found.append(f"{path.name}: recall {_pct(micro.recall)} < {_pct(min_recall)}")
            rate = path.fp_advice_rate or 0.0
            if max_fp_advice is not None and rate > max_fp_advice:
                found.append(f"{path.name}: false-positive advice {_pct(rate)} > {_pct(max_fp_advice)}")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "by_lang": dict(self.by_lang),
            "by_kind": dict(self.by_kind),
            "check": self.check.as_dict(),
            "screen": self.screen.as_dict(),
            "differences": self.differences,
        }


def compare(check: Observed, screen: Observed) -> dict[str, Any]:
    """What differs between the two paths for the same text ({} when they agree)."""
    diff: dict[str, Any] = {}
    if check.categories != screen.categories:
        diff["categories"] = {"check": list(check.categories), "screen": list(screen.categories)}
    if (check.goods, check.scope) != (screen.goods, screen.scope):
        diff["scope"] = {"check": check.scope or check.goods, "screen": screen.scope or screen.goods}
    if check.verdicts != screen.verdicts:
        diff["verdicts"] = {"check": check.verdicts, "screen": screen.verdicts}
    return diff


def evaluate_corpus(cases: Sequence[Case], pack: Any) -> CorpusEvaluation:
    """Every case through ``check_request`` (full request) and ``screen_rows`` (row fields only)."""
    from nami_cli.api import check_request

    check = PathScores("check")
    screen = PathScores("screen")
    differences: list[dict[str, Any]] = []
    row_requests = [case.row_request() for case in cases]
    screened = screen_requests(row_requests, pack)
    for case, row_request, by_row in zip(cases, row_requests, screened, strict=True):
        try:
            full = observe_check(check_request(case.request(), pack, lang=case.lang, name=case.id))
            same_fields = (
                full
                if case.kind == "row"
                else observe_check(check_request(row_request, pack, lang=case.lang, name=case.id))
            )
        except NamiError as exc:
            raise NamiError([Problem(f"case {case.id}: {p}") for p in exc.problems]) from None
        check.add(case, full, check_strategies=True)
        # Strategy expectations hold for what the buyer wrote; a row carries all of it, a request not.
        screen.add(case, by_row, check_strategies=case.kind == "row")
        diff = compare(same_fields, by_row)
        if diff:
            differences.append({"case": case.id, **diff})
    return CorpusEvaluation(
        cases=len(cases),
        by_lang=Counter(c.lang for c in cases),
        by_kind=Counter(c.kind for c in cases),
        check=check,
        screen=screen,
        differences=differences,
    )


# ----------------------------------------------------------------------------------------- spend files


class FileLabels(_Model):
    """How to read one spend file, and the label of each value of its classification columns."""

    map: list[str] = Field(description="--map FIELD=COLUMN arguments: the columns nami reads")
    label_columns: list[str] = Field(
        min_length=1, description="columns read for the label, first listed first"
    )
    labels: dict[str, dict[str, str]] = Field(
        description="per label column: its value -> category id, 'none' or 'unknown'"
    )

    @model_validator(mode="after")
    def _columns_labelled(self) -> FileLabels:
        missing = [c for c in self.label_columns if c not in self.labels]
        if missing:
            raise ValueError(f"no labels for column {', '.join(missing)}")
        extra = [c for c in self.labels if c not in self.label_columns]
        if extra:
            raise ValueError(f"labels for {', '.join(extra)}, which is not in label_columns")
        return self


class LabelMap(_Model):
    files: dict[str, FileLabels]


def load_labels(path: str | Path, known_categories: Iterable[str]) -> LabelMap:
    """Read the labelling map; every label must be a known category, 'none' or 'unknown'."""
    from nami_cli.load.validation import problems_from
    from nami_cli.load.yamlsafe import load

    doc = load(str(path), max_bytes=MAX_FILE_BYTES)
    try:
        labels = LabelMap.model_validate(doc.data)
    except ValidationError as exc:
        raise NamiError(problems_from(exc, doc, model=LabelMap)) from None
    allowed = {*known_categories, NONE, UNKNOWN}
    problems = [
        doc.problem(
            ("files", name, "labels", column, value),
            f"label {label!r} is not a category id, {NONE!r} or {UNKNOWN!r}",
        )
        for name, spec in labels.files.items()
        for column, values in spec.labels.items()
        for value, label in values.items()
        if label not in allowed
    ]
    if problems:
        raise NamiError(problems)
    return labels


@dataclass
class SpendCounts:
    """Row (or distinct text) counts behind precision, recall and false-positive advice."""

    goods: int = 0  # labelled with a category
    none: int = 0  # labelled no goods purchase
    unknown: int = 0
    errors: int = 0  # rows nami could not read
    with_primary: int = 0  # labelled rows to which nami gave a category
    primary_hits: int = 0
    with_any: int = 0
    any_hits: int = 0
    none_with_category: int = 0
    none_with_advice: int = 0
    goods_out_of_scope: int = 0  # labelled goods, but nami says no goods purchase (with a scope)
    none_scopes: Counter[str] = field(default_factory=Counter)  # scope ids nami gives to none rows

    def add(self, label: str, got: Observed) -> None:
        if label == UNKNOWN:
            self.unknown += 1
            return
        if label == NONE:
            self.none += 1
            self.none_with_category += bool(got.categories)
            self.none_with_advice += bool(got.opportunities)
            if got.scope:
                self.none_scopes[got.scope] += 1
        else:
            self.goods += 1
            self.primary_hits += got.primary == label
            self.any_hits += label in got.categories
            self.goods_out_of_scope += bool(got.scope_known and not got.goods)
        self.with_primary += got.primary is not None
        self.with_any += bool(got.categories)

    def figures(self) -> dict[str, float | None]:
        return {
            "precision": _share(self.primary_hits, self.with_primary),
            "recall": _share(self.primary_hits, self.goods),
            "precision_any": _share(self.any_hits, self.with_any),
            "recall_any": _share(self.any_hits, self.goods),
            "no_goods_with_advice": _share(self.none_with_advice, self.none),
            "no_goods_with_category": _share(self.none_with_category, self.none),
        }

    def as_dict(self) -> dict[str, Any]:
        counts = {
            k: (dict(v.most_common()) if isinstance(v, Counter) else v) for k, v in self.__dict__.items()
        }
        return {**counts, **{k: _round(v) for k, v in self.figures().items()}}


@dataclass
class FileEvaluation:
    file: str
    rows: SpendCounts
    texts: SpendCounts
    unlabelled: dict[str, int]  # values found in no label column's map -> rows
    confusions: list[dict[str, Any]]

    def failures(
        self,
        min_precision: float | None,
        min_recall: float | None,
        max_fp_advice: float | None,
        *,
        per: str = "rows",
    ) -> list[str]:
        figures = (self.rows if per == "rows" else self.texts).figures()
        found: list[str] = []
        name = f"{Path(self.file).name} per {'row' if per == 'rows' else 'distinct text'}"
        for key, limit, low in (
            ("precision", min_precision, True),
            ("recall", min_recall, True),
            ("no_goods_with_advice", max_fp_advice, False),
        ):
            value = figures[key]
            if limit is None or value is None:
                continue
            if (value < limit) if low else (value > limit):
                found.append(
                    f"{name}: {key.replace('_', ' ')} {_pct(value)} {'<' if low else '>'} {_pct(limit)}"
                )
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows.as_dict(),
            "distinct_texts": self.texts.as_dict(),
            "unlabelled_values": self.unlabelled,
            "confusions": self.confusions,
        }


@dataclass
class SpendEvaluation:
    files: list[FileEvaluation]

    def failures(
        self,
        min_precision: float | None,
        min_recall: float | None,
        max_fp_advice: float | None,
        *,
        per: str = "rows",
    ) -> list[str]:
        return [f for e in self.files for f in e.failures(min_precision, min_recall, max_fp_advice, per=per)]

    def as_dict(self) -> dict[str, Any]:
        return {"files": [f.as_dict() for f in self.files]}


def spend_files(path: Path, labels: LabelMap) -> list[Path]:
    """The files to evaluate: ``path`` (listed in the map), or the map's files found in the folder."""
    if path.is_dir():
        found = [path / name for name in labels.files if (path / name).is_file()]
        if not found:
            raise NamiError(
                Problem(
                    f"none of the labelled files ({', '.join(labels.files)}) is in this folder",
                    file=str(path),
                )
            )
        return found
    if not path.is_file():
        raise NamiError(Problem("no such file or folder", file=str(path)))
    if path.name not in labels.files:
        raise NamiError(
            Problem(
                f"the label map has no entry for {path.name!r}; it lists {', '.join(labels.files)}",
                file=str(path),
            )
        )
    return [path]


def _label(spec: FileLabels, values: Sequence[str]) -> str | None:
    """The label of a row from its label-column values: the first column whose value is mapped."""
    for column, value in zip(spec.label_columns, values, strict=True):
        label = spec.labels[column].get(value.strip())
        if label is not None:
            return label
    return None


def evaluate_spend_file(path: Path, spec: FileLabels, pack: Any) -> FileEvaluation:
    from nami_cli.assess.screening import Screener, screen_source
    from nami_cli.lists.columns import map_columns
    from nami_cli.lists.readers import open_list

    rows = SpendCounts()
    per_text: dict[tuple[str, ...], tuple[Counter[str], list[Observed]]] = {}
    unlabelled: Counter[str] = Counter()
    confusions: dict[tuple[str, str], list[Any]] = {}
    with open_list(str(path)) as source:
        headers = list(source.headers)
        missing = [c for c in spec.label_columns if c not in headers]
        if missing:
            raise NamiError(
                Problem(f"no column {', '.join(map(repr, missing))} to label from", file=str(path))
            )
        label_at = [headers.index(c) for c in spec.label_columns]
        cmap = map_columns(source.headers, list(spec.map), file=str(path))
        text_at = [i for f in ("description", "category") for i in cmap.fields.get(f, ())]
        for _row, cells, outcome, _amount, _error, _text, _total in screen_source(
            source, cmap, Screener(pack)
        ):
            values = [cells[i] if i < len(cells) else "" for i in label_at]
            label = _label(spec, values)
            if label is None:
                unlabelled[" | ".join(values)] += 1
                label = UNKNOWN
            if outcome is None:
                rows.errors += 1
                continue
            got = observe_screen(outcome)
            rows.add(label, got)
            key = tuple(cells[i].strip() if i < len(cells) else "" for i in text_at)
            slot = per_text.setdefault(key, (Counter(), []))
            slot[0][label] += 1
            if not slot[1] or (got.opportunities and not slot[1][0].opportunities):
                slot[1][:] = [got]  # a text counts as advised when any of its rows is
            if label != UNKNOWN and (got.primary or NONE) != label:
                conf = confusions.setdefault((label, got.primary or NONE), [0, Counter()])
                conf[0] += 1
                conf[1][" / ".join(key)] += 1
    texts = SpendCounts()
    for labels_seen, observed in per_text.values():
        texts.add(labels_seen.most_common(1)[0][0], observed[0])
    return FileEvaluation(
        file=str(path),
        rows=rows,
        texts=texts,
        unlabelled=dict(unlabelled.most_common()),
        confusions=[
            {
                "label": label,
                "got": got,
                "rows": n,
                "texts": [t for t, _ in examples.most_common(3)],
            }
            for (label, got), (n, examples) in sorted(confusions.items(), key=lambda kv: -kv[1][0])
        ],
    )


def evaluate_spend(path: str | Path, labels: LabelMap, pack: Any) -> SpendEvaluation:
    return SpendEvaluation(
        [evaluate_spend_file(f, labels.files[f.name], pack) for f in spend_files(Path(path), labels)]
    )


# ------------------------------------------------------------------------------------------- reports


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def corpus_text(evaluation: CorpusEvaluation, *, show: int = 40) -> str:
    """The corpus figures as plain text."""
    out = io.StringIO()
    w = out.write
    langs = ", ".join(f"{k} {v}" for k, v in sorted(evaluation.by_lang.items()))
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(evaluation.by_kind.items()))
    w(f"corpus: {evaluation.cases} cases ({langs}; {kinds})\n")
    for path in (evaluation.check, evaluation.screen):
        title = "nami check (request path)" if path.name == "check" else "nami screen (row path)"
        w(f"\n== {title}\n")
        micro, (macro_p, macro_r) = path.primary.micro, path.primary.macro()
        every = path.every.micro
        w(
            f"primary category: precision {_pct(micro.precision)}, recall {_pct(micro.recall)} (micro); "
            f"{_pct(macro_p)}, {_pct(macro_r)} (macro)\n"
        )
        w(f"all categories:   precision {_pct(every.precision)}, recall {_pct(every.recall)} (micro)\n")
        groups = "; ".join(
            f"{g} {_pct(s.micro.precision)}, {_pct(s.micro.recall)}" for g, s in sorted(path.by_group.items())
        )
        w(f"primary by group: {groups}\n")
        w(f"goods / no goods: {_pct(_share(path.goods_right, path.cases))} right\n")
        w(
            f"false-positive advice: {_pct(path.fp_advice_rate)} "
            f"({len(path.no_goods_with_advice)} of {path.no_goods} no-goods cases get an opportunity)\n"
        )
        if path.scope_known:
            w(
                f"scope: {_pct(_share(path.scope_right, path.scope_expected))} "
                f"of {path.scope_expected} right\n"
            )
            for (want, have), ids in sorted(
                path.scope_confusions.items(), key=lambda kv: (-len(kv[1]), kv[0])
            )[:show]:
                w(f"  scope {want} -> {have} ({len(ids)}): {', '.join(ids)}\n")
        else:
            w("scope: not given by this engine (goods = has a category)\n")
        w(f"\n{'category':<26}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>9}\n")
        for cat, t in sorted(path.primary.per_category.items()):
            w(f"{cat:<26}{t.tp:>5}{t.fp:>5}{t.fn:>5}{_pct(t.precision):>11}{_pct(t.recall):>9}\n")
        if path.confusions:
            w("\nconfusions (expected -> got: cases)\n")
            for (want, have), ids in sorted(path.confusions.items(), key=lambda kv: (-len(kv[1]), kv[0]))[
                :show
            ]:
                w(f"  {want} -> {have} ({len(ids)}): {', '.join(ids)}\n")
        if path.strategy_failures:
            w(f"\nstrategy expectations not met: {len(path.strategy_failures)}\n")
            for f in path.strategy_failures[:show]:
                w(f"  {f['case']}: {f['strategy']} expected {f['expected']}, got {f['got']}\n")
        else:
            w("\nstrategy expectations: all met\n")
    w(f"\n== check vs screen (same fields): {len(evaluation.differences)} cases differ\n")
    for diff in evaluation.differences[:show]:
        parts = [f"{k}: check {v['check']} / screen {v['screen']}" for k, v in diff.items() if k != "case"]
        w(f"  {diff['case']}: {'; '.join(parts)}\n")
    return out.getvalue()


def spend_text(evaluation: SpendEvaluation, *, show: int = 8) -> str:
    """The spend-file figures as plain text."""
    out = io.StringIO()
    w = out.write
    for item in evaluation.files:
        w(f"== {Path(item.file).name}\n")
        for name, counts in (("per row", item.rows), ("per distinct text", item.texts)):
            f = counts.figures()
            w(
                f"{name:<18} labelled goods {counts.goods}, none {counts.none}, unknown {counts.unknown}"
                + (f", unreadable {counts.errors}" if counts.errors else "")
                + "\n"
            )
            w(
                f"{'':<18} precision {_pct(f['precision'])}, recall {_pct(f['recall'])} (primary); "
                f"{_pct(f['precision_any'])}, {_pct(f['recall_any'])} (any category)\n"
            )
            w(
                f"{'':<18} no goods with advice {_pct(f['no_goods_with_advice'])} "
                f"({counts.none_with_advice} of {counts.none}); with a category "
                f"{_pct(f['no_goods_with_category'])}\n"
            )
        if item.rows.none_scopes:
            scopes = ", ".join(f"{k} {v}" for k, v in item.rows.none_scopes.most_common())
            w(f"scope of the rows labelled none: {scopes}\n")
        if item.rows.goods_out_of_scope:
            w(f"rows labelled goods that nami puts out of scope: {item.rows.goods_out_of_scope}\n")
        if item.unlabelled:
            w(f"values missing from the label map: {', '.join(list(item.unlabelled)[:show])}\n")
        if item.confusions:
            w("confusions (label -> got: rows, texts)\n")
            for c in item.confusions[:show]:
                w(f"  {c['label']} -> {c['got']} ({c['rows']}): {'; '.join(c['texts'])}\n")
        w("\n")
    return out.getvalue()
