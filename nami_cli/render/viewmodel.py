"""The view of an assessed request and of a check report: what the HTML and the Markdown templates show.

:func:`report_view` and :func:`request_view` turn a :class:`~nami_cli.assess.result.Report` into plain
data in the report's language (numbers formatted, labels translated); the templates only lay it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nami_cli.base.vocab import (
    ANSWER_MEANING,
    DECISION_LABEL,
    DIMENSION_LABEL,
    LEVEL_LABEL,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
    VERDICT_LABEL,
)
from nami_cli.i18n import words
from nami_cli.render.jinja import VERDICT_MARK
from nami_cli.render.matrix import ObstacleMatrix
from nami_cli.render.number_format import money, number
from nami_cli.render.sources import Bibliography, finding_sources
from nami_cli.render.words import DISCLAIMER, WORDS

if TYPE_CHECKING:
    from nami_cli.assess.result import Report, RequestResult


def _scalar(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v, lang) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_scalar(v, lang)}" for k, v in value.items())
    return str(value)


#: how many interventions a report a person reads lists (the JSON result has them all)
MAX_INTERVENTIONS = 5


def shown_interventions(result: RequestResult) -> list[Any]:
    """The interventions a report lists: the first :data:`MAX_INTERVENTIONS` by rank (else in order)."""
    ranked = sorted(result.interventions, key=lambda iv: getattr(iv, "rank", 0) or 0)
    return ranked[:MAX_INTERVENTIONS]


def _where(file: str | None, line: int | None, column: int | None) -> str:
    if line is None:
        return ""
    return f"{file}:{line}:{column}" if file else f"{line}:{column}"


_SCOPE_WORDS = words("scope")


def category_summary(result: RequestResult, lang: str) -> str:
    """What the purchase was recognised as, in one line: the primary category (and how), the other
    categories the text supports, or why it is no goods purchase (then nami gives no advice)."""
    w = _SCOPE_WORDS[lang]
    scope = result.scope
    if scope is not None and not scope.goods:
        label = f"{w['no_goods']} ({scope.title})" if scope.title else w["no_goods"]
        return f"{label}: {scope.reason}" if scope.reason else label
    if result.category is None:
        return result.request.category or w["not_recognised"]
    via = WORDS[lang]["via"][result.category.via]
    text = f"{result.category.title} ({result.category.id}; {via})"
    others = [c.title for c in result.categories if c.id != result.category.id]
    if others:
        text += f"; {w['also']}: {', '.join(others)}"
    return text


def request_view(
    result: RequestResult,
    lang: str,
    matrix: ObstacleMatrix | None = None,
    *,
    bibliography: Bibliography | None = None,
) -> dict[str, Any]:
    """Everything a template shows of one assessed request, as plain data in the report's language.

    Findings cite their sources by number in ``bibliography`` (one per document; a new one when None).
    """
    w = WORDS[lang]
    bib = bibliography if bibliography is not None else Bibliography()
    req = result.request
    category = category_summary(result, lang)
    quantity = None
    if req.quantity is not None:
        quantity = number(req.quantity, lang) + (f" {req.unit}" if req.unit else "")
    description = getattr(req, "description", None)
    brief = [
        (w["id"], req.id),
        (w["title"], req.title),
        (w["description"], description),
        (w["category"], category),
        (w["cpv"], req.cpv),
        (w["quantity"], quantity),
        (w["value"], f"{money(req.value, lang)} {w['excl_vat']}" if req.value is not None else None),
        (w["requester"], req.requester),
        (w["needed_by"], req.needed_by),
        (w["file"], result.file),
    ]
    iv_titles = {iv.id: iv.title for iv in result.interventions}
    ob_titles = {ob.id: ob.title for ob in result.obstacles}
    rule_titles = {f.rule: f.title for strat in result.strategies for f in strat.findings}
    questions = []
    for strat in result.strategies:
        questions.append(
            {
                "strategy": strat.strategy,
                "rung": STRATEGY_RUNG[strat.strategy],
                "label": STRATEGY_LABEL[strat.strategy][lang],
                "question": strat.question,
                "verdict": strat.verdict,
                "verdict_label": VERDICT_LABEL[strat.verdict][lang],
                "mark": VERDICT_MARK[strat.verdict],
                "answer": ANSWER_MEANING[strat.strategy][strat.answer][lang]
                if strat.answer
                else w["not_answered"],
                "answered": strat.answer is not None,
                "justification": strat.justification or "",
                "findings": [
                    {
                        "rule": f.rule,
                        "title": f.title,
                        "message": f.message,
                        "evidence": [(k, _scalar(v, lang)) for k, v in f.evidence.items()],
                        "where": _where(result.file, f.line, f.column),
                        "acknowledged": f.acknowledged,
                        "refs": [{"n": bib.cite(src), "year": src.year} for src in finding_sources(f)],
                    }
                    for f in strat.findings
                ],
            }
        )
    shown = matrix.marked(result.obstacles) if matrix is not None else None
    grid_of = shown if shown is not None else ObstacleMatrix.of_obstacles(result.obstacles, lang)
    grid = [
        {
            "level": level,
            "label": LEVEL_LABEL[level][lang],
            "cells": [
                {
                    "dimension": cell.dimension,
                    "label": DIMENSION_LABEL[cell.dimension][lang],
                    "obstacles": [{"id": o.id, "title": o.title, "hit": o.hit} for o in cell.obstacles],
                    "hit": cell.hit,
                }
                for cell in cells
            ],
        }
        for level, cells in grid_of.rows()
    ]
    obstacles = [
        {
            "id": ob.id,
            "title": ob.title,
            "cell": f"{DIMENSION_LABEL[ob.dimension][lang]} / {LEVEL_LABEL[ob.level][lang]}",
            "explanation": ob.explanation,
            "expected": ob.expected,
            "rules": [rule_titles.get(r, r) for r in ob.rules],
            "interventions": [iv_titles[i] for i in ob.interventions if i in iv_titles],
        }
        for ob in result.obstacles
    ]
    interventions = [
        {
            "id": iv.id,
            "title": iv.title,
            "description": iv.description,
            "first_step": iv.first_step or "",
            "strategies": [STRATEGY_LABEL[s][lang] for s in iv.strategies],
            "obstacles": [ob_titles[o] for o in iv.obstacles if o in ob_titles],
        }
        for iv in shown_interventions(result)
    ]
    advice = None
    if result.advice is not None:
        strat = result.strategy(result.advice)
        advice = {
            "strategy": result.advice,
            "label": w["advice_strategy"].format(label=STRATEGY_LABEL[result.advice][lang]),
            "question": strat.question,
        }
    heading = f"{req.id} · {req.title}" if req.id else req.title
    return {
        "heading": heading,
        "reference": req.id or req.title,
        "value": money(req.value, lang) if req.value is not None else None,
        "open": [STRATEGY_LABEL[s][lang] for s in result.open_questions],
        "decision": _decision_view(result, lang),
        "brief": [(label, value) for label, value in brief if value not in (None, "")],
        "advice": advice,
        "questions": questions,
        "grid": grid,
        "matrix_full": matrix is not None,
        "obstacles": obstacles,
        "interventions": interventions,
        "more_interventions": len(result.interventions) - len(interventions),
    }


def _decision_view(result: RequestResult, lang: str) -> dict[str, Any] | None:
    decision = result.decision
    if decision is None:
        return None
    quantity = None
    if decision.quantity is not None:
        unit = result.request.unit
        quantity = number(decision.quantity, lang) + (f" {unit}" if unit else "")
    by = decision.decided_by
    return {
        "chosen": decision.chosen,
        "label": DECISION_LABEL[decision.chosen][lang],
        "quantity": quantity,
        "form": decision.form or "",
        "name": by.name if by else "",
        "role": (by.role or "") if by else "",
        "date": decision.date or "",
        "reasoning": decision.reasoning or "",
        "where": _where(result.file, decision.line, decision.column),
        "warnings": [w.message for w in decision.warnings],
    }


def gfm_slug(text: str, seen: dict[str, int]) -> str:
    """The anchor GitHub, GitLab and most Markdown viewers give a heading (``seen``: slugs so far)."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _totals(report: Report, lang: str) -> dict[str, Any]:
    """The overview's totals: requests and value per advice and per decision (from the JSON summary)."""
    w = WORDS[lang]
    summary = report.summary

    def row(label: str, total: Any) -> dict[str, Any]:
        return {
            "label": label,
            "requests": total.requests,
            "value": money(total.value, lang),
            "without_value": total.without_value,
        }

    advice = [
        row(
            w["advice_strategy"].format(label=STRATEGY_LABEL[k][lang])
            if k != "none"
            else w["advice_none_label"],
            t,
        )
        for k, t in summary.by_advice.items()
        if t.requests
    ]
    decisions = [
        row(DECISION_LABEL[k][lang] if k != "undecided" else w["undecided"], t)
        for k, t in summary.by_decision.items()
        if t.requests
    ]
    return {"total": row(w["total"], summary.total), "advice": advice, "decision": decisions}


def report_view(
    report: Report,
    lang: str,
    matrix: ObstacleMatrix | None = None,
) -> dict[str, Any]:
    """The context of the check templates (HTML and Markdown)."""
    packs: Sequence[Any] = report.rules.packs
    extra = [f"{p.name} {p.version}" for p in packs[1:]]
    bibliography = Bibliography()
    results = [request_view(r, lang, matrix, bibliography=bibliography) for r in report.results]
    seen: dict[str, int] = {}
    if len(results) > 1:
        gfm_slug(WORDS[lang]["check_title"], seen)
        gfm_slug(WORDS[lang]["contents"], seen)
    for r in results:
        r["slug"] = gfm_slug(r["heading"], seen)
    if len(results) == 1:
        doc_title = f"{WORDS[lang]['check_title']} — {results[0]['heading']}"
    else:
        doc_title = WORDS[lang]["check_title"]
    return {
        "sources": [
            {
                "n": i,
                "title": src.title,
                "year": src.year,
                "url": src.url,
                # the year once: a legacy source text often names it already
                "show_year": src.year is None or str(src.year) not in src.title,
            }
            for i, src in enumerate(bibliography.sources, start=1)
        ],
        "totals": _totals(report, lang),
        "doc_foot": f"{WORDS[lang]['check_title']} · {report.generated or ''}",
        "lang": lang,
        "w": WORDS[lang],
        "doc_title": doc_title,
        "results": results,
        "rules": f"{report.rules.name} {report.rules.version}",
        "extra_packs": extra,
        "tool": f"{report.tool.name} {report.tool.version}",
        "generated": report.generated or "",
        "disclaimer": DISCLAIMER[lang],
    }
