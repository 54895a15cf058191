"""``nami demo``: the built-in scenarios, played with the real engine and rule pack."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from nami_cli.base.vocab import STRATEGY_LABEL, VERDICT_LABEL
from nami_cli.interactive.demo import WORDS, assess_scenario, play, steps
from nami_cli.interactive.demo.scenarios import BY_ID, SCENARIOS, localise
from nami_cli.load.request import validate_request
from nami_cli.rulepack.pack import Pack, load_pack

SOURCE_CASES = (
    "promotional-items",
    "reusable-crates",
    "office-supplies",
    "workwear",
    "laptops",
    "year-end-budget",
    "furniture",
)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def test_list_shows_every_scenario_with_its_title(run: Callable[..., Any]) -> None:
    result = run("demo", "--list", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [s.id for s in SCENARIOS]
    assert set(SOURCE_CASES) <= set(BY_ID)
    assert any(line.startswith("reusable-crates") and "Reusable crates" in line for line in lines)
    dutch = run("demo", "--list", "--lang", "nl").stdout
    assert "Herbruikbare kratten in plaats van wegwerpverpakking" in dutch


@pytest.mark.parametrize("scenario", [s.id for s in SCENARIOS])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_auto_plays_every_scenario_with_the_engines_verdicts(
    run: Callable[..., Any], pack: Pack, scenario: str, lang: str
) -> None:
    result = run("demo", scenario, "--auto", "--lang", lang, "--color", "never")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    expected = assess_scenario(BY_ID[scenario], pack, lang)
    # every step, in order: the case, the request, the three questions, the matrix, interventions, advice
    marks = [WORDS[lang]["case"], WORDS[lang]["request"]]
    marks += [f"{STRATEGY_LABEL[s.strategy][lang].upper()} (" for s in expected.strategies]
    marks += [WORDS[lang]["matrix"], WORDS[lang]["interventions"], WORDS[lang]["advice"]]
    positions = [out.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert WORDS[lang]["step"].format(n=8, total=8) in out
    # each question's verdict is the one the engine gives, with the rules that explain it
    for i, strat in enumerate(expected.strategies):
        start = positions[2 + i]
        block = out[start : positions[3 + i]]
        assert VERDICT_LABEL[strat.verdict][lang].upper() in block
        for finding in strat.findings:
            assert finding.rule in block
    # every obstacle has its mark in the matrix (one more of each in the legend under it)
    matrix = out[positions[5] : positions[6]]
    assert matrix.count("★") == 1 + sum(o.expected for o in expected.obstacles)
    assert matrix.count("•") == 1 + sum(not o.expected for o in expected.obstacles)
    if expected.advice is not None:
        assert STRATEGY_LABEL[expected.advice][lang].upper() in out[positions[7] :]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_each_case_shows_an_opportunity_where_it_teaches_one(pack: Pack, scenario: Any) -> None:
    assert scenario.teaches, "a scenario names the strategies it is about"
    for lang in ("nl", "en"):
        result = assess_scenario(scenario, pack, lang)
        for strategy in scenario.teaches:
            assert result.strategy(strategy).verdict == "opportunity", (scenario.id, lang, strategy)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenarios_are_valid_requests_in_both_languages(pack: Pack, scenario: Any) -> None:
    nl, en = scenario.request_for("nl"), scenario.request_for("en")
    for data in (nl, en):
        request = validate_request(data)
        assert all(o in pack.obstacles for o in request.obstacles)
        assert request.category in pack.categories
    assert nl["title"] != en["title"]
    assert localise({"a": [{"nl": "x", "en": "y"}]}, "en") == {"a": ["y"]}


def test_the_laptop_case_shows_a_justified_answer(pack: Pack) -> None:
    result = assess_scenario(BY_ID["laptops"], pack, "en")
    refuse = result.strategy("refuse")
    assert refuse.verdict == "justified" and refuse.findings and all(f.acknowledged for f in refuse.findings)


def test_the_matrix_places_the_obstacles_in_their_cells(pack: Pack) -> None:
    result = assess_scenario(BY_ID["workwear"], pack, "en")
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(steps(BY_ID["workwear"], result, pack, "en")[5])
    text = console.file.getvalue()  # type: ignore[attr-defined]
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if line.count("│") >= 5}
    acquired = next(o for o in result.obstacles if o.id == "workwear-acquired-right")
    assert acquired.level == "organisation" and acquired.expected
    row = rows["organisation"]
    cells = [c.strip() for c in row.split("│")[2:6]]
    assert cells[3].startswith("★")  # socio-cultural column, marked as expected by the buyer
    assert "·" in rows["individual"]


def test_pauses_wait_for_enter_between_steps_and_eof_plays_on(pack: Pack) -> None:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    prompts: list[str] = []
    play(console, BY_ID["furniture"], pack, "nl", pause=prompts.append, height=200)
    assert prompts == [WORDS["nl"]["next"]] * 7
    prompts.clear()  # on a 24-line screen a tall step comes in parts, with "verder" between them
    play(console, BY_ID["furniture"], pack, "nl", pause=prompts.append, height=24)
    assert prompts.count(WORDS["nl"]["next"]) == 7 and WORDS["nl"]["more"] in prompts

    calls: list[str] = []

    def closed(prompt: str) -> None:
        calls.append(prompt)
        raise EOFError

    console = Console(file=io.StringIO(), width=100, color_system=None)
    play(console, BY_ID["furniture"], pack, "en", pause=closed)
    assert len(calls) == 1
    assert WORDS["en"]["step"].format(n=8, total=8) in console.file.getvalue()  # type: ignore[attr-defined]


def test_without_auto_the_demo_waits_for_enter_on_stdin(run: Callable[..., Any]) -> None:
    result = run("demo", "catering", "--lang", "en", "--color", "never", input="\n\n")
    assert result.exit_code == 0
    assert result.stdout.count(WORDS["en"]["next"].strip()) == 3  # two Enters, then the input ended
    assert WORDS["en"]["step"].format(n=8, total=8) in result.stdout


def test_auto_without_a_scenario_plays_them_all(run: Callable[..., Any]) -> None:
    result = run("demo", "--auto", "--lang", "en", "--color", "never")
    assert result.exit_code == 0
    assert result.stdout.count(WORDS["en"]["step"].format(n=1, total=8)) == len(SCENARIOS)


def test_an_unknown_scenario_is_a_usage_error_that_lists_the_scenarios(run: Callable[..., Any]) -> None:
    result = run("demo", "pennen", "--lang", "en")
    assert result.exit_code == 2
    assert "unknown scenario 'pennen'" in result.stderr
    assert all(s.id in result.stderr for s in SCENARIOS)


def test_no_scenario_and_no_terminal_is_a_usage_error(run: Callable[..., Any]) -> None:
    result = run("demo", "--lang", "en", input="")
    assert result.exit_code == 2
    assert "name a scenario, or use --auto" in result.stderr
