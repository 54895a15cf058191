"""What a person reads names interventions and obstacles by their titles; ids are for JSON and `nami rules`.

Every example request, in both languages, on its own and all together, through ``nami check --format
markdown|html``: no intervention or obstacle id of the shipped pack appears as a word of its own. A few
ids are also ordinary words of the pack's own prose (``product-as-a-service``); those are checked not to
occur more often than the prose explains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.rulepack.pack import Pack, load_pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def _word(identifier: str) -> re.Pattern[str]:
    """``identifier`` as a word of its own: not part of a longer id such as a rule id."""
    return re.compile(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])")


def _prose(pack: Pack, lang: str) -> str:
    """Everything the pack words for people in ``lang``: titles, explanations, descriptions, messages."""
    parts: list[str] = []
    for ob in pack.obstacles.values():
        parts += [ob.title(lang), ob.explanation(lang)]
    for iv in pack.interventions.values():
        parts += [iv.title(lang), iv.description(lang), iv.first_step(lang) if iv.first_step else ""]
    for rule in pack.rules:
        parts += [rule.rule.title(lang), rule.rule.message(lang), rule.rule.source]
    return "\n".join(str(p) for p in parts)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_raw_intervention_or_obstacle_id_in_any_report(
    run: Callable[..., Any], pack: Pack, fmt: str, lang: str
) -> None:
    ids = [*pack.obstacles, *pack.interventions]
    prose = _prose(pack, lang)
    reports = {}
    for example in EXAMPLES:
        result = run("check", "--format", fmt, "--lang", lang, "--fail-on", "never", str(example))
        assert result.exit_code == 0, result.stderr
        reports[example.name] = result.stdout
    together = run("check", "--format", fmt, "--lang", lang, "--fail-on", "never", *map(str, EXAMPLES))
    reports["all"] = together.stdout
    named_obstacles = [o for e in EXAMPLES for o in re.findall(r"^obstacles: \[(.*)\]", e.read_text(), re.M)]
    assert named_obstacles, "the examples name obstacles (so ids could leak)"
    for name, text in reports.items():
        for identifier in ids:
            pattern = _word(identifier)
            if not pattern.search(prose):
                assert not pattern.search(text), f"{name} ({fmt}, {lang}) shows the id {identifier!r}"


def test_the_id_check_can_fail(pack: Pack) -> None:
    """The word pattern finds an id standing alone, but not inside a longer rule id."""
    assert _word("depreciation-rules").search("aan te pakken met: depreciation-rules; x")
    assert not _word("furniture-reuse-cascade").search("regel rethink-furniture-reuse-cascade")
    assert "board-policy" in pack.interventions and not _word("board-policy").search(_prose(pack, "nl"))
