"""The reports: ``check --format html|markdown`` and the screen summary page.

HTML is parsed with a strict little parser (every tag closed in order), checked for its sections and
figures, for escaping of hostile input and for being self-contained. Markdown is checked for the same
content and rendered with markdown-it (CommonMark + tables) to see that escaping holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from nami_cli.api import check_file, check_request, load_pack
from nami_cli.assess.document import build_report, run_date
from nami_cli.assess.result import Report
from nami_cli.assess.summary import ScreenSummary
from nami_cli.render import FORMATS, RenderOptions, renderer, viewmodel
from nami_cli.render import html as html_render
from nami_cli.render import markdown as md_render
from nami_cli.render.jinja import md_escape
from nami_cli.render.matrix import ObstacleMatrix
from nami_cli.render.screen_report import render_screen_report
from nami_cli.rulepack.pack import Pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "requests"
TEST_PACK = Path(__file__).parents[1] / "data" / "pack"

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/x","klik")'
IMG = '<img src="http://evil.example/p.png" onerror="alert(2)">'
ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def squash(text: str) -> str:
    """Runs of ASCII white space as one space (a no-break space stays)."""
    return ASCII_SPACE.sub(" ", text).strip()


class Page(HTMLParser):
    """A strict parse: every non-void tag closed in order; collects tags, text and attributes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.style = ""
        self.doctype = ""
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> without an open tag"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return squash(" ".join(self.text_parts))

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]

    def with_class(self, cls: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if cls in a.get("class", "").split()]


def sections(text: str) -> dict[str, str]:
    """The text of each element that has an id or a class, found by a second strict parse."""
    found: dict[str, str] = {}

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[tuple[str, str, list[str]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in VOID:
                return
            a = dict(attrs)
            self.open.append((tag, a.get("id") or a.get("class") or "", []))

        def handle_endtag(self, tag: str) -> None:
            _, key, parts = self.open.pop()
            content = squash(" ".join(parts))
            if key:
                found.setdefault(key, content)
            if self.open:
                self.open[-1][2].append(content)

        def handle_data(self, data: str) -> None:
            if self.open:
                self.open[-1][2].append(data)

    Collect().feed(text)
    return found


def assert_self_contained(text: str) -> None:
    lowered = text.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered
    assert "url(" not in lowered
    assert not re.search(r"""(src|action|poster|data)\s*=\s*["']?\s*(https?:)?//""", lowered)
    page = Page(text)
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name, "")
            # a link to a cited source is navigation, not a resource the page loads
            link = tag == "a" and name == "href" and re.match(r"https?://[^\s<>\"]+\Z", value)
            assert not value or value.startswith("#") or link, f"<{tag} {name}={value}> is not self-contained"
    assert page.doctype.lower() == "doctype html"
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert "@page { size: A4; margin: 16mm 15mm 18mm; }" in page.style
    assert "@media print" in page.style
    assert "@media (max-width: 40rem)" in page.style


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(TEST_PACK, shipped=False)


def hostile(pack: Pack, lang: str) -> Report:
    """Two requests: hostile text in title, answers and justification; findings, obstacles, interventions."""
    first = check_request(
        {
            "id": "INK-2026-031",
            "title": f"Relatiegeschenken {SCRIPT}",
            "description": f"{FORMULA} pennen",
            "category": "promotional-items",
            "quantity": 500,
            "unit": "stuks",
            "unit_price": 2.1,
            "reason": "budget-remaining",
            "requester": f"Afdeling | Communicatie {IMG}",
            "needed_by": "2027-03-01",
            "obstacles": ["annual-budget"],
            "answers": {
                "rethink": {"answer": "yes", "justification": f"{FORMULA} *vet* _schuin_ `code` {SCRIPT}"},
                "reduce": {"answer": "unsure"},
            },
        },
        pack,
        lang=lang,
        name="aanvraag.yaml",
    )
    second = check_request(
        {
            "title": "# Schriften | nietjes",
            "category": "office-supplies",
            "quantity": 1200,
            "usage": {"stock": 900, "annual_use": 600, "users": 300},
            "answers": {"refuse": {"answer": "yes", "justification": "dagelijks gebruikt"}},
        },
        pack,
        lang=lang,
        name="schriften.yaml",
    )
    return build_report([first, second], pack, lang)


# --- HTML: the justification ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            {
                "h1": "NAMI-onderbouwing",
                "brief": "De aanvraag in het kort",
                "opportunity": "kans",
                "open": "open",
                "justified": "onderbouwd",
                "advice": "Niet inkopen",
                "first": "Begin met: Schrijf een notitie.",
                "value": "€\u00a01.050,00 excl. btw",
                "decides": "nami is een hulpmiddel: de inkoper beslist en blijft verantwoordelijk.",
            },
        ),
        (
            "en",
            {
                "h1": "NAMI justification",
                "brief": "The request in brief",
                "opportunity": "opportunity",
                "open": "open",
                "justified": "justified",
                "advice": "Refuse",
                "first": "Start with: Write a memo.",
                "value": "€1,050.00 excl. VAT",
                "decides": "nami is a decision aid: the buyer decides and remains responsible.",
            },
        ),
    ],
)
def test_html_justification_has_every_section(pack: Pack, lang: str, words: dict[str, str]) -> None:
    report = hostile(pack, lang)
    text = html_render.render(report, RenderOptions(lang=lang))
    page = Page(text)
    assert_self_contained(text)
    found = sections(text)
    assert found["doc-head"].startswith(words["h1"])
    assert page.names().count("article") == 2
    first = found["request-1"]
    # the request in brief
    assert words["brief"] in first
    for value in (
        "INK-2026-031",
        "500 stuks",
        words["value"],
        "2027-03-01",
        "aanvraag.yaml",
        "promotional-items",
    ):
        assert value in first
    assert words["advice"] in found["advice"]
    # the three questions, each with its verdict badge (colour class and text) and answer
    questions = page.with_class("question")
    assert [q["class"] for q in questions[:3]] == [
        "question v-opportunity",
        "question v-justified",
        "question v-open",
    ]
    assert f"! {words['opportunity']}" in first
    assert f"✓ {words['justified']}" in first
    assert f"? {words['open']}" in first
    # findings with their reasons, rule ids and locations
    assert "refuse-promo" in first and "refuse-budget" in first
    assert "category = promotional-items" in first
    assert "reason = budget-remaining" in first
    # the obstacles matrix: 3 levels x 4 dimensions, this request's obstacles in their cells
    matrices = page.with_class("matrix")
    assert len(matrices) == 2
    hit_titles = [a for a in page.with_class("hit")]
    assert hit_titles, "no obstacle is highlighted"
    # interventions with their first step
    assert "Policy" in first or "Beleid" in first
    assert words["first"] in first
    # the footer: pack name and version, date, the buyer decides
    foot = found["doc-foot"]
    assert "test-pack 1.0" in foot
    assert run_date() in foot
    assert words["decides"] in foot
    # the contents of a two-request report link to both articles
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert hrefs[:2] == ["#request-1", "#request-2"]
    # and each finding links to its numbered source at the end
    assert hrefs[2:] and all(h.startswith("#source-") for h in hrefs[2:])
    assert {h[1:] for h in hrefs[2:]} <= {a.get("id", "") for tag, a in page.tags if tag == "li"}


def matrix_cells(text: str) -> dict[tuple[int, int], str]:
    """(row, column) -> text of each body cell of the first obstacles matrix."""
    body = text.split('<table class="matrix stack">', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    cells: dict[tuple[int, int], str] = {}
    for r, row in enumerate(re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)):
        for c, cell in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)):
            cells[(r, c)] = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    return cells


def test_html_matrix_puts_obstacles_in_their_cells(pack: Pack) -> None:
    text = html_render.render(hostile(pack, "en"), RenderOptions(lang="en"))
    cells = matrix_cells(text)
    assert len(cells) == 12
    # rows: individual, organisation, system; columns: technical, economic, legal, socio-cultural
    assert cells[(0, 3)] == "Habit"
    assert cells[(2, 1)] == "Annual budget"
    assert [k for k, v in cells.items() if v != "—"] == [(0, 3), (2, 1)]
    assert '<li class="hit">Habit</li>' in text


def test_html_matrix_with_the_whole_pack_marks_this_requests_obstacles(pack: Pack) -> None:
    result = check_request({"title": "Stoelen", "reason": "budget-remaining"}, pack, lang="en")
    report = build_report([result], pack, "en")
    text = html_render.render(report, RenderOptions(lang="en"), matrix=ObstacleMatrix.of_pack(pack, "en"))
    Page(text)
    cells = matrix_cells(text)
    assert cells[(0, 3)] == "Habit"
    assert cells[(2, 1)] == "Annual budget"
    assert "<li>Habit</li>" in text
    assert '<li class="hit">Annual budget</li>' in text
    assert "Marked (▶): the obstacles of this request." in text


def test_html_escapes_every_input_text(pack: Pack) -> None:
    text = html_render.render(hostile(pack, "nl"), RenderOptions(lang="nl"))
    page = Page(text)
    # nothing from the input became a tag or an attribute
    assert "script" not in page.names()
    assert "img" not in page.names()
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "evil.example" not in " ".join(v for _, attrs in page.tags for v in attrs.values())
    # ... and it shows as the text that was written
    assert f"Relatiegeschenken {SCRIPT}" in page.text
    assert f"{FORMULA} *vet* _schuin_ `code` {SCRIPT}" in page.text
    assert f"Afdeling | Communicatie {IMG}" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "=HYPERLINK(&#34;http://evil.example/x&#34;,&#34;klik&#34;)" in text


def test_html_without_findings_obstacles_or_interventions(pack: Pack) -> None:
    result = check_request({"title": "Onderhoud lift"}, pack, lang="nl")
    text = html_render.render(build_report([result], pack, "nl"), RenderOptions(lang="nl"))
    Page(text)
    assert "Geen belemmeringen gesignaleerd." in text
    assert "Geen interventies voorgesteld." in text
    assert "geen kans gevonden; beantwoord de open vragen" in text
    assert "niet beantwoord" in text
    assert "<nav" not in text  # one request: no contents
    assert "<title>NAMI-onderbouwing — Onderhoud lift</title>" in text


# --- Markdown -------------------------------------------------------------------------------------


def md_to_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_has_the_same_content(pack: Pack) -> None:
    report = hostile(pack, "nl")
    text = md_render.render(report, RenderOptions(lang="nl"))
    assert text.startswith("# NAMI-onderbouwing\n")
    assert text.endswith("**nami is een hulpmiddel: de inkoper beslist en blijft verantwoordelijk.**\n")
    assert "\n\n\n" not in text
    for needle in (
        "## INK-2026-031 · Relatiegeschenken",
        "### De aanvraag in het kort",
        "- **Hoeveelheid:** 500 stuks",
        "- **Geraamde waarde:** €\u00a01.050,00 excl. btw",
        "> **Advies:** **Niet inkopen** — Is dit écht nodig?",
        "#### R0 · Niet: Is dit écht nodig? — ! KANS",
        "#### R1 · Anders: Is het echt in deze vorm nodig? — ✓ ONDERBOUWD",
        "#### R2 · Minder: Is het echt in deze hoeveelheid nodig? — ? OPEN",
        "- **Antwoord:** weet niet",
        "    - op grond van: category = promotional-items",
        "    - regel refuse-promo",
        "| Niveau | technisch | economisch | juridisch | sociaal-cultureel |",
        "| **individu** | — | — | — | **▶ Gewoonte** |",
        "| **systeem** | — | **▶ Jaarbudget** | — | — |",
        "1. **Beleid** — Stel beleid vast.",
        "   - **Begin met:** Schrijf een notitie.",
        "Regelset: test-pack 1.0",
        f"Datum: {run_date()}",
    ):
        assert needle in text, needle
    # rendered, it is a document with the expected structure
    rendered = md_to_html(text)
    assert rendered.count("<h2>") == 4  # contents, two requests, sources
    assert "<h2>Bronnen</h2>" in rendered
    assert rendered.count("<h4>") == 6
    assert rendered.count("<table>") == 5  # contents, totals per advice and per decision, two matrices


def test_markdown_escapes_input_text(pack: Pack) -> None:
    text = md_render.render(hostile(pack, "en"), RenderOptions(lang="en"))
    assert not re.search(r"(?<!\\)<", text), "an unescaped < in the Markdown"
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert '\\=HYPERLINK("http://evil.example/x","klik") \\*vet\\* \\_schuin\\_ \\`code\\`' in text
    rendered = md_to_html(text)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<em>" not in rendered and "<code>" not in rendered
    # a | in a title does not break the contents table: every row keeps its six cells
    table = rendered.split("<table>", 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        assert len(re.findall(r"<t[hd][ >]", row)) == 6
    assert '<td>2</td>\n<td><a href="#-schriften--nietjes"># Schriften | nietjes</a></td>' in table
    # a title starting with # is not a heading of its own
    assert "<h1># Schriften" not in rendered and "## \\# Schriften \\| nietjes" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text"),
        ("# kop", "\\# kop"),
        ("=SUM(A1)", "\\=SUM(A1)"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("1.200 stuks", "1.200 stuks"),
        ("a | b", "a \\| b"),
        ("regel 1\nregel 2\r\n\n# kop", "regel 1 regel 2 # kop"),
        (
            "<b>*x*</b> _y_ `z` [l](u) ~s~ $m$ &amp;",
            "\\<b\\>\\*x\\*\\</b\\> \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\$m\\$ \\&amp;",
        ),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_md_escape(value: str, expected: str) -> None:
    assert md_escape(value) == expected


def test_md_escape_renders_as_the_original_text() -> None:
    for value in ("<b>*x*</b> _y_ `z` [l](u) ~s~ &amp; a|b", "# kop", "=SUM(A1)", "1. item", "back\\slash"):
        rendered = md_to_html(f"| a |\n|---|\n| {md_escape(value)} |\n\n{md_escape(value)}\n")
        plain = re.sub(r"<[^>]+>", "", rendered)
        plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        assert plain.split() == ["a", *value.split(), *value.split()], rendered


# --- reports of the example requests, with the shipped pack ------------------------------------


WORDS_MORE = {
    "nl": "en nog {n} in het JSON-resultaat (--format json)",
    "en": "and {n} more in the JSON result (--format json)",
}


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*") if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_example_renders(lang: str) -> None:
    files = example_files()
    assert files, f"{EXAMPLES} holds no request files"
    shipped = load_pack()
    report = build_report([check_file(p, shipped, lang=lang) for p in files], shipped, lang)
    text = html_render.render(report, RenderOptions(lang=lang))
    assert_self_contained(text)
    page = Page(text)
    assert page.names().count("article") == len(files)
    assert len(page.with_class("question")) == 3 * len(files)
    assert len(page.with_class("matrix")) == len(files)
    assert f"{report.rules.name} {report.rules.version}" in page.text
    markdown = md_render.render(report, RenderOptions(lang=lang))
    rendered = md_to_html(markdown)
    assert rendered.count("<h4>") == 3 * len(files)
    for result in report.results:
        assert result.request.title.split()[0] in page.text
        for strat in result.strategies:
            for finding in strat.findings:
                assert finding.rule in page.text and finding.rule in markdown
        shown = viewmodel.shown_interventions(result)
        assert len(shown) == min(len(result.interventions), viewmodel.MAX_INTERVENTIONS)
        for iv in shown:
            if iv.first_step:
                assert " ".join(iv.first_step.split()) in page.text
        if len(result.interventions) > len(shown):
            more = len(result.interventions) - len(shown)
            assert WORDS_MORE[lang].format(n=more) in page.text


# --- the screen report ----------------------------------------------------------------------------


def screen_summary() -> dict[str, Any]:
    return {
        "file": "uitgaven-2025.csv",
        "rows_read": 1243,
        "rows_screened": 1238,
        "rows_with_errors": 5,
        "rows_classified": 1010,
        "spend_total": 2345678.9,
        "rows_with_amount": 1238,
        "lang": "nl",
        "rows_out_of_scope": 0,
        "spend_per_scope": {},
        "spend_per_advice": {
            "refuse": 312450.0,
            "rethink": 845120.5,
            "reduce": 402300.0,
            "none": 785808.4,
            "error": 0.0,
        },
        "rows_per_advice": {"refuse": 140, "rethink": 310, "reduce": 220, "none": 568, "error": 0},
        "spend_per_category": {
            "furniture": {"title": "Meubilair", "rows": 95, "spend": 402300.0},
            "ict-hardware": {"title": "ICT-hardware", "rows": 210, "spend": 845120.5},
            "unclassified": {"title": "", "rows": 228, "spend": 785808.4},
            "promotional-items": {"title": f"Relatie {SCRIPT}", "rows": 140, "spend": 112450.0},
        },
        "top_rules": [
            {
                "id": "rethink-age",
                "title": "Vervanging op leeftijd",
                "strategy": "rethink",
                "rows": 180,
                "spend": 640000.0,
            },
            {
                "id": "refuse-promo",
                "title": "Relatiegeschenk",
                "strategy": "refuse",
                "rows": 140,
                "spend": 112450.0,
            },
        ],
        "matrix": [
            {
                "dimension": "economic",
                "level": "system",
                "count": 260,
                "obstacles": [
                    {"id": "depreciation", "title": "Afschrijvingsregels", "count": 180},
                    {"id": "annual-budget", "title": "Jaarbudget", "count": 90},
                ],
            },
            {
                "dimension": "socio-cultural",
                "level": "individual",
                "count": 140,
                "obstacles": [{"id": "habit", "title": "Gewoonte", "count": 140}],
            },
        ],
        "rules": {"name": "nami-core", "version": "2026.1"},
        "generated": "2026-11-28",
    }


def screen_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "refuse": [
            {
                "row": 17,
                "description": f"{SCRIPT} 500 pennen",
                "category": "Relatiegeschenken",
                "amount": 1050.0,
                "rules": ["refuse-promo"],
            },
            {"row": 212, "description": FORMULA, "category": "", "amount": 12.0, "rules": []},
        ],
        "rethink": [
            {
                "row": 5,
                "description": "400 laptops",
                "category": "ICT-hardware",
                "amount": 480000.0,
                "rules": ["rethink-age", "reduce-per-user"],
            }
        ],
    }


def screen_model(summary: dict[str, Any], rows: dict[str, Any] | None = None) -> ScreenSummary:
    return ScreenSummary.model_validate({**summary, "top_rows": screen_rows() if rows is None else rows})


def test_screen_report_sections_and_figures() -> None:
    text = render_screen_report(screen_model(screen_summary()), RenderOptions(lang="nl"))
    assert_self_contained(text)
    page = Page(text)
    found = sections(text)
    assert found["doc-head"].startswith("NAMI-screening")
    assert "uitgaven-2025.csv" in found["doc-head"] and "nami-core 2026.1" in found["doc-head"]
    figures = found["figures"]
    for figure in (
        "1.243 Rijen gelezen",
        "1.238 Rijen gescreend",
        "5 Rijen met fouten",
        "1.010 Rijen met categorie",
    ):
        assert figure in figures
    assert "€\u00a02.345.679 Totale uitgave" in figures
    # spend per advice: a bar per advice with its amount, share and rows beside it
    advice = found["advice-section"]
    assert "Niet (R0) 140 rijen €\u00a0312.450 13,3%" in advice
    assert "Anders (R1) 310 rijen €\u00a0845.120 36,0%" in advice
    assert "geen advies 568 rijen €\u00a0785.808 33,5%" in advice
    fills = [a["width"] for tag, a in page.tags if tag == "rect" and a.get("class") == "fill"]
    assert fills[:4] == ["36.97%", "100.00%", "47.60%", "92.98%"]
    # spend per category, largest first; the unclassified rows under their own name
    category = found["category-section"]
    order = [category.index(name) for name in ("ICT-hardware", "niet herkend", "Meubilair", "Relatie")]
    assert order == sorted(order)
    # the heatmap: 12 cells, counts printed, shade by count
    heat = page.with_class("heat")
    assert len(heat) == 1
    heat_cells = [
        a["class"] for tag, a in page.tags if tag == "td" and a.get("class", "").startswith("heat-")
    ]
    assert len(heat_cells) == 12
    assert (
        heat_cells.count("heat-4") == 1
        and heat_cells.count("heat-3") == 1
        and heat_cells.count("heat-0") == 10
    )
    assert "260 Afschrijvingsregels: 180 Jaarbudget: 90" in found["matrix-section"]
    assert "140 Gewoonte: 140" in found["matrix-section"]
    # top rules and top rows with their spreadsheet row numbers
    assert "Vervanging op leeftijd rethink-age Anders 180 €\u00a0640.000 27,3%" in found["rules-section"]
    rows = found["rows-section"]
    assert f"Niet (R0) Rij Omschrijving Categorie Bedrag Regels 17 {SCRIPT} 500 pennen" in rows
    assert "€\u00a01.050,00 refuse-promo 212" in rows and "€\u00a012,00" in rows
    assert "5 400 laptops ICT-hardware €\u00a0480.000,00 rethink-age, reduce-per-user" in rows
    assert "Minder (R2) Geen rijen." in rows
    assert "nami is een hulpmiddel: de inkoper beslist en blijft verantwoordelijk." in found["doc-foot"]


def test_screen_report_escapes_input_text() -> None:
    text = render_screen_report(screen_model(screen_summary()), RenderOptions(lang="en"))
    page = Page(text)
    assert "script" not in page.names()
    assert f"{SCRIPT} 500 pennen" in page.text
    assert f"Relatie {SCRIPT}" in page.text
    assert FORMULA in page.text
    assert "=HYPERLINK(&#34;http://evil.example/x&#34;" in text
    assert "Refuse (R0) 140 rows €312,450 13.3%" in page.text


def test_screen_report_shapes_of_the_screen_command() -> None:
    """Unreadable rows get a bar of their own; 'unclassified' is named; zero counts and long lists trimmed."""
    summary = screen_summary()
    summary["spend_per_advice"]["error"] = 1000.0
    summary["rows_per_advice"]["error"] = 3
    summary["spend_per_category"] = {"unclassified": {"title": "", "rows": 3, "spend": 10.0}}
    summary["matrix"][0]["obstacles"].append({"id": "x", "title": "Nooit geraakt", "count": 0})
    summary["top_rules"] = [
        {"id": f"rule-{i}", "title": f"Regel {i}", "strategy": None, "rows": 1, "spend": 1.0}
        for i in range(20)
    ]
    text = render_screen_report(screen_model(summary), RenderOptions(lang="nl"))
    found = sections(text)
    assert "niet te lezen 3 rijen €\u00a01.000 0,0%" in found["advice-section"]
    assert found["category-section"].startswith("Uitgave per categorie niet herkend 3 rijen")
    assert "unclassified" not in text
    assert "Nooit geraakt" not in text
    assert "rule-14" in text and "rule-15" not in text
    assert "None" not in found["rules-section"]
    summary["spend_per_advice"]["error"] = 0.0
    summary["rows_per_advice"]["error"] = 0
    assert "niet te lezen" not in render_screen_report(screen_model(summary), RenderOptions(lang="nl"))


def test_screen_report_of_an_empty_list_in_pounds_with_a_total_row() -> None:
    summary = screen_summary() | {
        "rows_read": 1,
        "rows_screened": 0,
        "rows_with_errors": 1,
        "rows_classified": 0,
        "spend_total": 0.0,
        "spend_per_advice": dict.fromkeys(("refuse", "rethink", "reduce", "none", "error"), 0.0),
        "rows_per_advice": dict.fromkeys(("refuse", "rethink", "reduce", "none"), 0) | {"error": 1},
        "spend_per_category": {},
        "top_rules": [],
        "lang": "en",
        "currency": "GBP",
        "totals": {"rows": 1, "amount": 2500.0},
    }
    text = render_screen_report(screen_model(summary, {}))
    assert_self_contained(text)
    found = sections(text)
    assert found["doc-head"].startswith("NAMI screening")
    assert found["rows-section"].count("No rows.") == 3
    assert "Refuse (R0) 0 rows £0" in found["advice-section"]
    assert "1 · £2,500 Total rows (not counted)" in found["figures"]
    assert "€" not in found["figures"] + found["advice-section"]


# --- the CLI --------------------------------------------------------------------------------------


def test_formats_are_registered() -> None:
    assert renderer("markdown") is md_render.render
    assert renderer("html") is html_render.render
    assert {"markdown", "html"} <= set(FORMATS)


def test_cli_check_html_to_a_file(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    request = write(
        "r.yaml", f"id: X-1\ntitle: 500 pennen {SCRIPT}\ncategory: promotional-items\nquantity: 500\n"
    )
    out = tmp_path / "report.html"
    result = run("check", "--format", "html", "--lang", "en", "-o", str(out), str(request))
    assert result.exit_code in (0, 1), result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert_self_contained(text)
    page = Page(text)
    assert f"500 pennen {SCRIPT}" in page.text
    assert "NAMI justification" in page.text
    assert "X-1 · 500 pennen" in page.text
    assert str(request) in page.text  # the file, also in the findings' locations


def test_cli_check_markdown_to_stdout(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    request = write("r.yaml", "title: Onderhoud lift\n")
    result = run("check", "--format", "markdown", "--fail-on", "never", str(request))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# NAMI-onderbouwing\n")
    assert "## Onderhoud lift" in result.stdout
