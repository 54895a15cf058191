"""Mistakes get help: did-you-mean, Dutch names, every problem in one pass, tabs, misplaced answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.load.request import parse_request
from nami_cli.rulepack.pack import load_pack


def problems(text: str, *, pack: bool = True) -> list[str]:
    with pytest.raises(NamiError) as info:
        parse_request(text, file="r.yaml", pack=load_pack() if pack else None)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("line", "where", "meant"),
    [
        ("requestor: Jan", "r.yaml:2:1: requestor", "did you mean requester?"),
        ("descripton: pennen", "r.yaml:2:1: descripton", "did you mean description"),
        ("aantal: 5", "r.yaml:2:1: aantal", "did you mean quantity?"),
        ("usage: {gebruikers: 5}", "r.yaml:2:9: usage.gebruikers", "did you mean users?"),
        ("answers: {reduse: ja}", "r.yaml:2:11: answers.reduse", "did you mean refuse or reduce?"),
        ("answers: {niet: ja}", "r.yaml:2:11: answers.niet", "did you mean refuse?"),
        ("answers: {refuse: {anwser: ja}}", "answers.refuse.anwser", "did you mean answer?"),
        ("reason: nieuwe", "r.yaml:2:9: reason", "did you mean new?"),
        ("reason: replacment", "reason", "did you mean replacement?"),
        ("replaces: {condition: kaput}", "replaces.condition", "did you mean broken?"),
        ("answers: {refuse: jaa}", "answers.refuse.answer", "did you mean yes?"),
        ("category: ofice-supplies", "r.yaml:2:11: category", "did you mean office-supplies?"),
        ("category: kantoorartikel", "category", "did you mean office-supplies?"),
        ("obstacles: [habitual-order]", "r.yaml:2:13: obstacles[0]", "did you mean habitual-ordering?"),
    ],
)
def test_did_you_mean(line: str, where: str, meant: str) -> None:
    found = problems(f"title: Pennen\n{line}\n")
    assert any(where in m and meant in m for m in found), found


def test_a_dutch_key_for_title_is_pointed_to_title() -> None:
    found = problems("titel: Pennen\n")
    assert any("titel: unknown key 'titel'; did you mean title?" in m for m in found), found


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("Kantoorartikelen", "office-supplies"),
        ("kantoorartikelen", "office-supplies"),
        ("drukwerk", "printing"),
        ("Drukwerk en printen", "printing"),
        ("Office supplies", "office-supplies"),
        ("meubilair", "furniture"),
        ("printing", "printing"),
    ],
)
def test_category_titles_and_parts_are_read_as_the_id(written: str, category: str) -> None:
    request, _ = parse_request(f"title: Iets\ncategory: {written}\n", pack=load_pack())
    assert request.category == category


def test_a_name_shared_by_two_categories_is_refused_with_both_ids() -> None:
    from nami_cli.load.validation import resolve_name

    names = {"kleding": ["workwear", "uniforms"], "workwear": ["workwear"], "uniforms": ["uniforms"]}
    found, message = resolve_name("Kleding", names, "category", "nami rules list")
    assert found is None
    assert str(message) == "'Kleding' can mean the category workwear or uniforms; write its id"
    assert resolve_name("WORKWEAR", names, "category", "nami rules list") == ("workwear", None)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("nieuw", "new"),
        ("vervanging", "replacement"),
        ("Restbudget", "budget-remaining"),
        ("beleid", "policy"),
    ],
)
def test_dutch_reasons_are_read(written: str, value: str) -> None:
    request, _ = parse_request(f"title: Iets\nreason: {written}\n")
    assert request.reason == value


def test_obstacle_titles_are_read_as_the_id() -> None:
    request, _ = parse_request("title: Iets\nobstacles: [Bestellen uit gewoonte]\n", pack=load_pack())
    assert request.obstacles == ["habitual-ordering"]


def test_every_problem_in_one_pass_in_file_order() -> None:
    text = (
        "title: Pennen\n"
        "category: kantoorspullen-xyz\n"
        "quantity: 0\n"
        "requestor: Jan\n"
        "obstacles: [no-such-obstacle]\n"
        "refuse: ja\n"
    )
    found = problems(text)
    assert [m.split(":")[1] for m in found] == ["2", "3", "4", "5", "6"], found
    assert "unknown category" in found[0]
    assert "quantity: must be greater than 0" in found[1]


def test_misplaced_answer_points_to_answers() -> None:
    (message,) = problems("title: Pennen\nrefuse: ja\n")
    assert message.startswith("r.yaml:2:1: refuse: unknown key 'refuse': it belongs under answers:")
    assert "yes = it is needed" in message


def test_misplaced_usage_key_points_to_its_home() -> None:
    (message,) = problems("title: Pennen\nstock: 40\n")
    assert "it belongs under usage:" in message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("title: x\nusage:\n\tstock: 5\n", 3, 1),
        ("title: x\nusage:\n  stock: 5\n  \tusers: 3\n", 4, 3),
    ],
)
def test_a_tab_is_named(text: str, line: int, column: int) -> None:
    (message,) = problems(text, pack=False)
    assert message == f"r.yaml:{line}:{column}: tabs are not allowed in YAML — indent with spaces"


def test_a_tab_inside_a_value_is_fine() -> None:
    request, _ = parse_request('title: "a\tb"\n')
    assert request.title == "a\tb"


def test_check_reports_all_problems_and_exit_3(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = write("r.yaml", "title: Pennen\ncategory: kantoor-xyz\nrequestor: Jan\n")
    result = run("check", str(path), "--lang", "en")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "unknown category" in lines[0]
    assert "did you mean requester?" in lines[1]


@pytest.mark.parametrize(
    ("lang", "yes", "no"),
    [("nl", "ja (het is nodig)", "nee (het kan minder)"), ("en", "yes (it is needed)", "")],
)
def test_check_output_spells_out_what_yes_and_no_mean(
    run: Callable[..., Any], write: Callable[..., Path], lang: str, yes: str, no: str
) -> None:
    path = write(
        "r.yaml",
        "title: Pennen\nanswers:\n  refuse: {answer: ja, justification: verplicht}\n  reduce: nee\n",
    )
    out = run("check", "--lang", lang, str(path)).stdout
    assert yes in out
    assert no in out
