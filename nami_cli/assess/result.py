"""The JSON result (spec section 6) as pydantic models; ``nami schema result`` is generated from these.

The exit-code decision lives here, on the result (one place), not in the CLI.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from nami_cli.base.vocab import (
    ADVICE_KEYS,
    STRATEGIES,
    Advice,
    DecisionChoice,
    Dimension,
    FailOn,
    Level,
    Strategy,
    Verdict,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class SourceResult(_Model):
    title: str
    year: int | None = None
    url: str | None = None


class EvidenceRef(_Model):
    field: str = Field(description="title, description, cpv or category")
    line: int | None = Field(
        default=None, description="line (in the request file when known, else in the text)"
    )
    column: int | None = Field(default=None, description="column, 1-based")
    words: str = Field(description="the words (or CPV prefix, or category id) that matched")


class CategoryMatch(_Model):
    id: str
    title: str
    score: float = Field(description="strength of the evidence (title words count double)")
    evidence: list[EvidenceRef]


class ScopeResult(_Model):
    goods: bool = Field(description="false: no goods purchase (tax, pay, rent, a service ...): no advice")
    id: str | None = None
    title: str | None = None
    reason: str | None = Field(default=None, description="why nami gives no goods advice")
    evidence: list[EvidenceRef] = Field(default_factory=list)


class SignalResult(_Model):
    id: str
    field: str = Field(description="the text field the phrase is in")
    phrase: str
    line: int | None = None
    column: int | None = None
    sets: dict[str, Any] = Field(default_factory=dict, description="the field values the phrase stands for")
    applied: bool = Field(
        default=True, description="false when a structured field of the request already said otherwise"
    )


class Finding(_Model):
    rule: str = Field(description="id of the rule that made the finding")
    title: str = Field(description="title of the rule")
    message: str = Field(description="why, in the chosen language")
    evidence: dict[str, Any] = Field(description="the fields and values that made the rule fire")
    line: int | None = Field(description="line of the field the finding refers to (1-based)")
    column: int | None = Field(description="column of that field (1-based)")
    acknowledged: bool = Field(description="the buyer justified this strategy; the finding stays listed")
    rung: str | None = Field(default=None, description="the R-ladder rung the rule aims at (R0..R9)")
    sources: list[SourceResult] = Field(default_factory=list)


class StrategyResult(_Model):
    strategy: Strategy
    verdict: Verdict
    question: str
    answer: Literal["yes", "no", "unsure"] | None
    justification: str | None = None
    findings: list[Finding]


class ObstacleResult(_Model):
    id: str
    dimension: Dimension
    level: Level
    title: str
    explanation: str = ""
    rules: list[str] = Field(description="rules that signalled this obstacle")
    expected: bool = Field(default=False, description="named by the buyer in 'obstacles:'")
    interventions: list[str] = Field(description="interventions that address this obstacle")


class InterventionResult(_Model):
    id: str
    rank: int = Field(default=0, description="1 = most relevant to the fired rules and their obstacles")
    title: str
    description: str = ""
    first_step: str | None = None
    strategies: list[Strategy]
    obstacles: list[str]
    sources: list[SourceResult] = Field(default_factory=list)


class CategoryResult(_Model):
    id: str
    title: str
    via: Literal["category", "cpv", "title", "description"] = Field(
        description="what the category was found from"
    )
    matched: str | None = Field(default=None, description="the CPV prefix or word that matched")


class RequestInfo(_Model):
    id: str | None = None
    title: str
    description: str | None = None
    reason: str | None = None
    category: str | None = None
    cpv: str | None = None
    quantity: float | None = None
    unit: str | None = None
    value: float | None = None
    requester: str | None = None
    needed_by: str | None = None


class DecidedBy(_Model):
    name: str
    role: str | None = None


class DecisionWarning(_Model):
    id: Literal["buy-despite-opportunity", "against-own-answer", "quantity-not-reduced"] = Field(
        description="what the decision contradicts"
    )
    message: str = Field(description="the contradiction, in the chosen language")


class DecisionResult(_Model):
    """The buyer's decision as written in the request file; contradictions are reported, not refused."""

    chosen: DecisionChoice
    quantity: float | None = None
    form: str | None = None
    decided_by: DecidedBy | None = None
    date: str | None = Field(default=None, description="YYYY-MM-DD")
    reasoning: str | None = None
    line: int | None = Field(default=None, description="line of the decision block (1-based)")
    column: int | None = None
    warnings: list[DecisionWarning] = Field(
        default_factory=list, description="where the decision contradicts the verdicts or the answers"
    )


class RequestResult(_Model):
    file: str | None
    request: RequestInfo
    category: CategoryResult | None = Field(default=None, description="the primary category")
    categories: list[CategoryMatch] = Field(default_factory=list, description="every category, primary first")
    scope: ScopeResult = Field(default_factory=lambda: ScopeResult(goods=True))
    signals: list[SignalResult] = Field(default_factory=list)
    advice: Strategy | None
    strategies: list[StrategyResult]
    obstacles: list[ObstacleResult]
    interventions: list[InterventionResult]
    decision: DecisionResult | None = Field(default=None, description="the buyer's decision, if written")

    @property
    def open_questions(self) -> list[Strategy]:
        """The strategies whose question is still open."""
        return [s.strategy for s in self.strategies if s.verdict == "open"]

    def strategy(self, name: str) -> StrategyResult:
        return next(s for s in self.strategies if s.strategy == name)


class ToolInfo(_Model):
    name: Literal["nami"] = "nami"
    version: str


class PackRef(_Model):
    name: str
    version: str


class RulesInfo(_Model):
    name: str
    version: str
    packs: list[PackRef] = Field(default_factory=list, description="every pack in use, shipped first")


class AdviceCounts(_Model):
    refuse: int = 0
    rethink: int = 0
    reduce: int = 0
    none: int = 0


class Total(_Model):
    requests: int = 0
    value: float = Field(default=0.0, description="sum of the estimated values, EUR excl. VAT")
    without_value: int = Field(default=0, description="requests without an estimated value")

    def add(self, value: float | None) -> None:
        self.requests += 1
        if value is None:
            self.without_value += 1
        else:
            self.value += value


class Summary(_Model):
    requests: int
    advice: AdviceCounts
    total: Total = Field(default_factory=Total, description="all requests")
    by_advice: dict[Advice, Total] = Field(default_factory=dict, description="requests and value per advice")
    by_decision: dict[Literal["refuse", "rethink", "reduce", "buy-as-requested", "undecided"], Total] = Field(
        default_factory=dict, description="requests and value per decision ('undecided': no decision yet)"
    )
    open_questions: int = Field(default=0, description="questions still open, over all requests")


class Report(_Model):
    """One JSON document per run, whatever the number of files."""

    schema_version: Literal["1.1"] = Field(
        default="1.1", description="1.1 adds categories, scope, signals, sources, rung and rank (additive)"
    )
    tool: ToolInfo
    rules: RulesInfo
    lang: Literal["nl", "en"]
    generated: str | None = Field(default=None, description="date of the run, YYYY-MM-DD")
    results: list[RequestResult]
    summary: Summary

    def exit_code(self, fail_on: FailOn) -> int:
        """0, or 1 when any strategy's verdict is at or above ``fail_on``."""
        return exit_code_for((s.verdict for r in self.results for s in r.strategies), fail_on)


def exit_code_for(verdicts: Any, fail_on: FailOn) -> int:
    """The exit-code decision for a stream of verdicts (shared by check and screen)."""
    if fail_on == "never":
        return 0
    failing = {"opportunity"} if fail_on == "opportunity" else {"opportunity", "open"}
    return 1 if any(v in failing for v in verdicts) else 0


DECISION_KEYS: tuple[str, ...] = ("refuse", "rethink", "reduce", "buy-as-requested", "undecided")


def summarise(results: list[RequestResult]) -> Summary:
    counts = AdviceCounts()
    total = Total()
    by_advice = {key: Total() for key in ADVICE_KEYS}
    by_decision = {key: Total() for key in DECISION_KEYS}
    open_questions = 0
    for result in results:
        key = result.advice or "none"
        setattr(counts, key, getattr(counts, key) + 1)
        value = result.request.value
        total.add(value)
        by_advice[key].add(value)
        by_decision[result.decision.chosen if result.decision else "undecided"].add(value)
        open_questions += len(result.open_questions)
    return Summary(
        requests=len(results),
        advice=counts,
        total=total,
        by_advice=by_advice,  # type: ignore[arg-type]
        by_decision=by_decision,  # type: ignore[arg-type]
        open_questions=open_questions,
    )


__all__ = ["STRATEGIES", "Report", "RequestResult", "exit_code_for", "summarise"]
