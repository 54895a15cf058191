"""Run every rule's examples: each ``match`` example must trigger the rule, no ``no_match`` may."""

from __future__ import annotations

from dataclasses import dataclass

from nami_cli.engine import facts_for
from nami_cli.pack import CompiledRule, Pack
from nami_cli.request import Request


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    kind: str  # match | no_match
    index: int
    passed: bool
    where: str
    title: str

    def describe(self) -> str:
        want = (
            "should trigger the rule but did not"
            if self.kind == "match"
            else "should not trigger the rule but did"
        )
        return f"{self.where}: {self.rule}: examples.{self.kind}[{self.index}] ({self.title!r}) {want}"


def fires(rule: CompiledRule, request: Request, pack: Pack) -> bool:
    """Does ``rule`` fire on ``request``?"""
    return rule.condition.test(facts_for(request, pack)) is not None


def run_examples(pack: Pack, rules: list[CompiledRule] | None = None) -> list[ExampleOutcome]:
    """Outcomes of every example of ``rules`` (default: every enabled rule of the pack)."""
    outcomes: list[ExampleOutcome] = []
    for rule in rules if rules is not None else pack.rules:
        for kind in ("match", "no_match"):
            for i, example in enumerate(getattr(rule.rule.examples, kind)):
                request = Request.model_validate(example)
                fired = fires(rule, request, pack)
                path = (*rule.at.path, "examples", kind, i)
                pos = rule.at.doc.where(path)
                where = f"{rule.at.doc.file}:{pos[0]}:{pos[1]}" if pos else rule.at.doc.file
                outcomes.append(
                    ExampleOutcome(rule.id, kind, i, fired == (kind == "match"), where, request.title)
                )
    return outcomes
