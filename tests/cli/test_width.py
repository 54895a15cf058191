"""Text output follows the terminal width (COLUMNS) down to 60 columns: nothing wider, cut or split."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from nami_cli.render.viewmodel import MAX_INTERVENTIONS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))
LIST = ROOT / "examples" / "lists" / "inkoop-2026.csv"
WIDTHS = ["80", "60"]


def assert_fits(text: str, width: int) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert cell_len(line) <= width, (cell_len(line), line)
    assert "…" not in text, "a cell was cut"
    assert not re.search(r"€\s*$", text, flags=re.M), "an amount was split"


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[\w€][\w.,'’/-]*[\w]|\w", text))


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_check_fits_and_splits_no_word(run: Callable[..., Any], path: Path, columns: str) -> None:
    width = int(columns)
    text = run("check", str(path), env={"COLUMNS": columns}).stdout
    assert_fits(text, width)
    assert max(cell_len(line) for line in text.splitlines()) > width - 5  # it uses the width it has
    data = json.loads(run("check", str(path), "--format", "json").stdout)
    shown = set(re.findall(r"\S+", text.replace("│", " ")))
    for result in data["results"]:
        ranked = sorted(result["interventions"], key=lambda i: i["rank"])[:MAX_INTERVENTIONS]
        pieces = [o["title"] for o in result["obstacles"]] + [i["title"] for i in ranked]
        for strategy in result["strategies"]:
            pieces += [f["message"] for f in strategy["findings"]]
        for piece in pieces:
            for word in re.findall(r"\S+", piece):
                if len(word) < width - 10:
                    assert any(word in token for token in shown), (word, piece)


@pytest.mark.parametrize("columns", WIDTHS)
def test_an_amount_stays_on_one_line(
    run: Callable[..., Any], write: Callable[..., Path], columns: str
) -> None:
    # a title that puts the amount at the end of a line at both widths
    path = write("r.yaml", "title: x\nquantity: 1000\nunit_price: 2100\n")
    text = run("check", str(path), env={"COLUMNS": columns}).stdout
    assert "€\u00a02.100.000,00" in text
    assert_fits(text, int(columns))


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ("matrix",),
        ("matrix", "--ids"),
        ("matrix", "--lang", "en"),
        ("rules", "list"),
        ("rules", "list", "--all", "--lang", "en"),
        ("demo", "--auto", "promotional-items"),
        ("demo", "--auto", "workwear", "--lang", "en"),
    ],
    ids=" ".join,
)
def test_listings_fit(run: Callable[..., Any], args: tuple[str, ...], columns: str) -> None:
    result = run(*args, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout, int(columns))


@pytest.mark.parametrize("columns", WIDTHS)
def test_rules_list_keeps_every_title_whole(run: Callable[..., Any], columns: str) -> None:
    from nami_cli.rulepack.pack import load_pack

    text = run("rules", "list", "--all", env={"COLUMNS": columns}).stdout
    flat = " ".join(text.split())
    pack = load_pack()
    for rule in pack.rules:
        assert " ".join(rule.rule.title("nl").split()) in flat
    for ob in pack.obstacles.values():
        assert " ".join(ob.title("nl").split()) in flat


@pytest.mark.parametrize("columns", WIDTHS)
def test_screen_summary_fits(run: Callable[..., Any], tmp_path: Path, columns: str) -> None:
    result = run("screen", str(LIST), "-o", str(tmp_path / "out.csv"), env={"COLUMNS": columns})
    assert result.exit_code in (0, 1), result.output
    assert_fits(result.stderr, int(columns))


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_demo_card_fits_a_24_line_screen(run: Callable[..., Any], columns: str, lang: str) -> None:
    # --auto plays every scenario; a card is what one screen shows between two pauses (the prompt below it)
    result = run(
        "demo", "--auto", "--lang", lang, "--color", "never", env={"COLUMNS": columns, "LINES": "24"}
    )
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout, int(columns))
    cards = re.split(r"\n(?=┏)", result.stdout.strip())
    assert len(cards) > 8 * 5  # every scenario, and some steps in parts
    for card in cards:
        lines = card.splitlines()
        assert lines[0].startswith("┏") and lines[-1].startswith("┗"), card
        assert len(lines) <= 23, card
    assert any("1/2" in card.splitlines()[-1] or "1/3" in card.splitlines()[-1] for card in cards)
    # no word is split by the layout: every obstacle title on the matrix step reads whole
    from nami_cli.interactive.demo import assess_scenario
    from nami_cli.interactive.demo.scenarios import SCENARIOS
    from nami_cli.rulepack.pack import load_pack

    flat = " ".join(re.sub(r"[┃│]", " ", result.stdout).split())
    pack = load_pack()
    for scenario in SCENARIOS:
        for ob in assess_scenario(scenario, pack, lang).obstacles:
            assert " ".join(ob.title.split()) in flat, ob.title


@pytest.mark.parametrize("columns", [*WIDTHS, "120"])
def test_screen_table_on_a_terminal_fits_and_keeps_words_whole(
    run: Callable[..., Any], tmp_path: Path, columns: str
) -> None:
    """The terminal table of ``nami screen`` (only shown on a terminal: a pseudo-terminal here)."""
    import csv
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NAMI_", "FORCE_COLOR", "LINES"))}
    env.update({"COLUMNS": columns, "LINES": "300", "NO_COLOR": "1", "TERM": "xterm"})
    child = pexpect.spawn(
        sys.executable,
        ["-m", "nami_cli", "screen", str(LIST), "--lang", "nl", "--color", "never"],
        env=env,
        dimensions=(300, int(columns)),
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    text = child.before.replace("\r\n", "\n")
    table = text[text.index("Rijen met een kans") - 60 :]
    table = table[: table.index("nami: ")]
    assert_fits(table, int(columns))
    assert ("┏" in table) is (columns == "120")  # a table when it fits, else a list of blocks
    tokens = {t.rstrip(",") for t in re.findall(r"[^ \n│┃]+", table)}  # a no-break space joins an amount
    assert run("screen", str(LIST), "-o", str(tmp_path / "out.csv")).exit_code in (0, 1)
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    rules = {rule for row in rows for rule in row["nami_rules"].split()}
    assert len(rules) > 10
    for rule in rules:
        assert rule in tokens, rule
    for word in ("Relatiegeschenken", "nieuwjaarsreceptie:", "Verpakkingsmateriaal:", "€\u00a021.360,00"):
        assert word in tokens, word
