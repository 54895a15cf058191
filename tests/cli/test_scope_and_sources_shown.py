"""What a person reads says why a purchase is no goods purchase, cites the source of each finding, and
leaves out an obstacle the request disproves."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nami_cli.assess.result import SourceResult
from nami_cli.cli import app
from nami_cli.render.text import short_source

ROAD_TAX = "title: Motorrijtuigenbelasting dienstauto's 2027\nestimated_value: 9000\n"
DESKS = (
    "title: Nieuwe bureaus\ndescription: Een bureau voor elke medewerker\ncategory: furniture\n"
    "quantity: 120\n"
)


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_no_goods_purchase_says_why_in_text_and_reports(tmp_path: Path) -> None:
    request = tmp_path / "tax.yaml"
    request.write_text(ROAD_TAX, encoding="utf-8")
    data = json.loads(run("check", str(request), "--format", "json"))
    scope = data["results"][0]["scope"]
    assert scope["goods"] is False and scope["reason"]
    text = run("check", str(request), "--color", "never")
    assert "geen goederenaankoop" in text and "niet herkend" not in text
    assert "no goods purchase" in run("check", str(request), "--lang", "en", "--color", "never")
    for fmt in ("markdown", "html"):
        assert "geen goederenaankoop" in run("check", str(request), "--format", fmt)


def test_every_finding_in_text_cites_its_source() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "requests" / "meubilair.yaml"
    data = json.loads(run("check", str(path), "--format", "json", "--lang", "en"))
    flat = " ".join(run("check", str(path), "--lang", "en", "--color", "never").replace("│", " ").split())
    findings = [f for s in data["results"][0]["strategies"] for f in s["findings"]]
    assert findings
    for finding in findings:
        assert finding["sources"], finding["rule"]
        short = " ".join(short_source(SourceResult(**finding["sources"][0]), "en").split())
        assert f"source: {short}" in flat


def test_short_source_is_short_and_has_a_year() -> None:
    long = SourceResult(title="Kennismagazine Publieke Inkoop, 'Niet, Anders en Minder Inkopen'", year=None)
    assert short_source(long, "nl") == "Kennismagazine Publieke Inkoop, z.j."
    assert short_source(SourceResult(title="X" * 200, year=2020), "en").endswith("…, 2020")


def test_usage_figures_disprove_the_no_usage_data_obstacle(tmp_path: Path) -> None:
    without = tmp_path / "without.yaml"
    without.write_text(DESKS, encoding="utf-8")
    with_usage = tmp_path / "with.yaml"
    with_usage.write_text(DESKS + "usage:\n  annual_use: 4\n  stock: 30\n", encoding="utf-8")

    def obstacles(path: Path) -> list[str]:
        data = json.loads(run("check", str(path), "--format", "json"))
        return [o["id"] for o in data["results"][0]["obstacles"]]

    assert "no-usage-data" in obstacles(without)
    assert "no-usage-data" not in obstacles(with_usage)
