"""The engine on a small self-contained pack: classification, conditions, verdicts, locations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.api import check_request, load_pack
from nami_cli.assess.engine import decide
from nami_cli.base.errors import NamiError
from nami_cli.load.request import Answer, parse_request
from nami_cli.rulepack.pack import Pack


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(Path(__file__).parents[1] / "data" / "pack", shipped=False)


def test_classify_by_field_cpv_and_keywords(pack: Pack) -> None:
    assert check_request({"title": "x", "category": "furniture"}, pack).category.via == "category"  # type: ignore[union-attr]
    by_cpv = check_request({"title": "x", "cpv": "39294100-0"}, pack).category
    assert by_cpv is not None and (by_cpv.id, by_cpv.via, by_cpv.matched) == (
        "promotional-items",
        "cpv",
        "39294100",
    )
    longest = check_request({"title": "x", "cpv": "30192700"}, pack).category
    assert longest is not None and longest.id == "office-supplies"
    by_word = check_request({"title": "Nieuwe bureaustoelen", "description": "meubilair"}, pack).category
    assert by_word is not None and by_word.id == "furniture"
    assert check_request({"title": "Onderhoud lift"}, pack).category is None


def test_title_weighs_more_than_description(pack: Pack) -> None:
    result = check_request({"title": "Stoelen", "description": "met pen en relatiegeschenk"}, pack)
    assert result.category is not None and result.category.id == "promotional-items"
    result = check_request({"title": "Bureaustoelen", "description": "relatiegeschenk"}, pack)
    assert result.category is not None and result.category.id == "furniture"


@pytest.mark.parametrize(
    ("answer", "findings", "verdict"),
    [
        (None, False, "open"),
        (None, True, "opportunity"),
        ({"answer": "no"}, False, "opportunity"),
        ({"answer": "no", "justification": "we hebben er genoeg"}, False, "opportunity"),
        ({"answer": "yes"}, True, "opportunity"),
        ({"answer": "yes"}, False, "open"),
        ({"answer": "yes", "justification": "  "}, False, "open"),
        ({"answer": "yes", "justification": "wettelijk verplicht"}, True, "justified"),
        ({"answer": "unsure", "justification": "weet niet"}, False, "open"),
    ],
)
def test_verdicts(answer: dict[str, Any] | None, findings: bool, verdict: str) -> None:
    assert decide(findings, Answer.model_validate(answer) if answer else None) == verdict


def test_findings_evidence_message_and_location(pack: Pack) -> None:
    text = "id: X-1\ntitle: Pennen met logo\nquantity: 500\ncategory: promotional-items\n"
    request, doc = parse_request(text, file="r.yaml")
    from nami_cli.assess.engine import assess

    result = assess(request, pack, lang="en", file="r.yaml", doc=doc)
    assert result.advice == "refuse"
    refuse = result.strategy("refuse")
    assert refuse.verdict == "opportunity"
    (finding,) = refuse.findings
    assert finding.rule == "refuse-promo"
    assert finding.message == "Promotional items (500) are rarely needed."
    assert finding.evidence == {"category": "promotional-items"}
    assert (finding.line, finding.column) == (4, 11)
    assert [o.id for o in result.obstacles] == ["habit"]
    assert result.obstacles[0].rules == ["refuse-promo"]
    assert result.obstacles[0].interventions == ["policy"]
    assert [i.id for i in result.interventions] == ["policy"]
    assert result.interventions[0].first_step == "Write a memo."


def test_keyword_finding_points_at_the_text(pack: Pack) -> None:
    from nami_cli.assess.engine import assess

    request, doc = parse_request("title: Stoelen\ndescription: restbudget opmaken\n", file="r.yaml")
    finding = assess(request, pack, doc=doc).strategy("refuse").findings[0]
    assert finding.evidence == {"description": "restbudget"}
    assert (finding.line, finding.column) == (2, 14)


def test_derived_fields_and_dutch_numbers_in_messages(pack: Pack) -> None:
    result = check_request(
        {"title": "Schriften", "category": "office-supplies", "usage": {"stock": 300, "annual_use": 200}},
        pack,
    )
    finding = result.strategy("reduce").findings[0]
    assert finding.message == "De voorraad dekt 1,5 jaar."
    assert finding.evidence == {"category": "office-supplies", "stock_years": 1.5}
    assert result.advice == "reduce"


def test_field_against_field(pack: Pack) -> None:
    hit = check_request({"title": "Stoelen", "quantity": 12, "usage": {"users": 10}}, pack)
    assert [f.rule for f in hit.strategy("reduce").findings] == ["reduce-per-user"]
    miss = check_request({"title": "Stoelen", "quantity": 12}, pack)
    assert miss.strategy("reduce").findings == []


def test_justified_findings_are_acknowledged(pack: Pack) -> None:
    result = check_request(
        {
            "title": "Pennen",
            "category": "promotional-items",
            "answers": {"refuse": {"answer": "yes", "justification": "contractueel toegezegd aan sponsor"}},
        },
        pack,
    )
    refuse = result.strategy("refuse")
    assert refuse.verdict == "justified"
    assert refuse.findings and all(f.acknowledged for f in refuse.findings)
    assert result.advice is None


def test_unknown_category_and_obstacle_name_the_valid_ones(pack: Pack) -> None:
    with pytest.raises(NamiError) as info:
        parse_and_check("title: x\ncategory: pens\nobstacles: [habit, nope]\n", pack)
    messages = [str(p) for p in info.value.problems]
    assert messages[0].startswith("r.yaml:2:11: category: unknown category 'pens'; valid categories: ")
    assert "office-supplies" in messages[0]
    assert messages[1].startswith("r.yaml:3:20: obstacles[1]: unknown obstacle 'nope'")


def parse_and_check(text: str, pack: Pack) -> Any:
    from nami_cli.assess.engine import assess

    request, doc = parse_request(text, file="r.yaml")
    return assess(request, pack, doc=doc, file="r.yaml")


def test_expected_obstacles_from_the_request(pack: Pack) -> None:
    result = parse_and_check("title: Onderhoud\nobstacles: [annual-budget]\n", pack)
    (ob,) = result.obstacles
    assert ob.id == "annual-budget" and ob.expected and ob.rules == []
    assert [i.id for i in result.interventions] == ["policy"]


def test_deterministic(pack: Pack, write: Callable[..., Path]) -> None:
    data = {"title": "500 pennen", "reason": "budget-remaining", "quantity": 5, "usage": {"users": 2}}
    first = check_request(data, pack).model_dump()
    assert all(check_request(data, pack).model_dump() == first for _ in range(3))
