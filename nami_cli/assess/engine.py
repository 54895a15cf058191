"""The engine: a pure function from a request and a rule pack to a result. No printing, no I/O.

``nami check``, ``nami screen`` and the Python API all run these functions; screening only puts a
cache in front of them (see :mod:`nami_cli.assess.screening`). Layers, each usable on its own:

1. :func:`scan` and :func:`recognise` — the texts scanned once against the pack's keyword index; every
   category the text, CPV code or ``category`` field supports (with evidence and a score), the scope
   (is this a goods purchase at all?) and the signals in the free text;
2. :func:`build_facts` — what the conditions see: the fields, signal values where a field is empty,
   the derived fields, the categories;
3. :func:`fire` — the rules whose condition holds, with their evidence;
4. :func:`aggregate` and :func:`decide` — verdicts, advice and obstacles (the one place that owns them);
5. :func:`assess` — the full result of spec section 6 for ``nami check``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nami_cli.assess.decision import decision_result
from nami_cli.assess.result import (
    CategoryMatch,
    CategoryResult,
    EvidenceRef,
    Finding,
    InterventionResult,
    ObstacleResult,
    RequestInfo,
    RequestResult,
    ScopeResult,
    SignalResult,
    SourceResult,
    StrategyResult,
)
from nami_cli.assess.textmatch import TextHits
from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import QUESTION, STRATEGIES, Verdict
from nami_cli.load.request import Answer, Request
from nami_cli.load.yamlsafe import Document
from nami_cli.render.number_format import number
from nami_cli.rulepack.conditions import FIELD_PATHS, TEXT_FIELDS, CompiledKeywords, Evidence, Facts
from nami_cli.rulepack.pack import SIGNAL_FIELD_ALIASES, CompiledRule, Pack, sources_of

FIELD_WEIGHT = {"title": 2.0, "description": 1.0}
CPV_SCORE = 3.0  # a CPV code counts as much as a clear word in the title and a half
EXPLICIT_SCORE = 100.0  # the buyer's own category field


@dataclass(frozen=True)
class TextEvidence:
    """Words in a text field that support something; line and column inside that text (1-based)."""

    field: str
    line: int | None
    column: int | None
    words: str


@dataclass
class Found:
    """A category or scope entry the request supports, with its score and evidence."""

    id: str
    score: float = 0.0
    via: str = "title"  # category | cpv | title | description (the strongest evidence)
    matched: str | None = None
    evidence: list[TextEvidence] = field(default_factory=list)


@dataclass(frozen=True)
class SignalFound:
    id: str
    field: str
    phrase: str
    line: int
    column: int
    sets: dict[str, Any]


@dataclass
class Recognition:
    """What the texts, CPV code and category field of one request say."""

    categories: list[Found]  # primary first; empty when the request is out of scope
    scope: Found | None  # None: a goods purchase
    signals: list[SignalFound]
    category_ids: tuple[str, ...] = ()
    signal_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.category_ids = tuple(c.id for c in self.categories)
        self.signal_ids = frozenset(s.id for s in self.signals)


@dataclass(frozen=True)
class Hit:
    rule: CompiledRule
    evidence: Evidence


def scan(pack: Pack, title: str | None, description: str | None) -> dict[str, TextHits]:
    """Both text fields scanned once against the pack's one keyword index."""
    return {"title": pack.index.scan(title), "description": pack.index.scan(description)}


def _owner_hits(
    owners: dict[int, list[str]],
    keywords: dict[str, CompiledKeywords],
    texts: dict[str, TextHits],
    guards: dict[str, list[int]] | None = None,
) -> dict[str, list[tuple[str, Any]]]:
    """(field, hit) per owner (category, scope entry) of every keyword match in the texts, the best per
    word; a homonym's ``unless`` word cancels it, an owner's guard cancels its matches in that field.

    Only the keywords found in the text are looked at, so the cost does not grow with the pack."""
    out: dict[str, list[tuple[str, Any]]] = {}
    for name in TEXT_FIELDS:
        hits = texts.get(name)
        if hits is None or not hits.hits:
            continue
        found = hits.hits
        best: dict[str, dict[int, Any]] = {}
        guarded: dict[str, bool] = {}
        for kid, kid_hits in found.items():
            for owner in owners.get(kid, ()):
                if guards is not None:
                    stop = guarded.get(owner)
                    if stop is None:
                        stop = guarded[owner] = any(g in found for g in guards.get(owner, ()))
                    if stop:
                        continue
                unless = keywords[owner].unless.get(kid)
                if unless and any(u in found for u in unless):
                    continue
                mine = best.setdefault(owner, {})
                for hit in kid_hits:
                    if hit.first not in mine or mine[hit.first].quality < hit.quality:
                        mine[hit.first] = hit
        for owner, mine in best.items():
            out.setdefault(owner, []).extend((name, mine[first]) for first in sorted(mine))
    return out


def _score(items: list[tuple[str, Any]], texts: dict[str, TextHits]) -> tuple[float, list[TextEvidence]]:
    score = 0.0
    evidence: list[TextEvidence] = []
    for name, hit in items:
        score += hit.quality * FIELD_WEIGHT[name]
        line, column = texts[name].line_col(hit)
        evidence.append(TextEvidence(name, line, column, texts[name].words_of(hit)))
    return score, evidence


def _drop_covered(found: dict[str, list[tuple[str, Any]]]) -> None:
    """A match inside a longer match of another item loses (``printer`` inside ``printer paper``)."""
    spans = [(cat, name, hit.first, hit.last) for cat, items in found.items() for name, hit in items]
    if len(spans) < 2:
        return
    for cat, items in found.items():
        items[:] = [
            (name, hit)
            for name, hit in items
            if not any(
                other != cat
                and f == name
                and a <= hit.first
                and hit.last <= b
                and b - a > hit.last - hit.first
                for other, f, a, b in spans
            )
        ]


def recognise(
    pack: Pack, *, category: str | None, cpv8: str | None, texts: dict[str, TextHits]
) -> Recognition:
    """Every category and scope entry the request supports, and its signals.

    The ``category`` field, when it names a category of the pack, decides alone (the buyer's choice).
    Otherwise every category with evidence is returned, primary first: the category of the longest
    matching CPV prefix, else the highest keyword score (title words count double; ties: pack order).
    A scope entry (no goods purchase) wins unless a category's evidence, after its guards, is stronger."""
    order = pack.category_order
    raw = _owner_hits(pack.category_owners, pack.category_keywords, texts, pack.category_guards)
    _drop_covered(raw)
    found: dict[str, Found] = {}
    for cat_id, items in raw.items():
        score, evidence = _score(items, texts)
        if score > 0:
            found[cat_id] = Found(cat_id, score, evidence[0].field, evidence[0].words, evidence)
    scopes: dict[str, Found] = {}
    for scope_id, items in _owner_hits(pack.scope_owners, pack.scope_keywords, texts).items():
        score, evidence = _score(items, texts)
        scopes[scope_id] = Found(scope_id, score, evidence[0].field, evidence[0].words, evidence)
    primary: str | None = None
    if cpv8:
        seen: set[str] = set()
        for prefix, kind, item in pack.cpv_prefixes:
            if kind in seen or not cpv8.startswith(prefix):
                continue
            seen.add(kind)  # the longest prefix of each kind
            table = found if kind == "category" else scopes
            entry = table.setdefault(item, Found(item))
            entry.score += CPV_SCORE
            entry.via, entry.matched = "cpv", prefix
            entry.evidence.insert(0, TextEvidence("cpv", None, None, prefix))
            if kind == "category":
                primary = item
    if category is not None and category in pack.categories:
        # The buyer's own category field decides: it is the one category (no scope, no other category).
        entry = Found(
            category, EXPLICIT_SCORE, "category", category, [TextEvidence("category", None, None, category)]
        )
        return Recognition([entry], None, _signals(pack, texts))
    # Primary first; then the strongest; equal scores: pack order (a pack lists narrow categories first).
    ranked = sorted(found.values(), key=lambda f: (f.id != primary, -f.score, order[f.id]))
    signals = _signals(pack, texts)
    scope_order = {s: i for i, s in enumerate(pack.scope)}
    best_scope = min(scopes.values(), key=lambda f: (-f.score, scope_order[f.id]), default=None)
    if best_scope is not None:
        strongest = max((f.score for f in ranked), default=0.0)
        if strongest <= best_scope.score:
            return Recognition([], best_scope, signals)
    return Recognition(ranked, None, signals)


def _signals(pack: Pack, texts: dict[str, TextHits]) -> list[SignalFound]:
    out: list[SignalFound] = []
    present = {o for hits in texts.values() for kid in hits.hits for o in pack.signal_owners.get(kid, ())}
    for signal_id, keywords in pack.signal_keywords.items():
        if signal_id not in present:
            continue
        for name in TEXT_FIELDS:
            hits = texts.get(name)
            if hits is None:
                continue
            kid = next(keywords.matches(hits), None)
            if kid is None:
                continue
            hit = min((hits.hits[k][0] for k in keywords.matches(hits)), key=lambda h: h.first)
            sets: dict[str, Any] = {}
            complete = True
            for target, value in pack.signals[signal_id].sets.items():
                if value == "{n}":
                    value = hit.number
                    complete = complete and value is not None
                sets[SIGNAL_FIELD_ALIASES.get(target, target)] = value
            if not complete:
                continue
            line, column = hits.line_col(hit)
            out.append(SignalFound(signal_id, name, hits.words_of(hit), line, column, sets))
            break
    return out


def request_values(request: Request) -> dict[str, Any]:
    """The fields of a request as the conditions name them (before signals and derived fields)."""
    values: dict[str, Any] = {
        "id": request.id,
        "title": request.title,
        "description": request.description,
        "cpv": request.cpv8,
        "quantity": request.quantity,
        "unit": request.unit,
        "unit_price": request.unit_price,
        "value": request.estimated_value,
        "reason": request.reason,
        "requester": request.requester,
        "needed_by": request.needed_by.isoformat() if request.needed_by else None,
    }
    if request.replaces is not None:
        values["replaces.age_years"] = request.replaces.age_years
        values["replaces.condition"] = request.replaces.condition
        values["replaces.trigger"] = request.replaces.trigger
    if request.usage is not None:
        values["usage.stock"] = request.usage.stock
        values["usage.annual_use"] = request.usage.annual_use
        values["usage.users"] = request.usage.users
    return values


def build_facts(
    values: dict[str, Any],
    recognition: Recognition,
    texts: dict[str, TextHits],
    *,
    open_fields: frozenset[str] | None = None,
) -> Facts:
    """What the conditions see: the fields (a structured field takes precedence over a signal that would
    set it), the derived fields, the categories, the texts and the signals."""
    for signal in recognition.signals:
        for name, value in signal.sets.items():
            if values.get(name) is None:
                values[name] = value
    Facts.derive(values)
    cats = recognition.category_ids
    values["category"] = cats[0] if cats else None
    return Facts(values, cats, texts, recognition.signal_ids, open_fields)


def facts_for(request: Request, pack: Pack) -> Facts:
    """What the conditions see of a request."""
    return _prepare(request, pack)[0]


def _prepare(request: Request, pack: Pack) -> tuple[Facts, Recognition]:
    texts = scan(pack, request.title, request.description)
    recognition = recognise(pack, category=request.category, cpv8=request.cpv8, texts=texts)
    return build_facts(request_values(request), recognition, texts), recognition


def fire(pack: Pack, facts: Facts, recognition: Recognition | None = None) -> list[Hit]:
    """Every enabled rule whose condition holds, in pack order; none when out of scope."""
    if recognition is not None and recognition.scope is not None:
        return []
    hits: list[Hit] = []
    for rule in pack.rules:
        evidence = rule.rule.when.test(facts)
        if evidence is not None:
            hits.append(Hit(rule, evidence))
    return hits


def decide(has_findings: bool, answer: Answer | None) -> Verdict:
    """The verdict of one strategy (spec section 5)."""
    if answer is not None and answer.answer == "no":
        return "opportunity"
    if answer is not None and answer.justified:
        return "justified"
    if has_findings:
        return "opportunity"
    return "open"


@dataclass(frozen=True)
class Aggregate:
    """Verdicts, advice and obstacles of a set of fired rules (shared by check and screen)."""

    verdicts: tuple[Verdict, ...]  # in STRATEGIES order
    advice: str | None
    strategies: frozenset[str]  # strategies with findings
    obstacles: tuple[tuple[str, tuple[str, ...]], ...]  # (obstacle id, rules that signalled it)


def aggregate(
    fired: Sequence[CompiledRule], answer: Callable[[str], Answer | None] = lambda _: None
) -> Aggregate:
    """The one place that turns fired rules (and the buyer's answers) into verdicts and advice."""
    strategies = frozenset(r.rule.strategy for r in fired)
    verdicts = tuple(decide(s in strategies, answer(s)) for s in STRATEGIES)
    advice = next((s for s, v in zip(STRATEGIES, verdicts, strict=True) if v == "opportunity"), None)
    obstacles: dict[str, list[str]] = {}
    for rule in fired:
        for ob in rule.rule.obstacles:
            obstacles.setdefault(ob, []).append(rule.id)
    return Aggregate(verdicts, advice, strategies, tuple((k, tuple(v)) for k, v in obstacles.items()))


def format_value(value: Any, lang: str) -> str:
    """A value as a buyer reads it: whole numbers without decimals, Dutch separators in Dutch."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return number(value, lang)  # 1.500 / 1,500; 1,5 / 1.5: two decimals at most
    return "" if value is None else str(value)


def render_message(template: str, facts: Facts, lang: str) -> str:
    """Fill ``{field}`` placeholders (checked at load time) with the request's values."""
    if "{" not in template:
        return template
    import re

    return re.sub(r"\{([^{}]*)\}", lambda m: format_value(facts.get(m.group(1)), lang), template)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return value


def check_references(request: Request, pack: Pack, doc: Document | None, file: str | None) -> None:
    """The category and obstacle ids a request names must exist in the pack (exit 3 otherwise)."""
    problems: list[Problem] = []

    def problem(path: tuple[Any, ...], message: str) -> None:
        if doc is not None:
            problems.append(doc.problem(path, message))
        else:
            from nami_cli.load.yamlsafe import format_path

            problems.append(Problem(message, file=file, path=format_path(path)))

    if request.category is not None and request.category not in pack.categories:
        valid = ", ".join(pack.categories)
        problem(("category",), f"unknown category {request.category!r}; valid categories: {valid}")
    for i, obstacle in enumerate(request.obstacles):
        if obstacle not in pack.obstacles:
            problem(
                ("obstacles", i),
                f"unknown obstacle {obstacle!r}; `nami rules list --obstacles` lists the obstacle ids",
            )
    if problems:
        raise NamiError(problems)


def _in_file(
    doc: Document | None, name: str, line: int | None, column: int | None
) -> tuple[int | None, int | None]:
    """A position inside a text field as a position in the request file (when the file is known)."""
    if doc is None or line is None or column is None:
        return line, column
    start = doc.positions.get((name,))
    if start is None:
        return line, column
    if line == 1:
        return start[0], start[1] + column - 1
    return start[0] + line - 1, column


def _evidence_refs(items: list[TextEvidence], doc: Document | None) -> list[EvidenceRef]:
    refs = []
    for item in items:
        line, column = _in_file(doc, item.field, item.line, item.column)
        if item.line is None and doc is not None and (item.field,) in doc.positions:
            line, column = doc.positions[(item.field,)]
        refs.append(EvidenceRef(field=item.field, line=line, column=column, words=item.words))
    return refs


def assess(
    request: Request,
    pack: Pack,
    *,
    lang: str = "nl",
    file: str | None = None,
    doc: Document | None = None,
) -> RequestResult:
    """Assess one request against a pack: verdicts, findings, obstacles and interventions."""
    check_references(request, pack, doc, file)
    facts, recognition = _prepare(request, pack)
    hits = fire(pack, facts, recognition)
    fired = [h.rule for h in hits]
    summary = aggregate(fired, request.answer)
    by_strategy: dict[str, list[Hit]] = {s: [] for s in STRATEGIES}
    for hit in hits:
        by_strategy[hit.rule.rule.strategy].append(hit)
    primary = recognition.categories[0] if recognition.categories else None

    def locate(evidence: Evidence) -> tuple[int | None, int | None]:
        if doc is None:
            return None, None
        for name, _ in evidence:
            path: tuple[str, ...] = FIELD_PATHS.get(name, (name,))
            if name == "category" and primary is not None and primary.via in ("title", "description", "cpv"):
                path = (primary.via,)
            if name == "value" and request.estimated_value is None:
                path = ("quantity",)
            if name == "signal":
                continue
            if path in doc.positions:
                line, column = doc.positions[path]
                return line, column
        return None, None

    strategies: list[StrategyResult] = []
    for strategy, verdict in zip(STRATEGIES, summary.verdicts, strict=True):
        answer = request.answer(strategy)
        acknowledged = verdict == "justified"
        findings = []
        for hit in by_strategy[strategy]:
            line, column = locate(hit.evidence)
            rule = hit.rule.rule
            findings.append(
                Finding(
                    rule=hit.rule.id,
                    title=rule.title(lang),
                    message=render_message(rule.message(lang), facts, lang),
                    evidence={name: _json_value(value) for name, value in hit.evidence},
                    line=line,
                    column=column,
                    acknowledged=acknowledged,
                    rung=rule.effective_rung,
                    sources=[
                        SourceResult(title=s.title, year=s.year, url=s.url) for s in sources_of(rule.source)
                    ],
                )
            )
        strategies.append(
            StrategyResult(
                strategy=strategy,
                verdict=verdict,
                question=QUESTION[strategy][lang],
                answer=answer.answer if answer else None,
                justification=answer.justification if answer else None,
                findings=findings,
            )
        )

    obstacles, interventions = _obstacles_and_interventions(pack, request, facts, hits, summary, lang)
    category = None
    if primary is not None:
        cat = pack.categories[primary.id]
        category = CategoryResult(
            id=cat.id,
            title=cat.title(lang),
            via=primary.via,  # type: ignore[arg-type]
            matched=primary.matched,
        )
    info = RequestInfo(
        id=request.id,
        title=request.title,
        description=request.description,
        reason=request.reason,
        category=primary.id if primary else None,
        cpv=request.cpv,
        quantity=request.quantity,
        unit=request.unit,
        value=request.value,
        requester=request.requester,
        needed_by=request.needed_by.isoformat() if request.needed_by else None,
    )
    if recognition.scope is not None:
        entry = pack.scope[recognition.scope.id]
        scope = ScopeResult(
            goods=False,
            id=entry.id,
            title=entry.title(lang),
            reason=entry.reason(lang),
            evidence=_evidence_refs(recognition.scope.evidence, doc),
        )
    else:
        scope = ScopeResult(goods=True)
    signals = []
    for signal in recognition.signals:
        line, column = _in_file(doc, signal.field, signal.line, signal.column)
        applied = {k: v for k, v in signal.sets.items() if facts.get(k) == v}
        signals.append(
            SignalResult(
                id=signal.id,
                field=signal.field,
                phrase=signal.phrase,
                line=line,
                column=column,
                sets={k: _json_value(v) for k, v in signal.sets.items()},
                applied=bool(applied) or not signal.sets,
            )
        )
    return RequestResult(
        file=file,
        request=info,
        category=category,
        categories=[
            CategoryMatch(
                id=f.id,
                title=pack.categories[f.id].title(lang),
                score=round(f.score, 2),
                evidence=_evidence_refs(f.evidence, doc),
            )
            for f in recognition.categories
        ],
        scope=scope,
        signals=signals,
        advice=summary.advice,  # type: ignore[arg-type]
        strategies=strategies,
        obstacles=obstacles,
        interventions=interventions,
        decision=decision_result(request, strategies, lang, doc),
    )


def _obstacles_and_interventions(
    pack: Pack, request: Request, facts: Facts, hits: list[Hit], summary: Aggregate, lang: str
) -> tuple[list[ObstacleResult], list[InterventionResult]]:
    """The obstacles of the fired rules (less those the request disproves) and the buyer's own, and the
    interventions linked to those rules and obstacles, ranked."""
    obstacle_rules: dict[str, list[str]] = {}
    for ob_id, signalled_by in summary.obstacles:
        disproved = pack.obstacles[ob_id].disproved_by
        if disproved is not None and disproved.test(facts) is not None:
            continue
        obstacle_rules[ob_id] = list(signalled_by)
    for ob in request.obstacles:
        obstacle_rules.setdefault(ob, [])
    strategies_of_rule = {h.rule.id: h.rule.rule.strategy for h in hits}
    # Score: 3 per fired rule that names the intervention, 1 per listed obstacle it addresses whose
    # signalling rule has a strategy it serves (or that the buyer named).
    score: dict[str, float] = {}
    first_seen: dict[str, int] = {}

    def add(iv: str, points: float) -> None:
        first_seen.setdefault(iv, len(first_seen))
        score[iv] = score.get(iv, 0.0) + points

    for hit in hits:
        for iv in hit.rule.rule.interventions:
            add(iv, 3.0)
    obstacles = []
    for ob_id, rules in obstacle_rules.items():
        obstacle = pack.obstacles[ob_id]
        addressing = pack.interventions_for(ob_id)
        expected = ob_id in request.obstacles
        obstacles.append(
            ObstacleResult(
                id=obstacle.id,
                dimension=obstacle.dimension,
                level=obstacle.level,
                title=obstacle.title(lang),
                explanation=obstacle.explanation(lang),
                rules=rules,
                expected=expected,
                interventions=addressing,
            )
        )
        wanted = {strategies_of_rule[r] for r in rules}
        for iv in addressing:
            if expected or wanted & set(pack.interventions[iv].strategies):
                add(iv, 1.0)
    ranked = sorted(score, key=lambda iv: (-score[iv], first_seen[iv]))
    interventions = [
        InterventionResult(
            id=iv.id,
            rank=rank,
            title=iv.title(lang),
            description=iv.description(lang),
            first_step=iv.first_step(lang) if iv.first_step else None,
            strategies=iv.strategies,
            obstacles=[o for o in iv.obstacles if o in obstacle_rules],
            sources=[SourceResult(title=s.title, year=s.year, url=s.url) for s in sources_of(iv.source)],
        )
        for rank, iv in enumerate((pack.interventions[i] for i in ranked), start=1)
    ]
    return obstacles, interventions
