"""The rule pack as data for people and scripts: ``nami rules list`` and ``nami matrix`` (spec section 6)."""

from __future__ import annotations

from typing import Any

from nami_cli.base.vocab import DIMENSION_LABEL, DIMENSIONS, LEVEL_LABEL, LEVELS
from nami_cli.rulepack.pack import Pack, categories_in


def rules_list(pack: Pack, lang: str) -> dict[str, Any]:
    """``nami rules list --format json``."""
    return {
        "pack": {"name": pack.name, "version": pack.version, "packs": pack.packs},
        "rules": [
            {
                "id": r.id,
                "strategy": r.rule.strategy,
                "rung": r.rule.effective_rung,
                "title": r.rule.title(lang),
                "categories": categories_in(r.rule),
                "obstacles": r.rule.obstacles,
                "interventions": r.rule.interventions,
                "pack": r.pack,
            }
            for r in pack.rules
        ],
        "disabled": pack.disabled,
        "categories": [
            {
                "id": c.id,
                "title": c.title(lang),
                "cpv": c.cpv,
                "keywords": c.keywords.model_dump(mode="json"),
                "guards": c.guards.model_dump(mode="json") if c.guards else {"nl": [], "en": []},
            }
            for c in pack.categories.values()
        ],
        "scope": [
            {"id": s.id, "title": s.title(lang), "reason": s.reason(lang), "cpv": s.cpv}
            for s in pack.scope.values()
        ],
        "signals": [{"id": s.id, "sets": s.sets} for s in pack.signals.values()],
        "obstacles": [
            {
                "id": o.id,
                "dimension": o.dimension,
                "level": o.level,
                "title": o.title(lang),
                "interventions": pack.interventions_for(o.id),
            }
            for o in pack.obstacles.values()
        ],
        "interventions": [
            {
                "id": i.id,
                "title": i.title(lang),
                "strategies": i.strategies,
                "obstacles": i.obstacles,
            }
            for i in pack.interventions.values()
        ],
    }


def matrix(pack: Pack, lang: str) -> dict[str, Any]:
    """``nami matrix --format json``: all 12 cells, each with its obstacles."""
    cells = []
    for dimension in DIMENSIONS:
        for level in LEVELS:
            cells.append(
                {
                    "dimension": dimension,
                    "level": level,
                    "obstacles": [
                        {
                            "id": o.id,
                            "title": o.title(lang),
                            "interventions": pack.interventions_for(o.id),
                        }
                        for o in pack.obstacles.values()
                        if o.dimension == dimension and o.level == level
                    ],
                }
            )
    return {
        "pack": {"name": pack.name, "version": pack.version},
        "lang": lang,
        "dimensions": list(DIMENSIONS),
        "levels": list(LEVELS),
        "labels": {
            "dimensions": {d: DIMENSION_LABEL[d][lang] for d in DIMENSIONS},
            "levels": {lv: LEVEL_LABEL[lv][lang] for lv in LEVELS},
        },
        "cells": cells,
    }


def matrix_markdown(data: dict[str, Any]) -> str:
    """The matrix as a Markdown table: levels as rows, dimensions as columns."""
    dims, labels = data["dimensions"], data["labels"]
    lines = [
        "| | " + " | ".join(labels["dimensions"][d] for d in dims) + " |",
        "|---" * (len(dims) + 1) + "|",
    ]
    for level in data["levels"]:
        row = [f"**{labels['levels'][level]}**"]
        for dim in dims:
            cell = next(c for c in data["cells"] if c["dimension"] == dim and c["level"] == level)
            row.append("<br>".join(_md(o["title"]) for o in cell["obstacles"]) or "–")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
