"""``nami interview``: the flow with scripted answers, the file it writes and the command's guards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scripted_prompter import ENTER, INTERRUPT, Each, ScriptedPrompter, UnexpectedQuestion

from nami_cli.interactive.interview import run_interview
from nami_cli.interactive.interview.flow import follow_ups, run_flow
from nami_cli.interactive.interview.prompter import (
    NumberError,
    NumberSpec,
    format_number,
    parse_number,
)
from nami_cli.interactive.interview.writer import KEY_ORDER, dump_request
from nami_cli.load.request import parse_request
from nami_cli.rulepack.pack import Pack, load_pack


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


# -- numbers as a person types them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("2,10", 2.1),
        ("2.10", 2.1),
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("1.234.567", 1234567.0),
        ("€ 5", 5.0),
        ("0,125", 0.125),
        ("-3", -3.0),
        ("  ", None),
    ],
)
def test_parse_number_reads_dutch_and_english_writing(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "12 stuks", "1..2", "1,2.3", "inf", "nan", "1e5"])
def test_parse_number_refuses_text(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def test_a_thousands_look_alike_is_refused_as_ambiguous_with_both_readings() -> None:
    spec = NumberSpec()
    assert spec.check("1.500", "nl") == "'1.500' is dubbelzinnig: schrijf 1500 of 1,5"
    assert spec.check("12,500", "en") == "'12,500' is ambiguous: write 12500 or 12.5"


def test_number_limits_are_those_of_the_request_model() -> None:
    quantity = NumberSpec(minimum=0, strict=True)
    assert quantity.check("0", "en") == "Must be greater than 0"
    assert quantity.check("-4", "en") == "Must be greater than 0"
    assert quantity.check("0,5", "en") is None
    price = NumberSpec(minimum=0)
    assert price.check("0", "en") is None
    assert price.check("-0,01", "nl") == "Moet 0 of meer zijn"
    users = NumberSpec(minimum=0, integer=True)
    assert users.check("2,5", "en") == "Enter a whole number, without decimals"
    assert users.convert("150") == 150 and isinstance(users.convert("150"), int)


@pytest.mark.parametrize(("value", "nl", "en"), [(500.0, "500", "500"), (2.1, "2,1", "2.1"), (None, "", "")])
def test_defaults_are_shown_as_the_buyer_would_type_them(value: float | None, nl: str, en: str) -> None:
    assert format_number(value, "nl") == nl
    assert format_number(value, "en") == en


# -- the flow ----------------------------------------------------------------------------------------------

FURNITURE = {
    "title": "Bureaus derde verdieping",
    "description": "40 zit-sta-bureaus voor de verbouwde verdieping",
    "category": "furniture",
    "cpv": Each("3913", "39130000-2"),
    "quantity": Each("-4", "veertig", "40"),
    "unit": "stuks",
    "unit_price": "650,50",
    "reason": "replacement",
    "requester": ENTER,
    "replaces.age_years": "9",
    "replaces.condition": "working",
    "replaces.trigger": "age",
    "usage.any": True,
    "usage.stock": ENTER,
    "usage.annual_use": ENTER,
    "usage.users": Each("30,5", "30"),
    "refuse.answer": "yes",
    "refuse.justification": "De verdieping wordt weer in gebruik genomen",
    "rethink.rethink-furniture-reuse-cascade.1": "no",
    "rethink.rethink-furniture-reuse-cascade.2": "yes",
    "rethink.rethink-furniture-reuse-cascade.3": ENTER,
    "rethink.rethink-lease-high-value": "no",
    "rethink.answer": ENTER,
    "rethink.justification": ENTER,
    "reduce.reduce-quantity-above-users": "no",
    "reduce.reduce-furniture-occupancy": "no",
    "reduce.answer": ENTER,
    "reduce.justification": "Er werken 40 mensen vast op deze verdieping",
    "obstacles.any": True,
    "obstacles.individual": [],
    "obstacles.organisation": ["no-asset-overview"],
    "obstacles.system": ["depreciation-rules"],
    "decision.chosen": ENTER,  # decide later
}


def test_flow_asks_in_order_and_returns_the_request(pack: Pack) -> None:
    # "meubi" is a unique part of "Meubilair": the search-as-you-type list resolves it
    prompter = ScriptedPrompter(dict(FURNITURE, category=Each("zzz", "e", "meubi")), lang="nl")
    data = run_flow(prompter, pack, lang="nl")
    assert prompter.unused() == {}
    assert data == {
        "title": "Bureaus derde verdieping",
        "description": "40 zit-sta-bureaus voor de verbouwde verdieping",
        "category": "furniture",
        "cpv": "39130000-2",
        "quantity": 40.0,
        "unit": "stuks",
        "unit_price": 650.5,
        "reason": "replacement",
        "replaces": {"age_years": 9.0, "condition": "working", "trigger": "age"},
        "usage": {"users": 30},
        "answers": {
            "refuse": {"answer": "yes", "justification": "De verdieping wordt weer in gebruik genomen"},
            "rethink": {"answer": "no"},  # the justification starts empty: Enter leaves it so
            "reduce": {"answer": "yes", "justification": "Er werken 40 mensen vast op deze verdieping"},
        },
        "obstacles": ["no-asset-overview", "depreciation-rules"],
    }
    # the follow-ups were asked and answered, yet the justification starts empty: the buyer's own words
    assert "rethink.rethink-furniture-reuse-cascade.2" in prompter.asked
    assert prompter.defaults["rethink.justification"] in (None, "")
    order = prompter.asked
    assert order.index("title") < order.index("category") < order.index("quantity") < order.index("reason")
    assert order.index("reason") < order.index("replaces.age_years") < order.index("usage.users")
    assert order.index("usage.users") < order.index("refuse.answer") < order.index("rethink.answer")
    assert order.index("rethink.answer") < order.index("reduce.answer") < order.index("obstacles.individual")


def test_invalid_input_is_refused_in_place_with_a_message(pack: Pack) -> None:
    prompter = ScriptedPrompter(dict(FURNITURE, category=Each("zzz", "e", "meubi")), lang="nl")
    run_flow(prompter, pack, lang="nl")
    assert prompter.refused == [
        ("category", "zzz", "Kies uit de lijst (typ een deel van de naam; Tab toont de opties)"),
        ("category", "e", "'e' past bij meer dan één optie: " + ", ".join(list(pack.categories)[:6])),
        ("cpv", "3913", "Een CPV-code is 8 cijfers met eventueel een controlecijfer: 39294100-0"),
        ("quantity", "-4", "Moet groter zijn dan 0"),
        ("quantity", "veertig", "Vul een getal in, bijv. 12 of 2,10 (leeg laten mag)"),
        ("usage.users", "30,5", "Vul een heel getal in, zonder decimalen"),
    ]
    # refused where it was typed: the next question came only after the valid answer
    assert prompter.asked.count("quantity") == 1 and prompter.asked.index("unit") > prompter.asked.index(
        "quantity"
    )


def test_furniture_raises_the_cascade_questions_from_the_rule_pack(pack: Pack) -> None:
    prompter = ScriptedPrompter(FURNITURE, lang="en")
    run_flow(prompter, pack, lang="en")
    rethink = [prompter.messages[n] for n in prompter.asked if n.startswith("rethink.rethink-furniture")]
    assert rethink == [
        "Can the current furniture be repaired or maintained?",
        "Is there spare furniture elsewhere in the organisation (e.g. via an internal marketplace or the "
        "broker for movable assets)?",
        "Can existing furniture be refurbished, or is second-hand furniture available?",
    ]
    # a "yes" to a follow-up suggests "no, it can be done differently"; all "no" suggests "yes"
    assert prompter.defaults["rethink.answer"] == "no"
    assert prompter.defaults["reduce.answer"] == "yes"
    # the rules that already hold are shown before the question
    findings = [text for kind, text in prompter.notes if kind == "finding"]
    assert any("[refuse-replacement-working-age]" in text for text in findings)


def test_follow_ups_depend_on_the_category(pack: Pack) -> None:
    furniture = [f.rule for f in follow_ups(pack, "furniture", "rethink", "en")]
    promo = [f.rule for f in follow_ups(pack, "promotional-items", "refuse", "en")]
    assert "rethink-furniture-reuse-cascade" in furniture
    assert "refuse-promotional-items" in promo and "rethink-furniture-reuse-cascade" not in promo
    assert follow_ups(pack, None, "refuse", "en") == []


def test_every_shipped_rule_that_names_a_category_has_questions_and_the_interview_asks_them(
    pack: Pack,
) -> None:
    # a rule whose condition names no category (stock, budget, replacement rules) is never asked: the
    # interview asks the rules that name the request's category
    asked_rules = [rule for rule in pack.rules if rule.condition.categories]
    assert asked_rules
    for rule in pack.rules:
        if rule.rule.questions:
            assert rule.condition.categories, f"{rule.id} names no category, so its questions are never asked"
        for question in rule.rule.questions:
            assert question.nl.endswith("?") and question.en.endswith("?"), rule.id
    for rule in asked_rules:
        assert rule.rule.questions, f"{rule.id} names a category but has no follow-up questions"
        for category in rule.condition.categories:
            for lang in ("nl", "en"):
                asked = [
                    f.question
                    for f in follow_ups(pack, category, rule.rule.strategy, lang)
                    if f.rule == rule.id
                ]
                assert asked == [q(lang) for q in rule.rule.questions], (rule.id, category, lang)


def test_an_organisations_own_rule_is_asked_by_its_title(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        """
pack: {name: gemeente-x, version: "1"}
rules:
  - id: refuse-own-depot-chairs
    strategy: refuse
    title: {nl: Stoelen uit het eigen depot, en: Chairs from our own depot}
    message: {nl: Vraag eerst het depot., en: Ask the depot first.}
    when: {category: furniture}
    source: Gemeente X
    examples:
      match: [{title: Stoelen, category: furniture}]
      no_match: [{title: Pennen, category: office-supplies}]
""",
        encoding="utf-8",
    )
    own = load_pack([tmp_path])
    asked = follow_ups(own, "furniture", "refuse", "en")
    assert [(f.rule, f.question) for f in asked] == [
        ("refuse-own-depot-chairs", "Chairs from our own depot — does this apply here?")
    ]


def test_a_question_without_a_scripted_answer_fails_the_test(pack: Pack) -> None:
    with pytest.raises(UnexpectedQuestion, match="description"):
        run_flow(ScriptedPrompter({"title": "Pennen"}), pack, lang="en")


def test_defaults_are_accepted_with_enter(pack: Pack) -> None:
    prompter = ScriptedPrompter({"title": "Relatiegeschenken: 500 pennen met logo"}, lang="nl", strict=False)
    data = run_flow(prompter, pack, lang="nl")
    # the category nami recognises in the text is the default; reason defaults to new
    assert prompter.defaults["category"] == "Relatiegeschenken en promotieartikelen (promotional-items)"
    assert data["category"] == "promotional-items"
    assert data["reason"] == "new"
    assert data["answers"]["refuse"] == {"answer": "unsure"}
    assert data["obstacles"] == []


# -- the whole interview: the file, and nami check on it ----------------------------------------------------


def test_the_written_file_gives_exactly_what_nami_check_gives(
    pack: Pack, tmp_path: Path, run: Callable[..., Any]
) -> None:
    out = tmp_path / "bureaus.yaml"
    outcome = run_interview(ScriptedPrompter(FURNITURE, lang="en"), pack, lang="en", output=out)
    assert outcome.path == out and out.exists()
    checked = run("check", str(out), "--format", "json", "--lang", "en", "--fail-on", "never")
    assert checked.exit_code == 0
    result = json.loads(checked.stdout)["results"][0]
    assert result == outcome.result.model_dump(mode="json")
    assert result["advice"] == "rethink"
    assert [s["verdict"] for s in result["strategies"]] == ["justified", "opportunity", "justified"]


def test_the_file_keeps_the_spec_order_and_reads_back_as_written(pack: Pack, tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    outcome = run_interview(ScriptedPrompter(FURNITURE, lang="nl"), pack, lang="nl", output=out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# nami request file (schema version 1). Check it with: nami check {out}\n")
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == [k for k in KEY_ORDER if k in keys]
    assert "answer: 'yes'" in text and "answer: 'no'" in text
    request, _ = parse_request(text)
    assert request.model_dump(exclude_unset=True, exclude_none=True) == outcome.data


def test_writer_quotes_whatever_would_read_back_as_something_else() -> None:
    import datetime as dt

    data = {
        "title": "yes",
        "id": "0777",
        "unit": "NO",
        "cpv": "39294100",
        "requester": "2026-03-01",
        "description": "regel 1\nregel 2",
        "needed_by": dt.date(2027, 3, 1),
        "quantity": 500.0,
        "unit_price": 2.1,
        "answers": {"refuse": {"answer": "no", "justification": "1e3"}},
    }
    text = dump_request(data)
    request, _ = parse_request(text)
    assert request.title == "yes" and request.id == "0777" and request.unit == "NO"
    assert request.cpv == "39294100" and request.requester == "2026-03-01"
    assert request.description == "regel 1\nregel 2"
    assert request.needed_by == dt.date(2027, 3, 1)
    assert "needed_by: 2027-03-01\n" in text and "quantity: 500\n" in text
    assert request.answers is not None and request.answers.refuse is not None
    assert request.answers.refuse.justification == "1e3"


def test_ctrl_c_writes_nothing(pack: Pack, tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    answers = dict(FURNITURE, **{"reduce.answer": INTERRUPT})
    with pytest.raises(KeyboardInterrupt):
        run_interview(ScriptedPrompter(answers, lang="en"), pack, lang="en", output=out)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_overwritten_only_after_confirmation(pack: Pack, tmp_path: Path) -> None:
    out = tmp_path / "r.yaml"
    out.write_text("old", encoding="utf-8")
    other = tmp_path / "other.yaml"
    answers = dict(FURNITURE, overwrite=False, output=str(other))
    outcome = run_interview(ScriptedPrompter(answers, lang="en"), pack, lang="en", output=out)
    assert out.read_text(encoding="utf-8") == "old"
    assert outcome.path == other and other.exists()

    answers = dict(FURNITURE, overwrite=True)
    prompter = ScriptedPrompter(answers, lang="en")
    run_interview(prompter, pack, lang="en", output=out)
    assert prompter.messages["overwrite"] == f"{out} exists. Overwrite it?"
    assert prompter.defaults["overwrite"] is False
    assert out.read_text(encoding="utf-8").startswith("# nami request file")


def test_without_output_the_file_name_is_asked(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = dict(FURNITURE, output=Each(str(tmp_path / "missing" / "r.yaml"), ENTER))
    prompter = ScriptedPrompter(answers, lang="nl")
    outcome = run_interview(prompter, pack, lang="nl")
    assert prompter.defaults["output"] == "aanvraag.yaml"
    assert prompter.refused[-1][2] == f"Map {str(tmp_path / 'missing')!r} bestaat niet"
    assert outcome.path == Path("aanvraag.yaml") and (tmp_path / "aanvraag.yaml").exists()


# -- starting from an existing file ------------------------------------------------------------------------

START = """\
nami: 1
id: INK-2026-031
title: Bureaus derde verdieping
category: furniture
quantity: 40
unit_price: 650.5
reason: new
requester: Huisvesting
needed_by: 2027-03-01
obstacles: [no-asset-overview]
answers:
  refuse: {answer: yes, justification: "De verdieping wordt weer in gebruik genomen"}
  rethink: {answer: unsure}
"""


def test_with_a_file_only_what_is_missing_is_asked(pack: Pack, tmp_path: Path) -> None:
    source = tmp_path / "start.yaml"
    source.write_text(START, encoding="utf-8")
    answers = {
        "change": [],
        "description": ENTER,
        "cpv": ENTER,
        "unit": "stuks",
        "usage.any": False,
        "rethink.rethink-furniture-reuse-cascade.1": "yes",
        "rethink.rethink-furniture-reuse-cascade.2": ENTER,
        "rethink.rethink-furniture-reuse-cascade.3": ENTER,
        "rethink.rethink-lease-high-value": ENTER,
        "rethink.answer": ENTER,
        "rethink.justification": ENTER,
        "reduce.reduce-quantity-above-users": ENTER,
        "reduce.reduce-furniture-occupancy": ENTER,
        "reduce.answer": "unsure",
        "reduce.justification": ENTER,
        "decision.chosen": ENTER,
        "overwrite": True,
    }
    prompter = ScriptedPrompter(answers, lang="nl")
    outcome = run_interview(prompter, pack, lang="nl", source=source, output=source)
    assert prompter.unused() == {}
    for kept in ("title", "category", "quantity", "unit_price", "reason", "requester", "refuse.answer"):
        assert kept not in prompter.asked
    assert "obstacles.any" not in prompter.asked
    data = outcome.data
    assert data["id"] == "INK-2026-031" and str(data["needed_by"]) == "2027-03-01"
    assert data["unit"] == "stuks"
    assert data["obstacles"] == ["no-asset-overview"]
    assert data["answers"]["refuse"]["justification"] == "De verdieping wordt weer in gebruik genomen"
    assert data["answers"]["rethink"]["answer"] == "no"
    assert outcome.result.strategy("refuse").verdict == "justified"


def test_with_a_file_a_chosen_part_is_asked_again_with_its_values_as_defaults(
    pack: Pack, tmp_path: Path
) -> None:
    source = tmp_path / "start.yaml"
    source.write_text(START, encoding="utf-8")
    answers = {"change": ["item"], "quantity": "30", "usage.any": False}
    prompter = ScriptedPrompter(answers, lang="nl", strict=False)
    data = run_flow(prompter, pack, lang="nl", start=_start(source, pack))
    assert prompter.defaults["title"] == "Bureaus derde verdieping"
    assert prompter.defaults["quantity"] == "40"
    assert prompter.defaults["category"] == "Meubilair (furniture)"
    assert data["quantity"] == 30.0 and data["title"] == "Bureaus derde verdieping"
    assert "refuse.answer" not in prompter.asked


def _start(path: Path, pack: Pack) -> dict[str, Any]:
    from nami_cli.interactive.interview import load_start

    return load_start(path, pack)


def test_an_invalid_start_file_stops_with_exit_3(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: Any
) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("title: Stoelen\ncategory: meubels\n", encoding="utf-8")
    monkeypatch.setattr("nami_cli.commands.interview._is_terminal", lambda: True)
    result = run("interview", str(source), "--lang", "en")
    assert result.exit_code == 3
    assert "unknown category 'meubels'" in result.stderr
    dutch = run("interview", str(source), "--lang", "nl")
    assert "onbekende categorie 'meubels'" in dutch.stderr


# -- the command -------------------------------------------------------------------------------------------


def test_without_a_terminal_it_exits_2_and_points_to_check(run: Callable[..., Any], tmp_path: Path) -> None:
    result = run("interview", "-o", str(tmp_path / "r.yaml"), "--lang", "en", input="")
    assert result.exit_code == 2
    assert "nami interview needs a terminal; use `nami check FILE` for files and scripts" in result.stderr
    dutch = run("interview", "-o", str(tmp_path / "r.yaml"), input="")
    assert "nami interview heeft een terminal nodig" in dutch.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_the_command_wires_the_flow_and_shows_the_check_panel(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nami_cli.interactive.interview.prompter as prompter_module

    scripted = ScriptedPrompter(FURNITURE, lang="en")
    monkeypatch.setattr(prompter_module, "QuestionaryPrompter", lambda lang, console: scripted)
    monkeypatch.setattr("nami_cli.commands.interview._is_terminal", lambda: True)
    out = tmp_path / "r.yaml"
    result = run("interview", "-o", str(out), "--lang", "en", "--color", "never")
    assert result.exit_code == 0, result.stderr
    assert f"nami: wrote {out}; `nami check {out}` gives this same result" in result.stderr
    checked = run("check", str(out), "--lang", "en", "--color", "never", "--fail-on", "never")
    panel = checked.stdout[: checked.stdout.rindex("╯") + 1]
    assert panel in result.stdout
