"""``--format html``: the NAMI justification ("NAMI-onderbouwing") as one self-contained HTML file.

One file, no external resources, no JavaScript: inline CSS that prints on A4 and reads on a phone. Every
text that comes from an input file (request, answers, rule pack) is escaped by Jinja2's autoescaping.

This module also holds what the report renderers share: the words of the reports in Dutch and English,
the number formats, the Jinja2 environments (:func:`environment`) and the view of one assessed request
(:func:`request_view`) that both the HTML and the Markdown template render.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nami_cli.base.safetext import visible, visible_line
from nami_cli.base.vocab import (
    ANSWER_MEANING,
    DECISION_LABEL,
    DIMENSION_LABEL,
    DIMENSIONS,
    LEVEL_LABEL,
    LEVELS,
    STRATEGIES,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
    VERDICT_LABEL,
)
from nami_cli.i18n import t, words
from nami_cli.render.number_format import money, number, percent
from nami_cli.render.sources import Bibliography, finding_sources

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from nami_cli.assess.result import Report, RequestResult
    from nami_cli.render import RenderOptions

TEMPLATES = Path(__file__).with_name("templates")

#: The sentence every report ends with (see domain/NAMI.md: the buyer decides).
DISCLAIMER = {lang: t("report.disclaimer", lang) for lang in ("nl", "en")}

WORDS: dict[str, dict[str, Any]] = words("html")

VERDICT_MARK = {"opportunity": "!", "open": "?", "justified": "✓"}


# --- numbers -------------------------------------------------------------------------------------


# --- markdown escaping ---------------------------------------------------------------------------

_MD_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break space of money()
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~$&])")
_MD_LIST_START = re.compile(r"(\d+)([.)])(?=\s|$)")


def md_escape(value: object) -> str:
    """Text safe inside a Markdown line or table cell: one line, specials backslash-escaped.

    CommonMark renders a backslash before ASCII punctuation as the character itself, so the reader sees
    the text as written; ``<script>`` stays text and ``|`` does not break a table. A leading ``#``, ``=``,
    ``+``, ``-`` or ``1.`` cannot start a heading or a list.
    """
    text = visible_line(_MD_SPACE.sub(" ", str(value)).strip(" "))  # ESC shows as \x1b
    text = _MD_INLINE.sub(r"\\\1", text)
    if text[:1] in ("#", "=", "+", "-"):
        text = "\\" + text
    return _MD_LIST_START.sub(r"\1\\\2", text, count=1) if _MD_LIST_START.match(text) else text


def css_string(value: object) -> Markup:
    """``value`` as a quoted CSS string that is safe in a ``<style>`` element: every character that is
    not a letter, digit, space or dot is written as a CSS hex escape (so no quote, backslash, ``<`` or
    ``&`` reaches the style sheet as itself)."""
    from markupsafe import Markup

    text = " ".join(str(value).split())
    out = "".join(c if c.isalnum() or c in " ." else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{out}"')


# --- Jinja2 --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def environment(kind: Literal["html", "markdown"]) -> jinja2.Environment:
    """The Jinja2 environment of the reports; imported here, not at start-up.

    ``html``: autoescaping on for every template. ``markdown``: every ``{{ value }}`` goes through
    :func:`md_escape` unless it is marked safe (a :class:`markupsafe.Markup`), so no template can forget.
    """
    import jinja2
    from markupsafe import Markup

    common: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(str(TEMPLATES)),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":

        def visible_text(value: object) -> object:  # control characters as \x1b, then HTML-escaped
            return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value

        env = jinja2.Environment(autoescape=True, finalize=visible_text, **common)
    else:

        def finalize(value: object) -> object:
            if value is None:
                return ""
            return value if isinstance(value, Markup) else md_escape(value)

        env = jinja2.Environment(autoescape=False, finalize=finalize, **common)
    env.globals.update(
        STRATEGIES=STRATEGIES,
        DIMENSIONS=DIMENSIONS,
        LEVELS=LEVELS,
        STRATEGY_LABEL=STRATEGY_LABEL,
        STRATEGY_RUNG=STRATEGY_RUNG,
        DIMENSION_LABEL=DIMENSION_LABEL,
        LEVEL_LABEL=LEVEL_LABEL,
        VERDICT_LABEL=VERDICT_LABEL,
        VERDICT_MARK=VERDICT_MARK,
        DECISION_LABEL=DECISION_LABEL,
    )
    env.filters.update(number=number, money=money, percent=percent, css_string=css_string)
    return env


# --- the view of a report ------------------------------------------------------------------------


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


def _matrix_cells(
    result: RequestResult, matrix: Mapping[str, Any] | None
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(dimension, level) -> obstacles shown in that cell; this request's are ``hit``."""
    own = {ob.id for ob in result.obstacles}
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {(d, lv): [] for d in DIMENSIONS for lv in LEVELS}
    shown: set[str] = set()
    if matrix is not None:
        for cell in matrix.get("cells", []):
            key = (cell["dimension"], cell["level"])
            for ob in cell.get("obstacles", []):
                if key in cells and ob["id"] not in shown:
                    cells[key].append({"id": ob["id"], "title": ob["title"], "hit": ob["id"] in own})
                    shown.add(ob["id"])
    for ob in result.obstacles:
        if ob.id not in shown:
            cells[(ob.dimension, ob.level)].append({"id": ob.id, "title": ob.title, "hit": True})
    return cells


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
    matrix: Mapping[str, Any] | None = None,
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
    cells = _matrix_cells(result, matrix)
    grid = [
        {
            "level": level,
            "label": LEVEL_LABEL[level][lang],
            "cells": [
                {
                    "dimension": dim,
                    "label": DIMENSION_LABEL[dim][lang],
                    "obstacles": cells[(dim, level)],
                    "hit": any(o["hit"] for o in cells[(dim, level)]),
                }
                for dim in DIMENSIONS
            ],
        }
        for level in LEVELS
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
    matrix: Mapping[str, Any] | None = None,
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


def render(report: Report, options: RenderOptions, matrix: Mapping[str, Any] | None = None) -> str:
    """The HTML justification of every request in ``report``.

    ``matrix`` (optional) is the document of ``nami matrix --format json``: with it, the obstacles matrix
    shows every obstacle of the pack and marks this request's; without it, it shows this request's only.
    """
    lang = options.lang if options.lang in WORDS else "nl"
    return (
        environment("html")
        .get_template("check.html")
        .render(report_view(report, lang, matrix if matrix is not None else options.matrix))
    )
