"""The engine: a pure function from a request and a rule pack to a result. No printing, no I/O.

Layers, each usable on its own (``nami screen`` uses the first three with a cache):

1. :func:`classify` — the category of a request, from its category field, CPV code or keywords;
2. :func:`fire` — the rules whose condition holds, with their evidence;
3. :func:`decide` — the verdict of one strategy (spec section 5), the one place that owns it;
4. :func:`assess` — the full result of spec section 6 for ``nami check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nami_cli.conditions import FIELD_PATHS, Evidence, Facts
from nami_cli.decision import decision_result
from nami_cli.errors import NamiError, Problem
from nami_cli.numfmt import number
from nami_cli.pack import CompiledRule, Pack
from nami_cli.request import Answer, Request
from nami_cli.result import (
    CategoryResult,
    Finding,
    InterventionResult,
    ObstacleResult,
    RequestInfo,
    RequestResult,
    StrategyResult,
)
from nami_cli.textmatch import TextIndex
from nami_cli.vocab import QUESTION, STRATEGIES, Verdict
from nami_cli.yamlsafe import Document


@dataclass(frozen=True)
class Classification:
    category: str | None
    via: str | None = None  # category | cpv | title | description
    matched: str | None = None


@dataclass(frozen=True)
class Hit:
    rule: CompiledRule
    evidence: Evidence


def classify(
    pack: Pack,
    *,
    category: str | None,
    cpv8: str | None,
    title: TextIndex,
    description: TextIndex,
) -> Classification:
    """Category from the category field, else the longest CPV prefix, else the most keyword hits."""
    if category:
        return Classification(category, "category", category)
    if cpv8:
        for prefix, cat in pack.cpv_prefixes:
            if cpv8.startswith(prefix):
                return Classification(cat, "cpv", prefix)
    # A hit counts 1 for a whole word (or its plural), 0.8 inside a compound, 0.6 for a word start;
    # hits in the title count double. Per word and category only the best hit counts.
    best_hit: dict[tuple[str, str, str], float] = {}
    first: dict[str, tuple[str, str]] = {}
    for name, text, weight in (("title", title, 2.0), ("description", description, 1.0)):
        if not text.tokens:
            continue
        for form, token in text.index.items():
            cats = pack.keyword_index.get(form)
            if not cats:
                continue
            quality = 1.0 if token.startswith(form) else 0.8
            for cat in cats:
                key = (name, token, cat)
                if best_hit.get(key, 0.0) < quality * weight:
                    best_hit[key] = quality * weight
                    first.setdefault(cat, (name, token))
        for cat, kws in pack.category_keywords.items():
            if kws.phrases or kws.prefixes:
                extra = kws.find(text, single=False)
                if extra is not None:
                    quality = 1.0 if " " in extra else 0.6
                    key = (name, extra, cat)
                    best_hit[key] = max(best_hit.get(key, 0.0), quality * weight)
                    first.setdefault(cat, (name, extra))
    scores: dict[str, float] = {}
    for (_, _, cat), score in best_hit.items():
        scores[cat] = scores.get(cat, 0.0) + score
    if not scores:
        return Classification(None)
    order = {cat: i for i, cat in enumerate(pack.categories)}
    best = min(scores, key=lambda c: (-scores[c], order[c]))
    via, word = first[best]
    return Classification(best, via, word)


def facts_for(request: Request, pack: Pack) -> Facts:
    """What the conditions see of a request, with its classification."""
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
    Facts.derive(values)
    facts = Facts(values)
    found = classify(
        pack,
        category=request.category,
        cpv8=request.cpv8,
        title=facts.text("title"),
        description=facts.text("description"),
    )
    facts.category = found.category
    facts.category_via = found.via
    facts.category_matched = found.matched
    facts.values["category"] = found.category
    return facts


def fire(pack: Pack, facts: Facts) -> list[Hit]:
    """Every enabled rule whose condition holds, in pack order."""
    hits: list[Hit] = []
    for rule in pack.rules:
        evidence = rule.condition.test(facts)
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
            from nami_cli.yamlsafe import format_path

            problems.append(Problem(message, file=file, path=format_path(path)))

    if request.category is not None and request.category not in pack.categories:
        valid = ", ".join(pack.categories)
        problem(("category",), f"unknown category {request.category!r}; valid categories: {valid}")
    for i, obstacle in enumerate(request.obstacles):
        if obstacle not in pack.obstacles:
            problem(("obstacles", i), f"unknown obstacle {obstacle!r}; `nami matrix` lists the obstacle ids")
    if problems:
        raise NamiError(problems)


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
    facts = facts_for(request, pack)
    hits = fire(pack, facts)
    by_strategy: dict[str, list[Hit]] = {s: [] for s in STRATEGIES}
    for hit in hits:
        by_strategy[hit.rule.rule.strategy].append(hit)

    def locate(evidence: Evidence) -> tuple[int | None, int | None]:
        if doc is None:
            return None, None
        for name, _ in evidence:
            path: tuple[str, ...] = FIELD_PATHS.get(name, (name,))
            if name == "category" and facts.category_via:
                path = (facts.category_via,)
            if name == "value" and request.estimated_value is None:
                path = ("quantity",)
            if path in doc.positions:
                line, column = doc.positions[path]
                return line, column
        return None, None

    strategies: list[StrategyResult] = []
    advice = None
    for strategy in STRATEGIES:
        answer = request.answer(strategy)
        verdict = decide(bool(by_strategy[strategy]), answer)
        acknowledged = verdict == "justified"
        findings = []
        for hit in by_strategy[strategy]:
            line, column = locate(hit.evidence)
            findings.append(
                Finding(
                    rule=hit.rule.id,
                    title=hit.rule.rule.title(lang),
                    message=render_message(hit.rule.rule.message(lang), facts, lang),
                    evidence={name: _json_value(value) for name, value in hit.evidence},
                    line=line,
                    column=column,
                    acknowledged=acknowledged,
                )
            )
        if verdict == "opportunity" and advice is None:
            advice = strategy
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

    obstacle_rules: dict[str, list[str]] = {}
    intervention_ids: list[str] = []
    for hit in hits:
        for ob in hit.rule.rule.obstacles:
            obstacle_rules.setdefault(ob, []).append(hit.rule.id)
        for iv in hit.rule.rule.interventions:
            if iv not in intervention_ids:
                intervention_ids.append(iv)
    for ob in request.obstacles:
        obstacle_rules.setdefault(ob, [])
    # Interventions: the fired rules' own first; then, for each obstacle none of those addresses (and
    # for every obstacle the buyer named), the interventions that address it.
    obstacles = []
    for ob_id, rules in obstacle_rules.items():
        obstacle = pack.obstacles[ob_id]
        addressing = pack.interventions_for(ob_id)
        obstacles.append(
            ObstacleResult(
                id=obstacle.id,
                dimension=obstacle.dimension,
                level=obstacle.level,
                title=obstacle.title(lang),
                explanation=obstacle.explanation(lang),
                rules=rules,
                expected=ob_id in request.obstacles,
                interventions=addressing,
            )
        )
        covered = any(iv in intervention_ids for iv in addressing)
        if not covered or ob_id in request.obstacles:
            for iv in addressing:
                if iv not in intervention_ids:
                    intervention_ids.append(iv)
    interventions = [
        InterventionResult(
            id=iv.id,
            title=iv.title(lang),
            description=iv.description(lang),
            first_step=iv.first_step(lang) if iv.first_step else None,
            strategies=iv.strategies,
            obstacles=[o for o in iv.obstacles if o in obstacle_rules],
        )
        for iv in (pack.interventions[i] for i in intervention_ids)
    ]
    category = None
    if facts.category is not None:
        cat = pack.categories[facts.category]
        category = CategoryResult(
            id=cat.id,
            title=cat.title(lang),
            via=facts.category_via or "category",  # type: ignore[arg-type]
            matched=facts.category_matched,
        )
    info = RequestInfo(
        id=request.id,
        title=request.title,
        description=request.description,
        reason=request.reason,
        category=facts.category,
        cpv=request.cpv,
        quantity=request.quantity,
        unit=request.unit,
        value=request.value,
        requester=request.requester,
        needed_by=request.needed_by.isoformat() if request.needed_by else None,
    )
    return RequestResult(
        file=file,
        request=info,
        category=category,
        advice=advice,
        strategies=strategies,
        obstacles=obstacles,
        interventions=interventions,
        decision=decision_result(request, strategies, lang, doc),
    )
