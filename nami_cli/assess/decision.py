"""The buyer's decision in the result: copied from the request file, checked against the verdicts.

A decision that contradicts the verdicts is the buyer's right (nami advises, the buyer decides), so it is
never refused: each contradiction becomes a :class:`~nami_cli.assess.result.DecisionWarning` that every report
shows next to the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nami_cli.assess.result import DecidedBy, DecisionResult, DecisionWarning
from nami_cli.base.vocab import DECISION_LABEL
from nami_cli.i18n import text, words
from nami_cli.render.number_format import number

if TYPE_CHECKING:
    from nami_cli.assess.result import StrategyResult
    from nami_cli.load.request import Request
    from nami_cli.load.yamlsafe import Document

WARNINGS: dict[str, dict[str, str]] = words("decision.warning")


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {text('word.and', lang)} " + items[-1]


def decision_warnings(
    request: Request, strategies: Sequence[StrategyResult], lang: str
) -> list[DecisionWarning]:
    """Where the request's decision contradicts the verdicts or the buyer's own answers."""
    decision = request.decision
    if decision is None:
        return []
    words = WARNINGS[lang]
    out: list[DecisionWarning] = []
    by_strategy = {s.strategy: s for s in strategies}
    if decision.chosen == "buy-as-requested":
        open_chances = [s.strategy for s in strategies if s.verdict == "opportunity"]
        if open_chances:
            labels = _join([DECISION_LABEL[s][lang].lower() for s in open_chances], lang)
            out.append(
                DecisionWarning(
                    id="buy-despite-opportunity",
                    message=words["buy-despite-opportunity"].format(labels=labels),
                )
            )
    else:
        chosen = by_strategy.get(decision.chosen)
        if chosen is not None and chosen.verdict == "justified":
            label = DECISION_LABEL[decision.chosen][lang].lower()
            out.append(
                DecisionWarning(
                    id="against-own-answer", message=words["against-own-answer"].format(label=label)
                )
            )
    if (
        decision.chosen == "reduce"
        and decision.quantity is not None
        and request.quantity is not None
        and decision.quantity >= request.quantity
    ):
        out.append(
            DecisionWarning(
                id="quantity-not-reduced",
                message=words["quantity-not-reduced"].format(
                    new=number(decision.quantity, lang), old=number(request.quantity, lang)
                ),
            )
        )
    return out


def decision_result(
    request: Request, strategies: Sequence[StrategyResult], lang: str, doc: Document | None = None
) -> DecisionResult | None:
    """The request's decision for the result, with its position and its contradictions; None without one."""
    decision = request.decision
    if decision is None:
        return None
    line = column = None
    if doc is not None:
        where = doc.key_positions.get(("decision",)) or doc.positions.get(("decision",))
        if where is not None:
            line, column = where
    by = decision.decided_by
    return DecisionResult(
        chosen=decision.chosen,
        quantity=decision.quantity,
        form=decision.form,
        decided_by=DecidedBy(name=by.name, role=by.role) if by is not None else None,
        date=decision.date.isoformat() if decision.date is not None else None,
        reasoning=decision.reasoning,
        line=line,
        column=column,
        warnings=decision_warnings(request, strategies, lang),
    )
