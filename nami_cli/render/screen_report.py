"""``nami screen LIST --report report.html``: one self-contained HTML summary page of a screened list.

The page shows the rows and the spend screened, the spend per advice as a bar chart, the spend per
category, the obstacles matrix as a heatmap of counts, the rules hit most and the rows with the largest
spend per strategy (with their spreadsheet row numbers). Charts are inline SVG with their numbers printed
beside them; no JavaScript, no external resources; every text from the input is escaped.

It reads the :class:`~nami_cli.assess.summary.ScreenSummary` of the screen (``nami schema summary``);
amounts are shown in its ``currency``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from nami_cli.assess.summary import UNCLASSIFIED
from nami_cli.base.vocab import (
    ADVICE_KEYS,
    DIMENSION_LABEL,
    DIMENSIONS,
    LEVEL_LABEL,
    LEVELS,
    STRATEGIES,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
)
from nami_cli.i18n import t
from nami_cli.render.jinja import environment
from nami_cli.render.number_format import money, number, percent
from nami_cli.render.words import DISCLAIMER, WORDS

if TYPE_CHECKING:
    from nami_cli.assess.summary import ScreenSummary
    from nami_cli.render import RenderOptions

TOP_RULES = 15  # rules shown at most
TOTALS_WORDS = {lang: t("report.totals", lang) for lang in ("nl", "en")}


def _bar_width(value: float, largest: float) -> str:
    """The bar's length as an SVG percentage of the largest value (at least a sliver when not zero)."""
    if largest <= 0 or value <= 0:
        return "0"
    return f"{max(0.5, 100.0 * value / largest):.2f}%"


def _strategy(key: str, lang: str) -> str:
    return f"{STRATEGY_LABEL[key][lang]} ({STRATEGY_RUNG[key]})"


def _heat_class(count: float, largest: float) -> int:
    """0 (none) .. 4 (the largest count)."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / largest)))


def screen_view(summary: ScreenSummary, lang: str) -> dict[str, Any]:
    """The context of the screen template, in ``lang``."""
    w = WORDS[lang]
    total = summary.spend_total
    currency = summary.currency

    def whole(value: int) -> str:
        return number(value, lang, 0)

    def rows_text(rows: int) -> str:
        return f"{whole(rows)} {w['one_row' if rows == 1 else 'rows']}"

    def cash(value: float | None, decimals: int = 0) -> str:
        return money(value, lang, decimals, currency)

    figures = [
        (w["rows_read"], whole(summary.rows_read)),
        (w["rows_screened"], whole(summary.rows_screened)),
        (w["rows_with_errors"], whole(summary.rows_with_errors)),
        (w["rows_classified"], whole(summary.rows_classified)),
        (w["spend_total"], cash(total)),
    ]
    if summary.totals.rows:
        figures.append((TOTALS_WORDS[lang], f"{whole(summary.totals.rows)} · {cash(summary.totals.amount)}"))

    keys: list[str] = list(ADVICE_KEYS)
    if summary.spend_per_advice.error or summary.rows_per_advice.error:
        keys.append("error")
    spends = {key: float(getattr(summary.spend_per_advice, key)) for key in keys}
    largest = max([*spends.values(), 0.0])
    advice_bars = []
    for key in keys:
        spend = spends[key]
        label = {"none": w["advice_none_label"], "error": w["advice_error_label"]}.get(key) or _strategy(
            key, lang
        )
        advice_bars.append(
            {
                "key": key,
                "label": label,
                "sub": rows_text(getattr(summary.rows_per_advice, key)),
                "width": _bar_width(spend, largest),
                "spend": cash(spend),
                "share": percent(spend, total, lang),
            }
        )

    categories = []
    items = sorted(summary.spend_per_category.items(), key=lambda kv: -kv[1].spend)
    largest_cat = max([v.spend for _, v in items] + [0.0])
    for key, value in items:
        title = value.title or ("" if key == UNCLASSIFIED else key) or w["unclassified"]
        categories.append(
            {
                "label": title,
                "id": key if key != UNCLASSIFIED and key != title else "",
                "sub": rows_text(value.rows),
                "width": _bar_width(value.spend, largest_cat),
                "spend": cash(value.spend),
                "share": percent(value.spend, total, lang),
            }
        )

    cells: dict[tuple[str, str], dict[str, Any]] = {
        (cell.dimension, cell.level): {
            "count": cell.count,
            "obstacles": [
                {"title": ob.title or ob.id, "count": whole(ob.count)}
                for ob in cell.obstacles
                if ob.count > 0
            ],
        }
        for cell in summary.matrix
    }
    largest_cell = max([c["count"] for c in cells.values()] + [0])
    heatmap = []
    for level in LEVELS:
        row = []
        for dim in DIMENSIONS:
            cell = cells.get((dim, level), {"count": 0, "obstacles": []})
            row.append(
                {
                    "label": DIMENSION_LABEL[dim][lang],
                    "count": whole(cell["count"]),
                    "heat": _heat_class(cell["count"], largest_cell),
                    "obstacles": cell["obstacles"],
                }
            )
        heatmap.append({"label": LEVEL_LABEL[level][lang], "cells": row})

    top_rules = [
        {
            "id": rule.id,
            "title": rule.title,
            "strategy": STRATEGY_LABEL[rule.strategy][lang] if rule.strategy else "",
            "rows": whole(rule.rows),
            "spend": cash(rule.spend),
            "share": percent(rule.spend, total, lang),
        }
        for rule in summary.top_rules[:TOP_RULES]
    ]

    strategies = []
    for key in STRATEGIES:
        rows = [
            {
                "row": str(r.row),
                "description": r.description,
                "category": r.category,
                "amount": cash(r.amount, 2),
                "rules": ", ".join(r.rules),
            }
            for r in getattr(summary.top_rows, key)
        ]
        strategies.append({"key": key, "label": _strategy(key, lang), "rows": rows})

    return {
        "lang": lang,
        "w": w,
        "file": summary.file,
        "figures": figures,
        "advice_bars": advice_bars,
        "categories": categories,
        "has_categories": True,
        "heatmap": heatmap,
        "has_matrix": True,
        "top_rules": top_rules,
        "has_top_rules": True,
        "strategies": strategies,
        "rules": f"{summary.rules.name} {summary.rules.version}".strip(),
        "generated": summary.generated,
        "disclaimer": DISCLAIMER[lang],
    }


def render_screen_report(summary: ScreenSummary, options: RenderOptions | None = None) -> str:
    """The HTML summary page of a screened list (in ``options.lang``, else the summary's language)."""
    lang = options.lang if options is not None else summary.lang
    lang = lang if lang in WORDS else "nl"
    return environment("html").get_template("screen.html").render(screen_view(summary, lang))
