"""The buyer's decision: the ``decision:`` block of a request, its checks, the reports, the interview."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from scripted_prompter import ENTER, Each, ScriptedPrompter

from nami_cli.api import check_request, load_pack
from nami_cli.assess.document import build_report
from nami_cli.interactive.interview import run_interview
from nami_cli.load.request import parse_request
from nami_cli.render import RenderOptions
from nami_cli.render import html as html_render
from nami_cli.render import markdown as md_render
from nami_cli.rulepack.pack import Pack

LAPTOPS = """\
id: INK-9
title: Vervanging laptops
category: ict-hardware
quantity: 150
unit: stuks
unit_price: 1000
reason: replacement
replaces: {age_years: 4, condition: working, trigger: age}
"""

DECISION = """\
decision:
  chosen: Minder inkopen
  quantity: 40
  decided_by: {name: "A. de Vries", role: budgethouder}
  date: 2026-11-3
  reasoning: Alleen de toestellen met klachten worden vervangen.
"""


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


@pytest.mark.parametrize(
    ("written", "chosen"),
    [
        ("niet", "refuse"),
        ("Anders inkopen", "rethink"),
        ("MINDER", "reduce"),
        ("zoals gevraagd", "buy-as-requested"),
        ("buy as requested", "buy-as-requested"),
        ("buy_as_requested", "buy-as-requested"),
        ("refuse", "refuse"),
    ],
)
def test_the_choice_is_read_in_dutch_and_english(written: str, chosen: str) -> None:
    request, _ = parse_request(f"title: x\ndecision: {{chosen: {written}}}\n")
    assert request.decision is not None and request.decision.chosen == chosen


def test_a_loose_date_is_read_as_meant() -> None:
    request, _ = parse_request(LAPTOPS + DECISION)
    assert request.decision is not None
    assert request.decision.date is not None and request.decision.date.isoformat() == "2026-11-03"
    assert request.decision.decided_by is not None and request.decision.decided_by.role == "budgethouder"


@pytest.mark.parametrize(
    ("block", "where", "words"),
    [
        ("decision:\n  chosen: misschien\n", "3:11", "decision.chosen: 'misschien' is not a decision"),
        ("decision:\n  chosen: mindr\n", "3:11", "did you mean 'minder'?"),
        ("decision:\n  chosen: niet\n  besluit: ja\n", "4:3", "unknown key"),
        ("decision:\n  reasoning: omdat\n", "3:3", "decision.chosen: is required"),
        ("decision:\n  chosen: minder\n  quantity: -3\n", "4:13", "decision.quantity"),
        ("decision:\n  chosen: niet\n  date: 2026-2-30\n", "4:9", "not a day in the calendar"),
        ("decision:\n  chosen: niet\n  decided_by: {role: inkoper}\n", "4:15", "decided_by.name"),
    ],
)
def test_a_bad_decision_is_refused_with_its_position(
    run: Callable[..., Any], write: Callable[..., Path], block: str, where: str, words: str
) -> None:
    path = write("r.yaml", "title: x\n" + block)
    result = run("check", str(path), "--lang", "en")
    assert result.exit_code == 3
    assert f"r.yaml:{where}:" in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def _result(pack: Pack, text: str, lang: str = "nl") -> Any:
    request, doc = parse_request(text, file="r.yaml")
    from nami_cli.assess.engine import assess

    return assess(request, pack, lang=lang, file="r.yaml", doc=doc)


def test_the_decision_is_in_the_result_with_its_position(pack: Pack) -> None:
    result = _result(pack, LAPTOPS + DECISION)
    decision = result.decision
    assert decision is not None
    assert (decision.chosen, decision.quantity, decision.date) == ("reduce", 40, "2026-11-03")
    assert decision.decided_by.name == "A. de Vries"
    assert (decision.line, decision.column) == (9, 1)
    assert decision.warnings == []  # reduce while refuse and rethink are opportunities: a choice, no conflict


def test_buying_as_requested_against_an_opportunity_is_shown_not_refused(pack: Pack) -> None:
    result = _result(pack, LAPTOPS + "decision: {chosen: zoals gevraagd}\n", lang="en")
    assert [w.id for w in result.decision.warnings] == ["buy-despite-opportunity"]
    assert "refuse and rethink" in result.decision.warnings[0].message
    # the same choice on a fully justified request contradicts nothing
    justified = check_request(
        {
            "title": "Bakfietsen",
            "answers": {
                s: {"answer": "yes", "justification": "gedeeld en nodig"}
                for s in ("refuse", "rethink", "reduce")
            },
            "decision": {"chosen": "buy-as-requested"},
        },
        pack,
    )
    assert justified.decision is not None and justified.decision.warnings == []


def test_a_choice_against_the_buyers_own_answer_and_a_quantity_that_is_no_reduction(pack: Pack) -> None:
    text = LAPTOPS + (
        "answers:\n  refuse: {answer: yes, justification: nodig voor het werk}\ndecision: {chosen: niet}\n"
    )
    assert [w.id for w in _result(pack, text).decision.warnings] == ["against-own-answer"]
    more = _result(pack, LAPTOPS + "decision: {chosen: minder, quantity: 150}\n", lang="en")
    assert [w.id for w in more.decision.warnings] == ["quantity-not-reduced"]
    assert "(150)" in more.decision.warnings[0].message


def test_nami_check_shows_the_decision_and_its_contradiction(
    run: Callable[..., Any], write: Callable[..., Path]
) -> None:
    path = write("r.yaml", LAPTOPS + "decision:\n  chosen: zoals gevraagd\n  decided_by: {name: Piet}\n")
    result = run("check", "--fail-on", "never", str(path))
    assert result.exit_code == 0
    assert "Besluit: Inkopen zoals gevraagd — door Piet" in result.stdout
    assert "⚠ Let op: Inkopen zoals gevraagd, terwijl er zonder onderbouwing een kans is" in result.stdout
    plain = run("check", "--fail-on", "never", "--lang", "en", str(write("p.yaml", "title: Pennen\n")))
    assert "Decision: no decision yet" in plain.stdout


def test_reports_give_the_decision_its_own_block(pack: Pack) -> None:
    text = LAPTOPS + DECISION.replace("Minder inkopen", "zoals gevraagd").replace("  quantity: 40\n", "")
    report = build_report([_result(pack, text)], pack, "nl")
    html = html_render.render(report, RenderOptions(lang="nl"))
    block = html.split('<section class="decision', 1)[1].split("</section>", 1)[0]
    assert "<strong>Inkopen zoals gevraagd</strong>" in block
    assert "A. de Vries" in block and "budgethouder" in block and "2026-11-03" in block
    assert "Alleen de toestellen met klachten worden vervangen." in block
    assert '<div class="conflict" role="note">' in block and "Dit besluit wijkt af van de oordelen" in block
    assert "Handtekening" in block
    md = md_render.render(report, RenderOptions(lang="nl"))
    section = md.split("### Besluit\n", 1)[1].split("\n## ", 1)[0]
    assert "> **⚠ Dit besluit wijkt af van de oordelen:**" in section
    assert "- **Gekozen:** Inkopen zoals gevraagd" in section
    assert "- **Naam:** A. de Vries" in section and "- **Functie:** budgethouder" in section
    assert "- **Handtekening:** ______" in section


def test_without_a_decision_the_reports_have_a_blank_block_to_fill_in_and_sign(pack: Pack) -> None:
    report = build_report([_result(pack, LAPTOPS, lang="en")], pack, "en")
    html = html_render.render(report, RenderOptions(lang="en"))
    block = html.split('<section class="decision blank">', 1)[1].split("</section>", 1)[0]
    assert "No decision recorded yet: fill in and sign." in block
    for label in ("Refuse", "Rethink", "Reduce", "Buy as requested", "Name", "Role", "Date", "Signature"):
        assert label in block
    assert block.count('<span class="fill"></span>') >= 7
    md = md_render.render(report, RenderOptions(lang="en"))
    section = md.split("### Decision\n", 1)[1]
    assert "- **Chosen:** ☐ Refuse ☐ Rethink ☐ Reduce ☐ Buy as requested" in section
    for label in ("Name", "Role", "Date", "Signature"):
        assert f"- **{label}:** ______" in section


def test_json_summary_totals_per_advice_and_per_decision(
    run: Callable[..., Any], write: Callable[..., Path], result_schema: dict[str, Any]
) -> None:
    a = write("a.yaml", LAPTOPS + DECISION)
    b = write("b.yaml", "title: Pennen met logo\nquantity: 100\nunit_price: 2\n")
    c = write("c.yaml", "title: Bureaustoelen\ndecision: {chosen: zoals gevraagd}\n")
    result = run("check", "--format", "json", "--fail-on", "never", str(a), str(b), str(c))
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, result_schema)
    summary = doc["summary"]
    assert summary["total"] == {"requests": 3, "value": 150200.0, "without_value": 1}
    assert summary["by_decision"]["reduce"] == {"requests": 1, "value": 150000.0, "without_value": 0}
    assert summary["by_decision"]["buy-as-requested"] == {"requests": 1, "value": 0.0, "without_value": 1}
    assert summary["by_decision"]["undecided"]["value"] == 200.0
    assert summary["by_advice"]["refuse"]["requests"] == 2
    assert sum(t["requests"] for t in summary["by_advice"].values()) == 3
    assert summary["open_questions"] == sum(
        s["verdict"] == "open" for r in doc["results"] for s in r["strategies"]
    )
    assert doc["results"][0]["decision"]["chosen"] == "reduce"
    assert doc["results"][1]["decision"] is None


ROUND_TRIP = {
    "title": "Vervanging laptops",
    "description": "150 laptops, afgeschreven, werken nog",
    "category": "ict-hardware",
    "cpv": ENTER,
    "quantity": "150",
    "unit": "stuks",
    "unit_price": "1000",
    "reason": "replacement",
    "requester": ENTER,
    "replaces.age_years": "4",
    "replaces.condition": "working",
    "replaces.trigger": "age",
    "usage.any": False,
    "refuse.answer": "unsure",
    "refuse.justification": ENTER,
    "rethink.answer": "unsure",
    "rethink.justification": ENTER,
    "reduce.answer": "no",
    "reduce.justification": "Alleen toestellen met klachten",
    "obstacles.any": False,
    "decision.chosen": "reduce",
    "decision.quantity": Each("nul", "40"),  # text is refused, as a person would type again
    "decision.decided_by.name": "A. de Vries",
    "decision.decided_by.role": "budgethouder",
    "decision.date": Each("30-11-2026", "2026-11-30"),
    "decision.reasoning": "Alleen de toestellen met klachten worden vervangen",
}


def test_interview_file_check_and_report_show_the_same_decision(
    pack: Pack, tmp_path: Path, run: Callable[..., Any]
) -> None:
    prompter = ScriptedPrompter(ROUND_TRIP, lang="nl", strict=False)  # follow-ups: their defaults
    out = tmp_path / "laptops.yaml"
    outcome = run_interview(prompter, pack, lang="nl", output=out)
    assert (
        "decision.date",
        "30-11-2026",
        "Schrijf de datum als JJJJ-MM-DD, bijv. 2026-11-30",
    ) in prompter.refused
    assert [name for name, _, _ in prompter.refused] == ["decision.quantity", "decision.date"]
    assert prompter.unused() == {}
    text = out.read_text(encoding="utf-8")
    assert "decision:\n  chosen: reduce\n  quantity: 40\n  decided_by:\n    name: A. de Vries\n" in text
    assert "  date: 2026-11-30\n" in text
    assert outcome.result.decision is not None and outcome.result.decision.chosen == "reduce"
    # nami check on the written file: the same decision in JSON, text, Markdown and HTML
    checked = json.loads(run("check", "--format", "json", "--fail-on", "never", str(out)).stdout)
    decision = checked["results"][0]["decision"]
    assert decision == outcome.result.decision.model_dump(mode="json")
    assert (decision["chosen"], decision["quantity"], decision["date"]) == ("reduce", 40, "2026-11-30")
    assert decision["decided_by"] == {"name": "A. de Vries", "role": "budgethouder"}
    assert decision["reasoning"] == "Alleen de toestellen met klachten worden vervangen"
    shown = run("check", "--fail-on", "never", str(out)).stdout
    assert "Besluit: Minder inkopen (nieuwe hoeveelheid: 40 stuks) — door A. de Vries, budgethouder," in shown
    md = run("check", "--format", "markdown", "--fail-on", "never", str(out)).stdout
    assert "- **Gekozen:** Minder inkopen\n- **Nieuwe hoeveelheid:** 40 stuks\n" in md
    assert "- **Naam:** A. de Vries\n- **Functie:** budgethouder\n- **Datum:** 2026-11-30\n" in md
    html = run("check", "--format", "html", "--fail-on", "never", str(out)).stdout
    assert "<dt>Gekozen</dt><dd><strong>Minder inkopen</strong></dd>" in html
    assert "<dd>Alleen de toestellen met klachten worden vervangen</dd>" in html


def test_the_interview_skips_the_decision_on_enter_and_keeps_one_when_starting_from_a_file(
    pack: Pack, tmp_path: Path
) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(LAPTOPS + DECISION, encoding="utf-8")
    prompter = ScriptedPrompter({"change": ["decision"], "decision.chosen": ENTER}, lang="nl", strict=False)
    outcome = run_interview(prompter, pack, lang="nl", source=source, output=tmp_path / "out.yaml")
    # the default of every question is what the file said: Enter keeps the decision as it was
    assert prompter.defaults["decision.chosen"] == "reduce"
    assert prompter.defaults["decision.decided_by.name"] == "A. de Vries"
    assert outcome.data["decision"]["quantity"] == 40
    later = ScriptedPrompter({"change": ["decision"], "decision.chosen": "later"}, lang="nl", strict=False)
    outcome = run_interview(later, pack, lang="nl", source=source, output=tmp_path / "later.yaml")
    assert "decision" not in outcome.data
    assert "decision" not in (tmp_path / "later.yaml").read_text(encoding="utf-8")
