"""Recognition mechanisms on a small test pack (tests/data/recognition): context guards, English whole
words, Dutch compounds and diminutives, homonyms, scope, signals, several categories, focused
interventions, sources and exact money in the screening summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.api import check_file, check_request
from nami_cli.assess.result import RequestResult
from nami_cli.assess.screening import NAMI_COLUMNS, Screener, screen_rows
from nami_cli.assess.summary import ScreenTally
from nami_cli.base.errors import NamiError
from nami_cli.rulepack.pack import Pack, load_pack

PACK = Path(__file__).parents[1] / "data" / "recognition"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack([PACK], shipped=False)


def check(pack: Pack, **request: Any) -> RequestResult:
    return check_request(request, pack, lang="en")


def cats(result: RequestResult) -> list[str]:
    return [c.id for c in result.categories]


def fired(result: RequestResult) -> list[str]:
    return sorted(f.rule for s in result.strategies for f in s.findings)


def test_guards_cancel_a_category_and_the_scope_takes_over(pack: Pack) -> None:
    result = check(pack, title="Vehicle Excise Licences")
    assert cats(result) == [] and result.category is None
    assert result.scope.goods is False and result.scope.id == "taxes-and-levies"
    assert result.scope.reason == "A tax is no purchase of goods."
    assert [e.words for e in result.scope.evidence] == ["Excise"]
    assert result.advice is None and fired(result) == []
    cars = check(pack, title="Twee dienstauto's")
    assert cats(cars) == ["vehicles"] and cars.scope.goods is True
    assert fired(cars) == ["rethink-vehicles"]


def test_a_guard_works_per_field(pack: Pack) -> None:
    """A guard in the description does not cancel the category's evidence in the title."""
    result = check(pack, title="Nieuwe bestelbus", description="inclusief brandstof voor een maand")
    assert cats(result) == ["vehicles"]
    assert [(e.field, e.words) for e in result.categories[0].evidence] == [("title", "bestelbus")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Telephone line rental", []),
        ("Mobile phones for staff", ["phones"]),
        ("Retractable ball pen", []),
        ("Folding tables", ["furniture"]),
        ("Paper cups", ["disposables"]),
    ],
)
def test_english_keywords_match_whole_words_only(pack: Pack, title: str, expected: list[str]) -> None:
    assert cats(check(pack, title=title)) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Koffiebekertjes voor de automaat", ["disposables"]),
        ("Bureaustoelen", ["furniture"]),
        ("Mobiele telefoons", ["phones"]),
        ("Verhuisdozen", ["packaging"]),
        ("Meubelstukken", ["furniture"]),
    ],
)
def test_dutch_keywords_match_compounds_plurals_and_diminutives(
    pack: Pack, title: str, expected: list[str]
) -> None:
    assert cats(check(pack, title=title)) == expected


def test_homonyms_are_cancelled_by_their_unless_words(pack: Pack) -> None:
    assert cats(check(pack, title="Plants for the office")) == ["plants"]
    hire = check(pack, title="Plant hire for the depot")
    assert cats(hire) == [] and hire.scope.id == "hire"
    assert cats(check(pack, title="Power plant maintenance")) == []
    assert cats(check(pack, title="Bekers voor de kantine")) == ["disposables"]
    assert cats(check(pack, title="Bekers als sportprijs")) == []


def test_scope_and_the_category_field(pack: Pack) -> None:
    removals = check(pack, title="Furniture Removals")
    assert removals.scope.goods is False and removals.scope.id == "moving-services"
    assert removals.advice is None and removals.interventions == []
    by_cpv = check(pack, title="Diensten", cpv="60100000")
    assert by_cpv.scope.id == "moving-services"
    assert [(e.field, e.words) for e in by_cpv.scope.evidence] == [("cpv", "6010")]
    # the buyer's own category field decides: a goods purchase, the only category
    named = check(pack, title="Motorrijtuigenbelasting en nieuwe bureaus", category="vehicles")
    assert named.scope.goods is True and cats(named) == ["vehicles"]


def test_stronger_category_evidence_beats_a_scope_word(pack: Pack) -> None:
    result = check(pack, title="Bureaus en stoelen", description="na de verhuizing van de afdeling")
    assert result.scope.goods is True
    assert cats(result) == ["furniture"]


def test_several_categories_each_with_evidence_and_rules(pack: Pack) -> None:
    result = check(pack, title="Verhuisdozen en nieuwe bureaus", description="plus twee bestelbussen")
    assert cats(result) == ["furniture", "packaging", "vehicles"]  # equal scores: pack order
    assert result.category is not None and result.category.id == "furniture"
    scores = [c.score for c in result.categories]
    assert scores == sorted(scores, reverse=True) and scores[-1] == 1.0
    furniture = result.categories[0]
    assert [(e.field, e.line, e.column, e.words) for e in furniture.evidence] == [("title", 1, 24, "bureaus")]
    assert fired(result) == ["reduce-furniture", "rethink-vehicles"]


def test_a_longer_match_wins_over_a_shorter_one_inside_it(pack: Pack) -> None:
    assert cats(check(pack, title="Paper cup holders")) == ["disposables"]


def test_signals_with_numbers_positions_and_precedence(pack: Pack, tmp_path: Path) -> None:
    result = check(pack, title="Bekers", description="We hebben nog voor twee jaar op voorraad")
    (signal,) = result.signals
    assert (signal.id, signal.field, signal.line, signal.column) == ("stock-cover", "description", 1, 11)
    assert signal.sets == {"stock_years": 2} and signal.applied
    assert fired(result) == ["reduce-stock"]
    assert "2 years" in result.strategy("reduce").findings[0].message
    # a structured field takes precedence over the phrase
    broken = check(pack, title="Telefoons", description="werken nog goed", replaces={"condition": "broken"})
    assert [s.id for s in broken.signals] == ["still-working"] and not broken.signals[0].applied
    assert fired(broken) == []
    # the position of a phrase in a request file
    path = tmp_path / "request.yaml"
    path.write_text("title: Bureaus\ndescription: Er is nog budget over\n", encoding="utf-8")
    in_file = check_file(path, pack, lang="en")
    assert [(s.id, s.line, s.column) for s in in_file.signals] == [("budget-left", 2, 20)]
    assert fired(in_file) == ["reduce-furniture", "refuse-budget-left"]


def test_a_signal_condition_and_a_signal_without_fields(pack: Pack) -> None:
    result = check(pack, title="Bekers voor elke medewerker")
    assert [s.id for s in result.signals] == ["per-person"]
    assert "reduce-per-person" in fired(result)


def test_interventions_are_focused_ranked_and_sourced(pack: Pack) -> None:
    result = check(pack, title="Twee dienstauto's", description="Er is nog budget over")
    # equal scores: the order of the rules (refuse before rethink)
    assert [(i.rank, i.id) for i in result.interventions] == [(1, "budget-policy"), (2, "pool-vehicles")]
    assert "measure-use" not in [i.id for i in result.interventions]  # no fired rule of reduce
    assert "no-usage-data" in [o.id for o in result.obstacles]
    with_usage = check(pack, title="Twee dienstauto's", usage={"annual_use": 2})
    assert "no-usage-data" not in [o.id for o in with_usage.obstacles]  # disproved by the request
    finding = result.strategy("refuse").findings[0]
    assert finding.rung == "R0"
    assert [(s.title, s.year, s.url) for s in finding.sources] == [("A made-up rule source", 2025, None)]
    legacy = result.strategy("rethink").findings[0]
    assert [s.title for s in legacy.sources] == ["test"] and legacy.rung == "R1"


def test_default_rung_is_the_strategys(pack: Pack) -> None:
    rule = pack.rule("reduce-stock")
    assert rule is not None and rule.rule.rung is None and rule.rule.effective_rung == "R2"


def test_screening_columns_scope_summary_and_exact_money(pack: Pack) -> None:
    rows = [
        {"Omschrijving": "Vehicle Excise Licences", "Bedrag": "0.10"},
        {"Omschrijving": "Verhuisdozen en nieuwe bureaus", "Bedrag": "0.20"},
        {"Omschrijving": "Motorrijtuigenbelasting", "Bedrag": "0.10"},
    ] * 3000
    summary = ScreenTally(file="<rows>")
    for item in screen_rows(rows, pack):
        summary.add(item.row, item.outcome, item.amount, "")
    first = list(screen_rows(rows[:2], pack))
    assert first[0].as_dict()["nami_scope"] == "taxes-and-levies"
    assert first[1].as_dict()["nami_categories"] == "furniture;packaging"
    assert "nami_categories" in NAMI_COLUMNS and "nami_scope" in NAMI_COLUMNS
    data = summary.summary(pack, "en").model_dump()
    assert data["spend_total"] == 1200.0  # 9,000 rows of 0.10 or 0.20: exact, no float drift
    assert sum(data["spend_per_advice"].values()) == data["spend_total"]
    scope = data["spend_per_scope"]["taxes-and-levies"]
    assert scope["rows"] == 6000 and scope["spend"] == 600.0
    assert scope["reason"] == "A tax is no purchase of goods."
    assert data["rows_out_of_scope"] == 6000


def test_money_totals_reconcile_at_any_size() -> None:
    summary = ScreenTally(file="x")
    for _ in range(100_000):
        summary.add(2, None, 0.1)
    assert summary.spend_cents == 1_000_000 and summary.spend_total == 10_000.0
    assert summary.totals()["spend_per_advice"]["error"] == summary.spend_cents


def test_screen_and_check_agree_on_the_test_pack(pack: Pack) -> None:
    screener = Screener(pack)
    texts = [
        "Vehicle Excise Licences",
        "Verhuisdozen en nieuwe bureaus",
        "Bekers voor elke medewerker",
        "Plant hire",
        "Bekers, nog voor drie jaar op voorraad",
        "Er is nog budget over voor telefoons",
    ]
    for text in texts:
        expected = check(pack, title=text, quantity=5)
        outcome = screener.screen({"title": text, "quantity": 5})
        assert list(outcome.categories) == cats(expected), text
        assert outcome.scope == expected.scope.id, text
        assert sorted(outcome.rules) == fired(expected), text
        assert outcome.verdicts == tuple(s.verdict for s in expected.strategies), text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("when: {signal: per-person}", "when: {signal: per-persoon}", "unknown signal 'per-persoon'"),
        ("sets: {reason: budget-remaining}", "sets: {colour: red}", "a signal cannot set 'colour'"),
        ("sets: {reason: budget-remaining}", "sets: {reason: soon}", "sets a value the field does not take"),
        ('    cpv: ["6010"]\n', "", None),
    ],
)
def test_broken_signals_and_scope_are_located(
    tmp_path: Path, old: str, new: str, expected: str | None
) -> None:
    import shutil

    target = tmp_path / "pack"
    shutil.copytree(PACK, target)
    for path in target.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            break
    else:
        raise AssertionError(old)
    if expected is None:
        load_pack([target], shipped=False)  # cpv is optional when keywords are given
        return
    with pytest.raises(NamiError) as info:
        load_pack([target], shipped=False)
    messages = [str(p) for p in info.value.problems]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(str(target)) and m.split(":")[1].isdigit() for m in messages), messages


def test_rules_test_runs_scope_and_signal_examples(run: Callable[..., Any], tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "pack"
    shutil.copytree(PACK, target)
    ok = run("rules", "test", str(target), "--lang", "en")
    assert ok.exit_code == 0, ok.stdout
    scope = target / "scope.yaml"
    text = scope.read_text().replace("no_match: [{title: Bureaustoelen}]", "no_match: [{title: Verhuizing}]")
    scope.write_text(text)
    failed = run("rules", "test", str(target), "--lang", "en")
    assert failed.exit_code == 1
    wanted = "scope moving-services: examples.no_match[0] ('Verhuizing') should not be out of this scope"
    assert wanted in failed.stdout


def test_reports_show_five_interventions_and_json_all(pack: Pack) -> None:
    from nami_cli.assess.document import build_report
    from nami_cli.assess.result import InterventionResult
    from nami_cli.render import RenderOptions, renderer

    result = check(pack, title="Twee dienstauto's")
    extra = [
        InterventionResult(
            id=f"iv-{i}", rank=i, title=f"Intervention number {i}", strategies=["rethink"], obstacles=[]
        )
        for i in range(1, 8)
    ]
    result = result.model_copy(update={"interventions": extra})
    report = build_report([result], pack, "en")
    for fmt in ("text", "markdown", "html"):
        out = renderer(fmt)(report, RenderOptions(lang="en", width=200))
        assert "Intervention number 5" in out and "Intervention number 6" not in out, fmt
    assert "Intervention number 7" in renderer("json")(report, RenderOptions(lang="en"))


def test_terminal_summary_shows_spend_per_scope(pack: Pack) -> None:
    from rich.console import Console

    from nami_cli.render.screen_text import print_summary

    rows = [
        {"Omschrijving": "Vehicle Excise Licences", "Bedrag": "12.50"},
        {"Omschrijving": "Bureaus", "Bedrag": "3"},
    ]
    summary = ScreenTally(file="<rows>")
    for item in screen_rows(rows, pack):
        summary.add(item.row, item.outcome, item.amount, "")
    console = Console(record=True, width=120, color_system=None)
    print_summary(console, summary.summary(pack, "en"), "en")
    out = console.export_text()
    assert "No goods purchase (scope)" in out and "Taxes and levies" in out and "12.50" in out


def test_screening_caches_are_bounded_in_bytes(pack: Pack) -> None:
    """The caches hold at most their byte budget, and the exact-text shortcut never keeps an entry
    alive that the main cache has dropped (issue 9: memory bounded whatever the rule pack)."""
    screener = Screener(pack, cache_bytes=60_000)
    for i in range(3000):
        screener.screen(
            {"title": f"Bureaus model {chr(97 + i % 26)}{chr(97 + i // 26 % 26)}x{i % 7}", "quantity": i}
        )
        assert screener._static.bytes <= 60_000
    live = {id(v) for v in screener._static.data.values()}
    assert all(id(v) in live for v in screener._exact.data.values())
    assert 0 < len(screener._static.data) < 3000
