"""``nami rules list|show|validate|test`` and ``nami matrix``: shapes, exit codes, locations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nami_cli.base.vocab import DIMENSIONS, LEVELS

OWN_PACK = {
    "pack.yaml": "pack: {name: eigen, version: '0.1'}\n",
    "content.yaml": """\
categories:
  - id: zz-strooizout
    title: {nl: Strooizout, en: Road salt}
    cpv: ["3492721"]
    keywords: {nl: [strooizout, pekel], en: [road salt, grit]}
rules:
  - id: zz-reduce-salt
    strategy: reduce
    title: {nl: Strooizout op voorraad, en: Road salt in stock}
    message: {nl: "De voorraad dekt {stock_years} winters.", en: "The stock covers {stock_years} winters."}
    when:
      all:
        - {category: zz-strooizout}
        - {field: stock_years, greater_than: 1}
    obstacles: [annual-budget-allocation]
    source: Eigen ervaring gemeente (voorbeeld)
    examples:
      match:
        - {title: Strooizout 200 ton, usage: {stock: 500, annual_use: 300}}
      no_match:
        - {title: Strooizout 200 ton, usage: {stock: 100, annual_use: 300}}
        - {title: Kopieerpapier A4, usage: {stock: 400, annual_use: 300}}
""",
}


def make_pack(tmp_path: Path, **replace: str) -> Path:
    folder = tmp_path / "eigen"
    folder.mkdir(exist_ok=True)
    for name, text in OWN_PACK.items():
        for old, new in replace.items():
            text = text.replace(old, new)
        (folder / name).write_text(text)
    return folder


def test_matrix_json_has_all_cells(run: Callable[..., Any]) -> None:
    result = run("matrix", "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dimensions"] == list(DIMENSIONS) and data["levels"] == list(LEVELS)
    assert len(data["cells"]) == 12
    assert {(c["dimension"], c["level"]) for c in data["cells"]} == {
        (d, lv) for d in DIMENSIONS for lv in LEVELS
    }
    for cell in data["cells"]:
        assert len(cell["obstacles"]) >= 2
        assert all(o["id"] and o["title"] and o["interventions"] for o in cell["obstacles"])


def test_matrix_text_and_markdown(run: Callable[..., Any]) -> None:
    text = run("matrix", "--lang", "nl").stdout
    for label in (
        "TECHNISCH",
        "ECONOMISCH",
        "JURIDISCH",
        "SOCIAAL-CULTUREEL",
        "INDIVIDU",
        "ORGANISATIE",
        "SYSTEEM",
    ):
        assert label in text
    markdown = run("matrix", "--format", "markdown", "--lang", "en").stdout.splitlines()
    assert markdown[0].startswith("| | technical | economic | legal | socio-cultural |")
    assert len(markdown) == 2 + 3


def test_rules_list_json_shape(run: Callable[..., Any]) -> None:
    data = json.loads(run("rules", "list", "--format", "json", "--lang", "en").stdout)
    assert data["pack"]["name"] == "nami-core"
    rule = data["rules"][0]
    assert {"id", "strategy", "title", "categories"} <= set(rule)
    category = data["categories"][0]
    assert {"id", "title", "cpv", "keywords"} <= set(category) and set(category["keywords"]) == {"nl", "en"}
    assert data["obstacles"] and data["interventions"]
    text = run("rules", "list").stdout
    assert "refuse-promotional-items" in text


def test_rules_show(run: Callable[..., Any]) -> None:
    out = run("rules", "show", "reduce-stock-covers-year", "--lang", "en").stdout
    for part in ("Why:", "When", "Examples that trigger it", "Examples that do not", "Obstacles", "Source"):
        assert part in out
    assert "the stock in years of use (stock_years) is more than 1" in out
    assert run("rules", "show", "depreciation-rules").exit_code == 0
    assert run("rules", "show", "furniture").exit_code == 0
    missing = run("rules", "show", "refuse-promotional-item", "--lang", "en")
    assert missing.exit_code == 3 and "did you mean refuse-promotional-items" in missing.stderr


def test_own_pack_validate_test_and_check(
    run: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]
) -> None:
    folder = make_pack(tmp_path)
    result = run("rules", "validate", str(folder), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    result = run("rules", "test", str(folder), "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "3 passed, 0 failed"
    request = write("zout.yaml", "title: Strooizout winter\nusage: {stock: 900, annual_use: 300}\n")
    checked = json.loads(run("check", "--rules", str(folder), "-f", "json", str(request)).stdout)
    findings = {f["rule"]: f for f in checked["results"][0]["strategies"][2]["findings"]}
    assert findings["zz-reduce-salt"]["message"] == "De voorraad dekt 3 winters."
    assert [p["name"] for p in checked["rules"]["packs"]] == ["nami-core", "eigen"]


def test_rules_test_reports_failures(run: Callable[..., Any], tmp_path: Path) -> None:
    folder = make_pack(tmp_path, **{"{stock: 500, annual_use: 300}": "{stock: 100, annual_use: 300}"})
    result = run("rules", "test", str(folder), "--lang", "en")
    assert result.exit_code == 1
    assert "FAIL " in result.stdout and "zz-reduce-salt: examples.match[0]" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "2 passed, 1 failed"


def test_rules_validate_locates_problems(run: Callable[..., Any], tmp_path: Path) -> None:
    folder = make_pack(tmp_path, **{"obstacles: [annual-budget-allocation]": "obstacles: [annual-budget]"})
    result = run("rules", "validate", str(folder), env={"NAMI_LANG": "en"})
    assert result.exit_code == 3
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith(f"{folder / 'content.yaml'}:15:17: rules[0].obstacles[0]: ")
    assert "unknown obstacle 'annual-budget'" in line


def test_disable_a_shipped_rule(run: Callable[..., Any], tmp_path: Path, write: Callable[..., Path]) -> None:
    folder = make_pack(tmp_path)
    (folder / "off.yaml").write_text("disable: [refuse-promotional-items]\n")
    request = write("r.yaml", "title: Pennen met logo\ncategory: promotional-items\n")
    data = json.loads(run("check", "--rules", str(folder), "-f", "json", str(request)).stdout)
    rules = [f["rule"] for s in data["results"][0]["strategies"] for f in s["findings"]]
    assert "refuse-promotional-items" not in rules
    listed = json.loads(run("rules", "list", "-f", "json", "--rules", str(folder)).stdout)
    assert listed["disabled"] == ["refuse-promotional-items"]


def test_standalone_pack_replaces_the_shipped_one(run: Callable[..., Any], tmp_path: Path) -> None:
    folder = make_pack(tmp_path, **{"version: '0.1'}": "version: '0.1', standalone: true}"})
    (folder / "content.yaml").write_text(
        (folder / "content.yaml")
        .read_text()
        .replace("obstacles: [annual-budget-allocation]", "obstacles: []")
    )
    listed = json.loads(run("rules", "list", "-f", "json", "--rules", str(folder)).stdout)
    assert [p["name"] for p in listed["pack"]["packs"]] == ["eigen"]
    assert [r["id"] for r in listed["rules"]] == ["zz-reduce-salt"]
    assert [c["id"] for c in listed["categories"]] == ["zz-strooizout"]
