"""Guards on the shipped knowledge base (rules/): completeness, translations, references, examples."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from nami_cli.api import check_file, check_request
from nami_cli.assess.engine import facts_for
from nami_cli.base.vocab import DIMENSIONS, LEVELS, STRATEGIES
from nami_cli.load.request import Request
from nami_cli.rulepack.evaluate import SCOPE_IDS
from nami_cli.rulepack.pack import Pack, load_pack
from nami_cli.rulepack.selftest import run_examples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "requests"
CPV_LIST = ROOT.parent / "shared" / "data" / "cpv2008_en.json"
REQUIRED_CATEGORIES = {
    "promotional-items",
    "office-supplies",
    "workwear",
    "ict-hardware",
    "mobile-phones",
    "furniture",
    "catering",
    "printing",
    "vehicles",
    "packaging",
    "disposables",
    "events",
}
EXPECTED_ADVICE = {
    "relatiegeschenken.yaml": {"refuse"},
    "wegwerpbekers.yaml": {"rethink"},
    "kantoorartikelen.yaml": {"reduce"},
    "bedrijfskleding.yaml": {"reduce"},
    "laptops-vervanging.yaml": {"rethink", "refuse"},
    "restbudget.yaml": {"refuse"},
    "meubilair.yaml": {"rethink"},
    "verpakkingen.yaml": {"rethink"},
    "onderbouwd.yaml": {None},
}


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def test_required_categories_and_size(pack: Pack) -> None:
    assert set(pack.categories) >= REQUIRED_CATEGORIES
    assert len(pack.rules) >= 30
    for strategy in STRATEGIES:
        assert sum(r.rule.strategy == strategy for r in pack.rules) >= 5, strategy


def test_every_matrix_cell_has_two_obstacles(pack: Pack) -> None:
    for dimension in DIMENSIONS:
        for level in LEVELS:
            cell = [o for o in pack.obstacles.values() if (o.dimension, o.level) == (dimension, level)]
            assert len(cell) >= 2, (dimension, level)


def test_every_obstacle_is_complete_and_addressed(pack: Pack) -> None:
    for obstacle in pack.obstacles.values():
        assert obstacle.example is not None, obstacle.id
        assert pack.interventions_for(obstacle.id), f"no intervention addresses {obstacle.id}"


def test_every_intervention_is_complete(pack: Pack) -> None:
    for intervention in pack.interventions.values():
        assert intervention.first_step is not None, intervention.id
        assert intervention.obstacles, intervention.id


def test_every_text_in_both_languages(pack: Pack) -> None:
    def texts(item: Any) -> list[Any]:
        return [v for v in item.__dict__.values() if isinstance(getattr(v, "nl", None), str)]

    items = [*pack.categories.values(), *pack.obstacles.values(), *pack.interventions.values()]
    items += [r.rule for r in pack.rules]
    for item in items:
        for text in texts(item):
            assert text.nl.strip() and text.en.strip(), item.id
            assert text.nl != text.en or len(text.nl) < 25, f"{item.id}: same text in nl and en"
    for category in pack.categories.values():
        assert category.cpv, category.id
        assert category.keywords.nl and category.keywords.en, category.id


def test_cpv_prefixes_exist_in_the_official_list(pack: Pack) -> None:
    if not CPV_LIST.exists():
        pytest.skip(f"reference list {CPV_LIST} not available outside the development workspace")
    codes = [code.split("-")[0] for code in json.loads(CPV_LIST.read_text())]
    for category in pack.categories.values():
        for prefix in category.cpv:
            assert any(code.startswith(prefix) for code in codes), (category.id, prefix)


def test_every_rule_fires_on_its_own_examples(pack: Pack) -> None:
    failed = [o.describe() for o in run_examples(pack) if not o.passed]
    assert failed == []


def test_no_rule_fires_on_examples_of_unrelated_categories(pack: Pack) -> None:
    examples: list[tuple[str, Request]] = []
    for rule in pack.rules:
        for example in rule.rule.examples.match:
            examples.append((rule.id, Request.model_validate(example)))
    wrong = []
    for rule in pack.rules:
        own = rule.condition.categories
        if not own:
            continue  # a rule for every category (e.g. year-end budget) may fire anywhere
        for source, request in examples:
            facts = facts_for(request, pack)
            if not facts.categories or set(facts.categories) & own:
                continue  # several categories per purchase: a rule of any of them may fire
            if rule.condition.test(facts) is not None:
                wrong.append(f"{rule.id} fires on an example of {source} ({facts.categories})")
    assert wrong == []


def test_rules_test_command_on_shipped_pack(run: Callable[..., Any]) -> None:
    result = run("rules", "test", "--lang", "en")
    assert result.exit_code == 0, result.stdout
    last = result.stdout.strip().splitlines()[-1]
    passed, failed = last.split(", ")
    assert failed == "0 failed" and int(passed.split()[0]) >= 60


def test_rules_validate_shipped_and_example_pack(run: Callable[..., Any]) -> None:
    assert run("rules", "validate").exit_code == 0
    result = run("rules", "validate", str(ROOT / "examples" / "rules"), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    result = run("rules", "test", str(ROOT / "examples" / "rules"), "--lang", "en")
    assert result.exit_code == 0, result.stdout
    assert "2 rules tested" in result.stdout  # only the example pack's own rules


@pytest.mark.parametrize("name", sorted(EXPECTED_ADVICE))
def test_example_requests(
    name: str, pack: Pack, run: Callable[..., Any], result_schema: dict[str, Any]
) -> None:
    path = EXAMPLES / name
    result = check_file(path, pack, lang="en")
    assert result.advice in EXPECTED_ADVICE[name], result.advice
    cli = run("check", "--format", "json", str(path))
    assert cli.exit_code == (0 if result.advice is None else 1)
    document = json.loads(cli.stdout)
    jsonschema.validate(document, result_schema)
    for strategy in document["results"][0]["strategies"]:
        for finding in strategy["findings"]:
            assert finding["line"] is not None, finding
    if name == "onderbouwd.yaml":
        assert {s.verdict for s in result.strategies} == {"justified"}


def test_every_example_is_listed() -> None:
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == set(EXPECTED_ADVICE)


# -- recognition content of the shipped pack: scope, signals, guards, sources, rungs ------------------------

REQUIRED_SCOPE = set(SCOPE_IDS)  # the contract of issue 10, owned by the evaluator
RUNGS = {f"R{n}" for n in range(10)}


def test_every_required_scope_entry_with_examples(pack: Pack) -> None:
    assert set(pack.scope) >= REQUIRED_SCOPE
    for entry in pack.scope.values():
        assert entry.keywords is not None and entry.keywords.nl and entry.keywords.en, entry.id
        assert entry.reason.nl.strip() and entry.reason.en.strip(), entry.id
        assert entry.examples.match and entry.examples.no_match, entry.id


def test_signals_of_the_contract_are_shipped(pack: Pack) -> None:
    assert {
        "budget-left",
        "year-end",
        "replacement-on-age",
        "fixed-replacement-cycle",
        "still-working",
        "worn",
        "broken",
        "stock-cover",
        "per-person",
    } <= set(pack.signals)
    for signal in pack.signals.values():
        assert signal.phrases.nl and signal.phrases.en, signal.id
        assert signal.examples.match and signal.examples.no_match, signal.id


def test_scope_cpv_prefixes_exist_in_the_official_list(pack: Pack) -> None:
    if not CPV_LIST.exists():
        pytest.skip(f"reference list {CPV_LIST} not available outside the development workspace")
    codes = [code.split("-")[0] for code in json.loads(CPV_LIST.read_text())]
    for entry in pack.scope.values():
        for prefix in entry.cpv:
            assert any(code.startswith(prefix) for code in codes), (entry.id, prefix)


def test_every_rule_has_a_rung_and_structured_sources(pack: Pack) -> None:
    for rule in pack.rules:
        assert rule.rule.rung in RUNGS, rule.id
    items = [*pack.obstacles.values(), *pack.interventions.values(), *(r.rule for r in pack.rules)]
    for item in items:
        assert isinstance(item.source, list) and item.source, f"{item.id}: source must be a list of sources"
        for source in item.source:
            assert len(source.title) > 5, item.id
            assert source.url is None or source.url.startswith(("https://", "http://")), item.id


@pytest.mark.parametrize(
    ("title", "scope"),
    [
        ("Vehicle Excise Licences", "taxes-and-levies"),
        ("Motorrijtuigenbelasting dienstauto's", "taxes-and-levies"),
        ("Furniture Removals", "travel-and-transport"),
        ("Server maintenance", "repairs-and-maintenance"),
        ("Computer software", "software-and-hosting"),
        ("Uniform planning software annual licence", "software-and-hosting"),
        ("Plant hire", "hire-and-lease"),
        ("Telephone Rental and Calls", "telecom-services"),
        ("Agency staff", "pay-and-temporary-staff"),
        ("NNDR business rates", "taxes-and-levies"),
        ("Care home placement", "care-and-social-services"),
        ("Audit fee", "professional-services"),
        ("Highways works", "works"),
    ],
)
def test_look_alikes_are_no_goods_purchase(pack: Pack, title: str, scope: str) -> None:
    result = check_request({"title": title}, pack)
    assert result.scope.goods is False and result.scope.id == scope, (title, result.scope)
    assert result.advice is None


@pytest.mark.parametrize(
    ("title", "category"),
    [
        ("Retractable ball pen", "office-supplies"),
        ("Notebooks with logo for the visitors", "promotional-items"),
        ("A5 notebooks, lined", "office-supplies"),
        ("Notebook computers for the new team", "ict-hardware"),
        ("Office chairs for the council chamber", "furniture"),
        ("Koffiebekers voor de pantry", "disposables"),
        ("Trapladder voor de buitendienst", "tools-and-equipment"),
        ("Kamerplanten voor de receptie", "plants-and-decoration"),
    ],
)
def test_goods_keep_their_category(pack: Pack, title: str, category: str) -> None:
    result = check_request({"title": title}, pack)
    assert result.scope.goods is True
    assert result.category is not None and result.category.id == category, (title, result.category)


@pytest.mark.parametrize(
    "title",
    [
        "Telephone Rental and Calls",
        "Retractable ball pen",
        "R-ladder training",
        "Bekers en medailles toernooi",
    ],
)
def test_homonyms_do_not_reach_their_goods_category(pack: Pack, title: str) -> None:
    result = check_request({"title": title}, pack)
    ids = {c.id for c in result.categories}
    assert not ids & {"mobile-phones", "furniture", "tools-and-equipment", "disposables"}, (title, ids)


def test_signals_in_free_text_drive_the_rules(pack: Pack) -> None:
    request = {
        "title": "Vervanging koffieautomaten",
        "description": "De automaten zijn afgeschreven, maar werken nog goed.",
    }
    result = check_request(request, pack)
    assert {s.id for s in result.signals} >= {"replacement", "replacement-on-age", "still-working"}
    assert result.strategy("refuse").verdict == "opportunity"
    budget = check_request(
        {"title": "Extra headsets", "description": "Er is nog budget over dit jaar."}, pack
    )
    fired = {f.rule for s in budget.strategies for f in s.findings}
    assert "refuse-budget-remaining" in fired
