"""The rule pack as data for people and scripts: ``nami rules list`` (spec section 6).

The obstacles matrix (``nami matrix``) is :class:`nami_cli.render.matrix.ObstacleMatrix`.
"""

from __future__ import annotations

from typing import Any

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
