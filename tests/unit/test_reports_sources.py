"""Sources in the reports: the adapter from the result's sources, numbering, years and links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nami_cli.api import check_file, load_pack
from nami_cli.assess.document import build_report
from nami_cli.assess.result import SourceResult
from nami_cli.render import RenderOptions
from nami_cli.render import html as html_render
from nami_cli.render import markdown as md_render
from nami_cli.render.sources import Bibliography, SourceRef, finding_sources, parse_source_text

ROOT = Path(__file__).resolve().parents[2]


class _Finding:
    def __init__(self, sources: list[Any]) -> None:
        self.rule = "r"
        self.sources = sources


def test_a_line_of_source_text_is_split_into_its_sources_with_their_years() -> None:
    text = (
        "Kennismagazine Publieke Inkoop, 'Niet, Anders en Minder Inkopen' (ontbrekende data; voorraad); "
        "Stimular (2018), 'Rijk: hergebruik ICT'; see https://example.org/a-b."
    )
    assert parse_source_text(text) == [
        SourceRef(
            "Kennismagazine Publieke Inkoop, 'Niet, Anders en Minder Inkopen' (ontbrekende data; voorraad)"
        ),
        SourceRef("Stimular (2018), 'Rijk: hergebruik ICT'", 2018),
        SourceRef("see https://example.org/a-b.", None, "https://example.org/a-b"),
    ]


def test_structured_sources_pass_as_they_are_and_unsafe_links_are_dropped() -> None:
    finding = _Finding(
        [
            SourceResult(title="EU GPP criteria", year=2019, url="https://ec.europa.eu/gpp"),
            {"title": "Bad link", "year": 2020, "url": 'javascript:alert(1)"'},
        ]
    )
    assert finding_sources(finding) == [
        SourceRef("EU GPP criteria", 2019, "https://ec.europa.eu/gpp"),
        SourceRef("Bad link", 2020, None),
    ]


def test_the_same_source_keeps_its_number() -> None:
    bib = Bibliography()
    assert [bib.cite(SourceRef("a")), bib.cite(SourceRef("b", 2020)), bib.cite(SourceRef("a"))] == [1, 2, 1]
    assert bib.sources == [SourceRef("a"), SourceRef("b", 2020)]


def test_findings_cite_numbered_sources_listed_at_the_end_with_their_year() -> None:
    pack = load_pack()
    result = check_file(ROOT / "examples" / "requests" / "laptops-vervanging.yaml", pack, lang="en")
    finding = result.strategies[0].findings[0]
    sourced = finding.model_copy(
        update={
            "sources": [
                SourceResult(title="Repair study", year=2021, url="https://example.org/r"),
                SourceResult(title="Handbook", year=None, url="https://example.org/h"),
            ]
        }
    )
    refuse = result.strategies[0].model_copy(update={"findings": [sourced]})
    report = build_report(
        [result.model_copy(update={"strategies": [refuse, *result.strategies[1:]]})], pack, "en"
    )
    html = html_render.render(report, RenderOptions(lang="en"))
    assert '<a class="cite" href="#source-1">[1, 2021]</a> <a class="cite" href="#source-2">[2]</a>' in html
    assert (
        '<li id="source-1">Repair study (2021). <a href="https://example.org/r">https://example.org/r</a></li>'
        in html
    )
    md = md_render.render(report, RenderOptions(lang="en"))
    assert f"**{finding.title}:** " in md and "[1, 2021]" in md
    assert "## Sources\n\n1. Repair study (2021). <https://example.org/r>\n" in md
    assert "2. Handbook (n.d.). <https://example.org/h>\n" in md  # a source without a year says so
