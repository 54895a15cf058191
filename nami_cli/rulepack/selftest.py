"""Run the examples of a pack: each ``match`` example of a rule must trigger it and no ``no_match`` may;
each ``match`` example of a scope entry must get that scope (no goods purchase) and no ``no_match``
may; each ``match`` example of a signal must show that signal and no ``no_match`` may."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nami_cli.assess.engine import _prepare, fire
from nami_cli.load.request import Request
from nami_cli.rulepack.pack import CompiledRule, Located, Pack


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    kind: str  # match | no_match
    index: int
    passed: bool
    where: str
    title: str
    item: str = "rule"  # rule | scope | signal

    def describe(self, lang: str = "en") -> str:
        from nami_cli.i18n import t

        what = t(f"selftest.what.{self.item}", lang)
        want = t("selftest.should" if self.kind == "match" else "selftest.should_not", lang, what=what)
        label = self.rule if self.item == "rule" else f"{t(f'selftest.kind.{self.item}', lang)} {self.rule}"
        return f"{self.where}: {label}: examples.{self.kind}[{self.index}] ({self.title!r}) {want}"


def fires(rule: CompiledRule, request: Request, pack: Pack) -> bool:
    """Does ``rule`` fire on ``request`` (through the same engine functions as ``nami check``)?"""
    facts, recognition = _prepare(request, pack)
    return any(hit.rule.id == rule.id for hit in fire(pack, facts, recognition))


def _where(at: Located, path: tuple[Any, ...]) -> str:
    pos = at.doc.where(path)
    return f"{at.doc.file}:{pos[0]}:{pos[1]}" if pos else at.doc.file


def run_examples(
    pack: Pack, rules: list[CompiledRule] | None = None, *, only_dir: str | None = None
) -> list[ExampleOutcome]:
    """Outcomes of every example of ``rules`` (default: every enabled rule of the pack), then of every
    scope entry and signal (those defined in ``only_dir`` when given)."""
    outcomes: list[ExampleOutcome] = []
    for rule in rules if rules is not None else pack.rules:
        for kind in ("match", "no_match"):
            for i, example in enumerate(getattr(rule.rule.examples, kind)):
                request = Request.model_validate(example)
                fired = fires(rule, request, pack)
                where = _where(rule.at, (*rule.at.path, "examples", kind, i))
                outcomes.append(
                    ExampleOutcome(rule.id, kind, i, fired == (kind == "match"), where, request.title)
                )
    root = Path(only_dir).resolve() if only_dir is not None else None
    items: list[tuple[str, Any]] = [("scope", s) for s in pack.scope.values()]
    items += [("signal", s) for s in pack.signals.values()]
    for item, entry in items:
        at = pack.locations[entry.id]
        if root is not None and root not in Path(at.doc.file).resolve().parents:
            continue
        for kind in ("match", "no_match"):
            for i, example in enumerate(getattr(entry.examples, kind)):
                request = Request.model_validate(example)
                _, recognition = _prepare(request, pack)
                if item == "scope":
                    seen = recognition.scope is not None and recognition.scope.id == entry.id
                else:
                    seen = any(s.id == entry.id for s in recognition.signals)
                where = _where(at, (*at.path, "examples", kind, i))
                outcomes.append(
                    ExampleOutcome(entry.id, kind, i, seen == (kind == "match"), where, request.title, item)
                )
    return outcomes
