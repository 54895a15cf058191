"""Measured recognition: the labelled corpus (both paths, and the differential test between them) and
the real council spend files of ../shared/data/spend-dev (labelled by tests/corpus/spend-dev-labels.yaml).

The thresholds below are floors set from the figures of the engine and pack they were measured with
(see docs/evaluation.md): a change that makes recognition worse fails here. Raise them as it improves.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.api import load_pack
from nami_cli.base.errors import NamiError
from nami_cli.rulepack.evaluate import (
    Case,
    CorpusEvaluation,
    Observed,
    Scores,
    SpendCounts,
    compare,
    evaluate_corpus,
    evaluate_spend,
    load_corpus,
    load_labels,
    observe_check,
    observe_screen,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
LABELS = CORPUS / "spend-dev-labels.yaml"
#: the real files live beside the repository, in ../shared (the nearest folder above it that has them)
SPEND_DEV = next(
    (
        p / "shared" / "data" / "spend-dev"
        for p in ROOT.parents
        if (p / "shared" / "data" / "spend-dev").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "spend-dev",
)

#: floors for the corpus, per path (check = request path, screen = row path)
CORPUS_FLOORS = {
    "precision": 0.89,  # primary category, micro (91.2% when set)
    "recall": 0.88,  # (90.4%)
    "max_fp_advice": 0.02,  # share of no-goods cases with an opportunity (0.7%)
    "max_strategy_failures": {"check": 4, "screen": 3},  # (2 and 1)
}
#: floors per spend file: (per row, per distinct text) x (precision, recall, max no-goods with advice);
#: the targets of issue 10, which every file meets (figures when set in docs/evaluation.md)
_TARGETS = {"rows": (0.95, 0.90, 0.01), "texts": (0.90, 0.85, 0.02)}
SPEND_FLOORS: dict[str, dict[str, tuple[float, float, float]]] = {
    "harrogate-2022-08.csv": _TARGETS,
    "north-tyneside-2022-07.csv": _TARGETS,
    "calderdale-2022-08.csv": _TARGETS,
}


@pytest.fixture(scope="module")
def pack() -> Any:
    return load_pack()


@pytest.fixture(scope="module")
def cases(pack: Any) -> list[Case]:
    return load_corpus(CORPUS, pack.categories)


@pytest.fixture(scope="module")
def evaluation(cases: list[Case], pack: Any) -> CorpusEvaluation:
    return evaluate_corpus(cases, pack)


# ------------------------------------------------------------------------------------ the corpus itself


def test_corpus_size_and_spread(cases: list[Case], pack: Any) -> None:
    assert len(cases) >= 300
    assert sum(c.lang == "nl" for c in cases) >= 120
    assert sum(c.lang == "en" for c in cases) >= 120
    assert sum(c.kind == "request" for c in cases) >= 100
    assert sum(c.kind == "row" for c in cases) >= 100
    assert sum(not c.expect.goods for c in cases) >= 90  # look-alikes that are no goods purchase
    mixed = load_corpus(CORPUS / "mixed.yaml", pack.categories)
    assert len(mixed) >= 60
    covered = {cat for c in cases for cat in c.expect.categories}
    assert covered == set(pack.categories), f"categories without a case: {set(pack.categories) - covered}"
    scopes = {c.expect.scope for c in cases if c.expect.scope}
    assert len(scopes) >= 15, "every scope of the contract has cases"


# ------------------------------------------------------------------ the differential test: check = screen


def test_check_and_screen_agree_on_every_case(evaluation: CorpusEvaluation) -> None:
    """`nami check` and `nami screen` give the same categories, scope and verdicts for the same fields."""
    assert evaluation.cases >= 300
    assert evaluation.differences == [], "\n".join(json.dumps(d) for d in evaluation.differences)


def test_differential_test_can_fail() -> None:
    same = Observed(
        ("furniture",), True, None, {"refuse": "open", "rethink": "opportunity", "reduce": "open"}
    )
    assert compare(same, same) == {}
    other = Observed(("packaging",), True, None, {"refuse": "open", "rethink": "open", "reduce": "open"})
    diff = compare(same, other)
    assert set(diff) == {"categories", "verdicts"}
    assert diff["categories"] == {"check": ["furniture"], "screen": ["packaging"]}


# ----------------------------------------------------------------------------------------- the figures


@pytest.mark.parametrize("path", ["check", "screen"])
def test_corpus_figures_stay_above_floors(evaluation: CorpusEvaluation, path: str) -> None:
    scores = getattr(evaluation, path)
    micro = scores.primary.micro
    assert micro.precision >= CORPUS_FLOORS["precision"], scores.confusions
    assert micro.recall >= CORPUS_FLOORS["recall"], scores.confusions
    assert scores.fp_advice_rate <= CORPUS_FLOORS["max_fp_advice"], scores.no_goods_with_advice
    limit = CORPUS_FLOORS["max_strategy_failures"][path]  # type: ignore[index]
    assert len(scores.strategy_failures) <= limit, scores.strategy_failures


#: a tiny corpus with two deliberately wrong labels (w1 is a gift, m1 is no vehicle): the figures of the
#: command are then known whatever the engine's quality
TINY = """
cases:
  - {id: p1, lang: nl, kind: request, input: {title: 500 pennen met logo, quantity: 500},
     expect: {categories: [promotional-items], goods: true, opportunity: [refuse]}}
  - {id: p2, lang: nl, kind: row, input: {title: Bureaustoelen, amount: 1200},
     expect: {categories: [furniture], goods: true}}
  - {id: w1, lang: nl, kind: row, input: {title: Relatiegeschenken met logo},
     expect: {categories: [], goods: false}}
  - {id: m1, lang: en, kind: row, input: {title: Xyzzy plover},
     expect: {categories: [vehicles], goods: true}}
"""


def test_eval_command_text_and_thresholds(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    ok = run("rules", "eval", str(CORPUS), "--min-precision", "0.5", "--max-fp-advice", "0.5")
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert "corpus:" in ok.stdout and "false-positive advice" in ok.stdout
    assert "nami screen (row path)" in ok.stdout and "check vs screen" in ok.stdout
    tiny = write("tiny.yaml", TINY)
    low = run("rules", "eval", str(tiny), "--min-precision", "0.7", "--min-recall", "0.7")
    assert low.exit_code == 1
    assert "primary category: precision 66.7%, recall 66.7% (micro)" in low.stdout
    assert "none -> promotional-items (1): w1" in low.stdout
    assert "vehicles -> none (1): m1" in low.stdout
    assert "BELOW THRESHOLD check: precision 66.7% < 70.0%" in low.stdout
    assert "BELOW THRESHOLD screen: recall 66.7% < 70.0%" in low.stdout
    assert run("rules", "eval", str(tiny), "--min-precision", "0.6", "--min-recall", "0.6").exit_code == 0


def test_eval_command_json(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    result = run("rules", "eval", str(write("tiny.yaml", TINY)), "--format", "json", "--max-fp-advice", "0.5")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["cases"] == 4 and data["by_kind"] == {"request": 1, "row": 3}
    for path in ("check", "screen"):
        assert data[path]["primary"]["micro"] == {
            "tp": 2,
            "fp": 1,
            "fn": 1,
            "precision": 0.6667,
            "recall": 0.6667,
        }
        assert data[path]["no_goods_cases"] == 1 and data[path]["no_goods_with_advice"] == ["w1"]
        assert data[path]["fp_advice_rate"] == 1.0
    assert data["check"]["strategy_failures"] == []
    assert data["failures"] == [
        "check: false-positive advice 100.0% > 50.0%",
        "screen: false-positive advice 100.0% > 50.0%",
    ]
    full = json.loads(run("rules", "eval", str(CORPUS), "--format", "json").stdout)
    assert full["cases"] >= 300 and full["check"]["no_goods_cases"] >= 90


# --------------------------------------------------------------------------------------- bad input


def test_bad_corpus_is_located(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = write(
        "bad.yaml",
        "cases:\n"
        "  - {id: a, lang: nl, kind: row, input: {title: Pennen},\n"
        "     expect: {categories: [pens], goods: true}}\n"
        "  - {id: a, lang: en, kind: row, input: {title: Tax, quantity: 3},\n"
        "     expect: {categories: [], goods: false}}\n"
        "  - {id: c, lang: en, kind: request, input: {title: Rent}, expect: {categories: [], goods: false,"
        " scope: rent}}\n",
    )
    result = run("rules", "eval", str(path))
    assert result.exit_code == 3
    assert f"{path}:3:28: cases[0].expect.categories[0]: unknown category 'pens'" in result.stderr
    assert f"{path}:4:" in result.stderr and "has no field quantity" in result.stderr
    assert "unknown scope 'rent'" in result.stderr
    assert "Traceback" not in result.stderr


def test_contradictory_expectation_is_refused(pack: Any, write: Callable[..., Path]) -> None:
    path = write(
        "odd.yaml",
        "cases:\n  - {id: x, lang: en, kind: row, input: {title: Rent},"
        " expect: {categories: [furniture], goods: false}}\n",
    )
    with pytest.raises(NamiError, match="goods: false has no categories"):
        load_corpus(path, pack.categories)


def test_labels_without_spend_and_missing_corpus(run: Callable[..., Any], tmp_path: Path) -> None:
    assert run("rules", "eval", str(CORPUS), "--labels", str(LABELS)).exit_code == 3
    missing = run("rules", "eval", str(tmp_path / "nope"))
    assert missing.exit_code == 3 and "no such file or folder" in missing.stderr


# ------------------------------------------------------------------- scoring and reading the engine


def test_scores_primary_and_macro() -> None:
    scores = Scores()
    scores.add(["furniture"], ["furniture"])
    scores.add(["furniture"], ["packaging"])
    scores.add([], ["vehicles"])
    scores.add(["printing"], [])
    micro = scores.micro
    assert (micro.tp, micro.fp, micro.fn) == (1, 2, 2)
    assert micro.precision == pytest.approx(1 / 3)
    assert micro.recall == pytest.approx(1 / 3)
    macro_p, macro_r = scores.macro()
    assert macro_p == pytest.approx((1.0 + 0.0 + 0.0) / 3)  # furniture, packaging, vehicles predicted
    assert macro_r == pytest.approx((0.5 + 0.0) / 2)  # furniture, printing expected


def test_spend_counts_definitions() -> None:
    counts = SpendCounts()
    advised = {"refuse": "opportunity", "rethink": "open", "reduce": "open"}
    quiet = {"refuse": "open", "rethink": "open", "reduce": "open"}
    counts.add("furniture", Observed(("furniture",), True, None, advised))  # hit
    counts.add("furniture", Observed(("packaging", "furniture"), True, None, quiet))  # hit only for "any"
    counts.add("printing", Observed((), False, None, quiet))  # miss
    counts.add("none", Observed(("vehicles",), True, None, advised))  # false positive with advice
    counts.add("none", Observed((), False, None, quiet))
    counts.add("unknown", Observed(("vehicles",), True, None, advised))  # not scored
    f = counts.figures()
    assert f["precision"] == pytest.approx(1 / 3)  # hits / labelled rows given a primary category
    assert f["recall"] == pytest.approx(1 / 3)
    assert f["precision_any"] == pytest.approx(2 / 3)
    assert f["recall_any"] == pytest.approx(2 / 3)
    assert f["no_goods_with_advice"] == pytest.approx(1 / 2)
    assert counts.unknown == 1


class _Thing:
    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


def test_observe_reads_todays_and_the_contracts_result_shapes() -> None:
    strategies = [_Thing(strategy=s, verdict="open") for s in ("refuse", "rethink", "reduce")]
    today = _Thing(category=_Thing(id="furniture"), strategies=strategies)
    seen = observe_check(today)
    assert seen.categories == ("furniture",) and seen.goods and not seen.scope_known
    nothing = observe_check(_Thing(category=None, strategies=strategies))
    assert nothing.goods is False  # no scope in the result: no category = no goods purchase
    multi = _Thing(
        category=_Thing(id="packaging"),
        categories=[_Thing(id="furniture"), _Thing(id="packaging")],
        scope=_Thing(goods=True, id=None),
        strategies=strategies,
    )
    seen = observe_check(multi)
    assert seen.categories == ("packaging", "furniture") and seen.goods and seen.scope_known
    no_goods = _Thing(
        category=None, categories=[], scope={"goods": False, "id": "taxes-and-levies"}, strategies=[]
    )
    seen = observe_check(no_goods)
    assert (seen.goods, seen.scope) == (False, "taxes-and-levies")
    row = _Thing(category=None, categories=(), scope="insurance", verdicts=("open", "open", "open"))
    seen = observe_screen(row)
    assert (seen.goods, seen.scope, seen.categories) == (False, "insurance", ())
    row_goods = _Thing(
        category="vehicles", categories="vehicles;tools-and-equipment", scope="", verdicts=("open",) * 3
    )
    assert observe_screen(row_goods).categories == ("vehicles", "tools-and-equipment")


# ---------------------------------------------------------------------------------- spend files


SMALL_CSV = (
    "Omschrijving,Kostensoort,Bedrag\n"
    "Bureaustoelen,Meubilair,1200\n"
    "Bureaustoelen,Meubilair,800\n"
    "Rente lening,Financiering,400\n"
    "Huur kantoor,Huur,9000\n"
    "Diversen,Overig,10\n"
    "Relatiegeschenken met logo,Representatie,50\n"  # labelled none below, on purpose: a false positive
    "Pennen,Kantoor,20\n"
)
SMALL_LABELS = """
files:
  small.csv:
    map: [description=Omschrijving, category=Kostensoort]
    label_columns: [Kostensoort]
    labels:
      Kostensoort:
        {Meubilair: furniture, Financiering: none, Huur: none, Overig: unknown, Representatie: none}
"""


def test_spend_evaluation_on_a_small_file(pack: Any, write: Callable[..., Path]) -> None:
    data = write("small.csv", SMALL_CSV)
    labels = load_labels(write("labels.yaml", SMALL_LABELS), pack.categories)
    (item,) = evaluate_spend(data, labels, pack).files
    rows, texts = item.rows, item.texts
    assert (rows.goods, rows.none, rows.unknown) == (2, 3, 2)  # "Kantoor" is not in the map: unknown
    assert item.unlabelled == {"Kantoor": 1}
    figures = rows.figures()
    assert figures["precision"] == pytest.approx(2 / 3)  # the gifts labelled none get a category
    assert figures["recall"] == 1.0
    assert figures["no_goods_with_advice"] == pytest.approx(1 / 3)
    assert (texts.goods, texts.none) == (1, 3)  # the two chair rows are one distinct text
    assert texts.figures()["precision"] == pytest.approx(1 / 2)
    assert item.confusions == [
        {
            "label": "none",
            "got": "promotional-items",
            "rows": 1,
            "texts": ["Relatiegeschenken met logo / Representatie"],
        }
    ]


def test_spend_label_map_errors(pack: Any, write: Callable[..., Path], run: Callable[..., Any]) -> None:
    bad = write("labels.yaml", SMALL_LABELS.replace("Huur: none", "Huur: rent"))
    with pytest.raises(NamiError, match="'rent' is not a category id"):
        load_labels(bad, pack.categories)
    data = write("other.csv", SMALL_CSV)
    result = run("rules", "eval", "--spend", str(data), "--labels", str(write("ok.yaml", SMALL_LABELS)))
    assert result.exit_code == 3 and "no entry for 'other.csv'" in result.stderr


def _spend_dev() -> Path:
    if SPEND_DEV.is_dir():
        return SPEND_DEV
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the real spend files are missing in CI: {SPEND_DEV}")
    pytest.skip(f"no {SPEND_DEV} on this machine (CI has it)")


def test_label_map_covers_every_value_of_the_real_files(pack: Any) -> None:
    labels = load_labels(LABELS, pack.categories)
    evaluation = evaluate_spend(_spend_dev(), labels, pack)
    assert {Path(f.file).name for f in evaluation.files} == set(labels.files)
    for item in evaluation.files:
        assert item.unlabelled == {}, f"{item.file}: values missing from the label map: {item.unlabelled}"
        assert item.rows.errors == 0


def test_real_spend_figures_stay_above_floors(pack: Any, run: Callable[..., Any]) -> None:
    result = run("rules", "eval", "--spend", str(_spend_dev()), "--labels", str(LABELS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["files"]) == 3
    for item in data["files"]:
        floors = SPEND_FLOORS[Path(item["file"]).name]
        for basis, key in (("rows", "rows"), ("texts", "distinct_texts")):
            precision, recall, max_advice = floors[basis]
            figures = item[key]
            assert figures["precision"] >= precision, (item["file"], basis, figures)
            assert figures["recall"] >= recall, (item["file"], basis, figures)
            assert figures["no_goods_with_advice"] <= max_advice, (item["file"], basis, figures)


def test_spend_command_text_and_thresholds(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    data = write("small.csv", SMALL_CSV)
    labels = write("labels.yaml", SMALL_LABELS)
    result = run("rules", "eval", "--spend", str(data.parent), "--labels", str(labels))
    assert result.exit_code == 0, result.stderr
    assert "== small.csv" in result.stdout and "per distinct text" in result.stdout
    assert "values missing from the label map: Kantoor" in result.stdout
    strict = run("rules", "eval", "--spend", str(data), "--labels", str(labels), "--max-fp-advice", "0")
    assert strict.exit_code == 1
    assert "BELOW THRESHOLD small.csv per row: no goods with advice 33.3% > 0.0%" in strict.stdout


def test_scope_figures_when_the_engine_gives_a_scope() -> None:
    from nami_cli.rulepack.evaluate import PathScores

    quiet = {"refuse": "open", "rethink": "open", "reduce": "open"}
    tax = Case.model_validate(
        {
            "id": "t",
            "lang": "en",
            "kind": "row",
            "input": {"title": "Vehicle excise"},
            "expect": {"categories": [], "goods": False, "scope": "taxes-and-levies"},
        }
    )
    scores = PathScores("check")
    scores.add(tax, Observed((), False, "insurance", quiet, scope_known=True), check_strategies=True)
    scores.add(tax, Observed((), False, "taxes-and-levies", quiet, scope_known=True), check_strategies=True)
    data = scores.as_dict()
    assert data["scope_accuracy"] == 0.5
    assert data["scope_confusions"] == [{"expected": "taxes-and-levies", "got": "insurance", "cases": ["t"]}]
    counts = SpendCounts()
    counts.add("none", Observed((), False, "insurance", quiet, scope_known=True))
    counts.add("furniture", Observed((), False, "repairs-and-maintenance", quiet, scope_known=True))
    assert counts.as_dict()["none_scopes"] == {"insurance": 1}
    assert counts.goods_out_of_scope == 1
