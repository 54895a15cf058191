"""``nami screen LIST --report report.html``: one self-contained HTML summary page of a screened list.

The page shows the rows and the spend screened, the spend per advice as a bar chart, the spend per
category, the obstacles matrix as a heatmap of counts, the rules hit most and the rows with the largest
spend per strategy (with their spreadsheet row numbers). Charts are inline SVG with their numbers printed
beside them; no JavaScript, no external resources; every text from the input is escaped.

The screen command hands over two plain dicts (JSON-able; amounts in EUR as floats, counts as ints).
Keys marked *optional* may be left out; the section they feed is then left out or shown empty.

``summary``::

    {
      "file": "spend.csv",                      # optional; the input file as given
      "rows_read": 1200,                        # data rows read (header not counted)
      "rows_screened": 1195,                    # rows assessed
      "rows_with_errors": 5,                    # optional; rows that could not be read
      "rows_classified": 1010,                  # optional; rows with a category
      "spend_total": 2345678.9,                 # sum of the amounts read; the shares are of this
      "spend_per_advice": {"refuse": 1.0, "rethink": 2.0, "reduce": 3.0, "none": 4.0,
                           "error": 0.0},       # "error" optional; a bar only when not zero
      "rows_per_advice": {"refuse": 10, "rethink": 20, "reduce": 30, "none": 40, "error": 0},  # optional
      "spend_per_category": {                   # optional; key None, "" or "unclassified" = not classified
        "office-supplies": {"title": "Kantoorartikelen", "rows": 120, "spend": 45678.0},
      },
      "top_rules": [                            # optional; in the order to show; the first 15 are shown
        {"id": "refuse-promo", "title": "Relatiegeschenk", "strategy": "refuse", "rows": 12, "spend": 3456.0},
      ],
      "matrix": [                               # optional; cells left out count 0; obstacles with
                                                # count 0 are not listed
        {"dimension": "economic", "level": "system", "count": 40,       # rows with an obstacle in the cell
         "obstacles": [{"id": "annual-budget", "title": "Jaarbudget", "count": 40}]},
      ],
      "rules": {"name": "nami-core", "version": "2026.1"},
      "generated": "2026-11-28",                # the run date (nami_cli.assess.document.run_date())
      "lang": "nl",                             # optional; used only when no options are given
    }

``top_rows`` (per strategy, largest amount first; a strategy may be missing or empty)::

    {
      "refuse": [{"row": 17, "description": "500 pennen met logo", "category": "Relatiegeschenken",
                  "amount": 1050.0, "rules": ["refuse-promo"]}],
      "rethink": [...],
      "reduce": [...],
    }

``row`` is the spreadsheet row number (the header is row 1); ``category`` is the text to show (a title
or id, or None); ``amount`` may be None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nami_cli.base.vocab import (
    DIMENSION_LABEL,
    DIMENSIONS,
    LEVEL_LABEL,
    LEVELS,
    STRATEGIES,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
)
from nami_cli.render.jinja import environment
from nami_cli.render.number_format import money, number, percent
from nami_cli.render.words import DISCLAIMER, WORDS

if TYPE_CHECKING:
    from nami_cli.render import RenderOptions

ADVICE_KEYS: tuple[str, ...] = (*STRATEGIES, "none")
UNCLASSIFIED: tuple[str | None, ...] = (None, "", "unclassified")  # keys of spend_per_category
TOP_RULES = 15  # rules shown at most


def _float(value: Any) -> float:
    try:
        result = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


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


def screen_view(
    summary: Mapping[str, Any], top_rows: Mapping[str, Sequence[Mapping[str, Any]]], lang: str
) -> dict[str, Any]:
    """The context of the screen template, in ``lang``."""
    w = WORDS[lang]
    total = _float(summary.get("spend_total"))

    def whole(value: Any) -> str:
        return number(int(value or 0), lang, 0)

    figures = [
        (w["rows_read"], whole(summary.get("rows_read"))),
        (w["rows_screened"], whole(summary.get("rows_screened"))),
    ]
    if summary.get("rows_with_errors") is not None:
        figures.append((w["rows_with_errors"], whole(summary["rows_with_errors"])))
    if summary.get("rows_classified") is not None:
        figures.append((w["rows_classified"], whole(summary["rows_classified"])))
    figures.append((w["spend_total"], money(total, lang, 0)))

    per_advice = summary.get("spend_per_advice") or {}
    rows_per_advice = summary.get("rows_per_advice") or {}
    keys = list(ADVICE_KEYS)
    if _float(per_advice.get("error")) or int(rows_per_advice.get("error") or 0):
        keys.append("error")
    largest = max([_float(per_advice.get(k)) for k in keys] + [0.0])
    advice_bars = []
    for key in keys:
        spend = _float(per_advice.get(key))
        label = {"none": w["advice_none_label"], "error": w["advice_error_label"]}.get(key) or _strategy(
            key, lang
        )
        rows = rows_per_advice.get(key)
        advice_bars.append(
            {
                "key": key,
                "label": label,
                "sub": f"{whole(rows)} {w['one_row' if rows == 1 else 'rows']}" if rows is not None else "",
                "width": _bar_width(spend, largest),
                "spend": money(spend, lang, 0),
                "share": percent(spend, total, lang),
            }
        )

    categories = []
    per_category = summary.get("spend_per_category") or {}
    items = sorted(per_category.items(), key=lambda kv: -_float((kv[1] or {}).get("spend")))
    largest_cat = max([_float((v or {}).get("spend")) for _, v in items] + [0.0])
    for key, value in items:
        value = value or {}
        spend = _float(value.get("spend"))
        title = value.get("title") or ("" if key in UNCLASSIFIED else key) or w["unclassified"]
        categories.append(
            {
                "label": title,
                "id": key if key not in UNCLASSIFIED and key != title else "",
                "sub": (
                    f"{whole(value.get('rows'))} {w['one_row' if value.get('rows') == 1 else 'rows']}"
                    if value.get("rows") is not None
                    else ""
                ),
                "width": _bar_width(spend, largest_cat),
                "spend": money(spend, lang, 0),
                "share": percent(spend, total, lang),
            }
        )

    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for cell in summary.get("matrix") or []:
        obstacles = [
            {"title": ob.get("title") or ob.get("id", ""), "count": whole(ob.get("count"))}
            for ob in cell.get("obstacles") or []
            if ob.get("count") is None or int(ob["count"]) > 0
        ]
        count = cell.get("count")
        if count is None:
            count = sum(int(ob.get("count") or 0) for ob in cell.get("obstacles") or [])
        cells[(cell.get("dimension", ""), cell.get("level", ""))] = {
            "count": int(count),
            "obstacles": obstacles,
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
            "id": rule.get("id", ""),
            "title": rule.get("title", ""),
            "strategy": STRATEGY_LABEL.get(str(rule.get("strategy")), {}).get(lang, ""),
            "rows": whole(rule.get("rows")),
            "spend": money(_float(rule.get("spend")), lang, 0),
            "share": percent(_float(rule.get("spend")), total, lang),
        }
        for rule in list(summary.get("top_rules") or [])[:TOP_RULES]
    ]

    strategies = []
    for key in STRATEGIES:
        rows = [
            {
                "row": str(r.get("row", "")),
                "description": r.get("description") or "",
                "category": r.get("category") or "",
                "amount": money(r.get("amount"), lang) if r.get("amount") is not None else "",
                "rules": ", ".join(str(x) for x in r.get("rules") or []),
            }
            for r in top_rows.get(key) or []
        ]
        strategies.append({"key": key, "label": _strategy(key, lang), "rows": rows})

    rules = summary.get("rules") or {}
    return {
        "lang": lang,
        "w": w,
        "file": summary.get("file") or "",
        "figures": figures,
        "advice_bars": advice_bars,
        "categories": categories,
        "has_categories": "spend_per_category" in summary,
        "heatmap": heatmap,
        "has_matrix": "matrix" in summary,
        "top_rules": top_rules,
        "has_top_rules": "top_rules" in summary,
        "strategies": strategies,
        "rules": f"{rules.get('name', '')} {rules.get('version', '')}".strip(),
        "generated": summary.get("generated") or "",
        "disclaimer": DISCLAIMER[lang],
    }


def render_screen_report(
    summary: Mapping[str, Any],
    top_rows: Mapping[str, Sequence[Mapping[str, Any]]],
    options: RenderOptions | None = None,
) -> str:
    """The HTML summary page of a screened list; the dict shapes are in the module docstring."""
    lang = options.lang if options is not None else str(summary.get("lang") or "nl")
    lang = lang if lang in WORDS else "nl"
    return environment("html").get_template("screen.html").render(screen_view(summary, top_rows, lang))
