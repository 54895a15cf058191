"""Dutch mode speaks Dutch and English mode English: nami's own words never come in the other language.

Request texts and source titles are the user's or the source's words and stay as written; the lists below
hold words and phrases only nami itself writes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.lists.columns import FIELDS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))

ENGLISH = [
    r"\bthe\b",
    r"\band\b",
    r"\bwith\b",
    r"\bfor\b",
    r"\brequests?\b",
    r"\brows?\b",
    r"\bstep\b",
    r"\bSource\b",
    r"\bVerdict\b",
    r"\bWhy\b",
    r"\bAnswer\b",
    r"\bAdvice\b",
    r"\bObstacles\b",
    r"\binterrupted\b",
    r"\bselections?\b",
    r"Use arrow",
    r"\bdone\b",
    r"\(s\)",
]
DUTCH = [
    r"\baanvraag\b",
    r"\baanvragen\b",
    r"\brijen\b",
    r"\bstap\b",
    r"\bBron\b",
    r"\bOordeel\b",
    r"\bWaarom\b",
    r"\bAntwoord\b",
    r"\bAdvies\b",
    r"\bBelemmeringen\b",
    r"\bEerste stap\b",
    r"\bonderbroken\b",
    r"\bgekozen\b",
    r"\bverwacht\b",
    r"\bInterventies\b",
    r"\bRegels\b",
    r"aanvraag/",
]
OTHER = {"nl": ENGLISH, "en": DUTCH}


def nami_output(run: Callable[..., Any], lang: str) -> str:
    env = {"COLUMNS": "100", "LINES": "24"}
    parts = [run("demo", "--auto", "--lang", lang, "--color", "never", env=env).stdout]
    for path in EXAMPLES:
        result = run("check", str(path), "--lang", lang, "--color", "never", "--fail-on", "never", env=env)
        assert result.exit_code == 0, result.output
        parts.append(result.stdout)
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_demo_and_check_speak_one_language(run: Callable[..., Any], lang: str) -> None:
    text = re.sub(r"\S*/\S*\.yaml\S*", " ", nami_output(run, lang))  # file paths are names
    for pattern in OTHER[lang]:
        found = [line for line in text.splitlines() if re.search(pattern, line)]
        if lang == "en":  # the demo's sources are Dutch titles; the example requests are written in Dutch
            found = [line for line in found if "Source:" not in line and "Answer:" not in line]
        assert not found, (pattern, found[:3])


@pytest.mark.parametrize(
    ("lang", "one", "many"), [("nl", "1 aanvraag:", "aanvragen:"), ("en", "1 request:", "requests:")]
)
def test_the_count_of_requests_is_plural_only_when_it_should_be(
    run: Callable[..., Any], lang: str, one: str, many: str
) -> None:
    single = run("check", str(EXAMPLES[0]), "--lang", lang, "--fail-on", "never").stdout
    assert one in single and many not in single
    several = run("check", *map(str, EXAMPLES[:2]), "--lang", lang, "--fail-on", "never").stdout
    assert f"2 {many}" in several


def test_the_progress_count_is_in_the_readers_number_format() -> None:
    from nami_cli.commands.screen import progress_text

    assert progress_text(12345, 4100.4, "nl") == "12.345 rijen  4.100 rijen/s"
    assert progress_text(12345, 4100.4, "en") == "12,345 rows  4,100 rows/s"


def test_the_demo_menu_instruction_is_in_the_buyers_language() -> None:
    import inspect

    from nami_cli.commands import demo
    from nami_cli.interactive.interview.prompter import MESSAGES

    assert 'instruction=MESSAGES[language]["select"]' in inspect.getsource(demo.demo)
    assert "Use arrow" not in MESSAGES["nl"]["select"] and "pijltjes" in MESSAGES["nl"]["select"]


# -- every command, on good and bad input ---------------------------------------------------------------
# The inputs are written in the language of the run, so what is left after removing the data parts (file
# paths, quoted values, ids, option names, request keys, the pack's untranslated examples, sources and
# keywords) is nami's own text: a word only the other language uses fails the test, with the command.

#: words nami's Dutch output must not contain (common English function words and UI words)
ENGLISH_WORDS = [
    "the",
    "and",
    "with",
    "for",
    "not",
    "must",
    "should",
    "cannot",
    "unknown",
    "did",
    "you",
    "mean",
    "allowed",
    "write",
    "file",
    "folder",
    "found",
    "column",
    "columns",
    "rows",
    "row",
    "request",
    "requests",
    "rule",
    "rules",
    "step",
    "source",
    "verdict",
    "why",
    "answer",
    "advice",
    "obstacles",
    "interventions",
    "decision",
    "interrupted",
    "selections",
    "done",
    "error",
    "syntax",
    "empty",
    "number",
    "mapping",
    "key",
    "keys",
    "missing",
    "exists",
    "given",
    "recognised",
    "opportunity",
    "justified",
    "this",
    "that",
    "these",
    "from",
    "into",
    "only",
    "more",
    "than",
    "less",
    "there",
    "which",
    "what",
    "when",
    "where",
    "will",
    "would",
    "could",
    "passed",
    "failed",
    "needed",
    "reduce",
    "refuse",
    "rethink",
    "categories",
    "expected",
    "read",
    "wrote",
    "belongs",
    "under",
    "valid",
    "fields",
    "field",
    "greater",
    "whole",
    "finite",
    "text",
    "list",
    "day",
    "calendar",
    "choose",
    "try",
    "sheet",
    "sheets",
    "workbook",
    "cells",
    "cell",
    "written",
    "binary",
    "disk",
    "full",
    "output",
    "input",
    "overwrite",
    "first",
    "duplicate",
    "required",
    "invalid",
    "numbers",
    "pack",
    "intervention",
    "obstacle",
    "signal",
    "have",
    "has",
    "are",
    "been",
    "used",
    "because",
    "total",
    "spend",
    "chance",
    "justification",
    "classified",
    "screened",
    "errors",
    "tested",
    "level",
    "top",
    "quotes",
    "indent",
    "spaces",
]
#: words nami's English output must not contain (common Dutch function words and UI words)
DUTCH_WORDS = [
    "de",
    "het",
    "een",
    "niet",
    "moet",
    "geen",
    "kan",
    "zijn",
    "wordt",
    "werd",
    "voor",
    "naar",
    "bij",
    "uit",
    "als",
    "maar",
    "ook",
    "nog",
    "dan",
    "dit",
    "deze",
    "die",
    "wat",
    "welke",
    "waar",
    "bestand",
    "bestanden",
    "map",
    "kolom",
    "kolommen",
    "rij",
    "rijen",
    "regel",
    "regels",
    "aanvraag",
    "aanvragen",
    "stap",
    "bron",
    "oordeel",
    "waarom",
    "antwoord",
    "advies",
    "belemmeringen",
    "interventies",
    "besluit",
    "onderbroken",
    "gekozen",
    "fout",
    "leeg",
    "getal",
    "sleutel",
    "sleutels",
    "ontbreekt",
    "bestaat",
    "onbekend",
    "bedoel",
    "schrijf",
    "toegestaan",
    "verwacht",
    "kans",
    "onderbouwd",
    "geslaagd",
    "mislukt",
    "nodig",
    "minder",
    "anders",
    "categorie",
    "geschreven",
    "gelezen",
    "onbekende",
    "hoort",
    "onder",
    "bijv",
    "toegestane",
    "geldige",
    "velden",
    "veld",
    "mag",
    "groter",
    "kleiner",
    "meer",
    "niveau",
    "hoofdniveau",
    "aanhalingstekens",
    "inspringing",
    "spaties",
    "geheel",
    "eindig",
    "tekst",
    "lijst",
    "datum",
    "dag",
    "kalender",
    "gevonden",
    "kies",
    "probeer",
    "blad",
    "bladen",
    "werkmap",
    "cellen",
    "cel",
    "lege",
    "binair",
    "schijf",
    "vol",
    "uitvoer",
    "invoer",
    "overschrijven",
    "eerst",
    "dubbel",
    "dubbele",
    "verplicht",
    "ongeldige",
    "ongeldig",
    "waarde",
    "waarden",
    "getallen",
    "regelset",
    "interventie",
    "belemmering",
    "signaal",
    "moeten",
    "hebben",
    "heeft",
    "worden",
    "gebruik",
    "gebruikt",
    "omdat",
    "totaal",
    "uitgaven",
    "bedrag",
    "reden",
    "scope",
    "kansen",
    "oordelen",
    "onderbouwing",
    "aanvrager",
    "titel",
    "omschrijving",
    "hoeveelheid",
    "ingedeeld",
    "beoordeeld",
    "fouten",
    "getest",
]
OTHER_WORDS = {"nl": ENGLISH_WORDS, "en": DUTCH_WORDS}

REQUEST = {
    "nl": "title: Bureaustoelen X200\nquantity: 40\nunit: stuks\nunit_price: 300\nreason: replacement\n"
    "replaces: {age_years: 12, condition: working, trigger: age}\n",
    "en": "title: Office chairs X200\nquantity: 40\nunit: pieces\nunit_price: 300\nreason: replacement\n"
    "replaces: {age_years: 12, condition: working, trigger: age}\n",
}
LIST = {
    "nl": "Omschrijving;Bedrag;Aantal\nPennen met logo;1.050,00;500\nKopieerpapier A4;89,90;20\n"
    "Onderhoud liften;4.500,00;1\n",
    "en": "Description,Amount,Quantity\nBranded pens,1050.00,500\nCopy paper A4,89.90,20\n"
    "Lift maintenance,4500.00,1\n",
}
BAD_REQUESTS = {
    "syntax": "title: a: b\n",
    "tab": "title: X\n\tquantity: 2\n",
    "unknown-key": "titel: X200\nquantity: 2\n",
    "misplaced-answer": "title: X200\nrefuse: yes\n",
    "values": "title: X200\nquantity: -5\nreason: nieuwx\nunit_price: abc\ncategory: Kantoorspul\n",
    "not-mapping": "- a\n- b\n",
    "empty": "",
    "duplicate": "title: A\ntitle: B\n",
    "date": "title: A\nneeded_by: 2026-02-31\n",
    "cpv": "title: A\ncpv: 1234\n",
}


#: the keys of a request file: nami writes them in YAML examples and conditions (``category = x``)
KEYS = [
    "title",
    "description",
    "category",
    "cpv",
    "quantity",
    "unit",
    "unit_price",
    "estimated_value",
    "reason",
    "replaces",
    "age_years",
    "condition",
    "trigger",
    "usage",
    "stock",
    "annual_use",
    "users",
    "requester",
    "needed_by",
    "obstacles",
    "answers",
    "refuse",
    "rethink",
    "reduce",
    "answer",
    "justification",
    "decision",
    "chosen",
    "decided_by",
    "name",
    "role",
    "date",
    "reasoning",
    "new_quantity",
    "new_form",
    "value",
    "stock_years",
    "supply_years",
    "quantity_per_user",
]
#: rule pack parts that are data, not translated: examples, sources, keywords
DATA_KEYS = {"source", "sources", "examples", "keywords", "guards", "match", "no_match"}


@functools.cache
def _pack_data() -> re.Pattern[str]:
    """The texts of the shipped pack that are data in one language (examples, sources, keywords)."""
    import html
    import json

    import yaml

    texts: set[str] = set()

    def walk(node: Any, data: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, data or key in DATA_KEYS)
        elif isinstance(node, list):
            for value in node:
                walk(value, data)
        elif isinstance(node, str) and data and " " in node.strip() and len(node) >= 8:  # not one word
            escaped = html.escape(node)
            texts.update(
                {
                    node,
                    escaped,
                    escaped.replace("&#x27;", "&#39;"),
                    json.dumps(node, ensure_ascii=False)[1:-1],
                }
            )

    for path in sorted((Path(__file__).resolve().parents[2] / "rules").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), False)
    alternatives = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _cleaned(text: str) -> str:
    """The output without its data parts: what is left is nami's own words."""
    text = re.sub(r"<style[^>]*>.*?</style>", lambda m: "\n" * m[0].count("\n"), text, flags=re.S)  # CSS
    text = text.replace(", ".join(FIELDS), " ")  # the fields --map takes
    text = re.sub(r"^\s*(?:nl|en): .*$", " ", text, flags=re.M)  # a category's keywords, per language
    text = _pack_data().sub(lambda m: " " + "\n" * m[0].count("\n"), text)
    text = re.sub(r"<[^>]+>", lambda m: " " + "\n" * m[0].count("\n"), text)  # HTML tags
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`", " ", text)  # quoted values and commands
    text = re.sub(r"(:\d+:\d+: )[^\s:]+: ", r"\1 ", text)  # the key path a problem is at: the file's own
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths and urls
    text = re.sub(r"\b\w+(?:\[\d+\])?(?:[-_.]\w+(?:\[\d+\])?)+\b", " ", text)  # ids, field paths, file names
    text = re.sub(r"(?<![\w-])--?[a-z][\w-]*", " ", text)  # option names
    keys = "|".join(KEYS)
    text = re.sub(rf"\b(?:{keys})\b(?=\s*[:=])", " ", text)  # request keys in YAML and conditions
    return text


def _lines(lang: str, text: str) -> list[str]:
    found = []
    for line, clean in zip(text.splitlines(), _cleaned(text).splitlines(), strict=True):
        if re.search(r"\b(Source|Bron|bron|source)\b\s*:", line):
            continue  # a source title is the publication's own words
        words = set(re.findall(r"[^\W\d_]+", clean.lower()))
        hits = sorted(words & set(OTHER_WORDS[lang]))
        if hits:
            found.append(f"{hits}: {line.strip()}")
    return found


def _runs(run: Callable[..., Any], tmp: Path, lang: str) -> dict[str, str]:
    def w(name: str, text: str) -> str:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    env = {
        "COLUMNS": "400",
        "LINES": "24",
        "NAMI_LANG": lang,
    }  # wide: data not wrapped
    L = ("--lang", lang)
    out: dict[str, str] = {}

    def go(label: str, *args: str, files: tuple[str, ...] = ()) -> None:
        result = run(*args, env=env)
        assert result.exit_code in (0, 1, 3), (label, result.exit_code, result.output)
        out[label] = result.output + "".join(
            Path(f).read_text(encoding="utf-8") for f in files if Path(f).exists()
        )

    good = w("good.yaml", REQUEST[lang])
    go("check", "check", good, *L, "--fail-on", "never")
    go("check markdown", "check", good, *L, "--format", "markdown")
    go("check html", "check", good, *L, "--format", "html")
    go("check two", "check", good, good, *L)
    for name, text in BAD_REQUESTS.items():
        go(f"check bad {name}", "check", w(f"bad-{name}.yaml", text), *L)
    go("check missing", "check", str(tmp / "none.yaml"), *L)
    go("check folder", "check", str(tmp), *L)
    listing = w("list.csv", LIST[lang])
    summary, report = str(tmp / "s.json"), str(tmp / "r.html")
    go("screen", "screen", listing, "-o", str(tmp / "o.csv"), "--report", report, *L, files=(report,))
    go("screen summary", "screen", listing, "-o", str(tmp / "o2.csv"), "--summary", summary, *L)
    go("screen no column", "screen", w("cols.csv", "a;b\n1;2\n"), *L)
    go("screen bad map", "screen", listing, "--map", "colour=X", *L)
    go("screen map column", "screen", listing, "--map", "description=Nope", *L)
    go("screen missing", "screen", str(tmp / "none.csv"), *L)
    go("screen binary", "screen", w("bin.csv", "\x00\x01binary"), *L)
    go("rules list", "rules", "list", "--all", *L)
    go("rules show", "rules", "show", "refuse-promotional-items", *L)
    go("rules show unknown", "rules", "show", "refuse-promotional-itemz", *L)
    go("rules test", "rules", "test", *L)
    go("rules validate", "rules", "validate", *L)
    bad_pack = tmp / "pack"
    bad_pack.mkdir(exist_ok=True)
    (bad_pack / "rules.yaml").write_text("rules:\n  - id: x\n    bogus: 1\n", encoding="utf-8")
    go("rules validate bad", "rules", "validate", str(bad_pack), *L)
    go("matrix", "matrix", *L)
    target = str(tmp / f"init-{lang}.yaml")
    go("init", "init", target, *L, files=(target,))
    go("init exists", "init", target, *L)
    go("demo", "demo", "--auto", *L)
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_command_speaks_one_language(run: Callable[..., Any], tmp_path: Path, lang: str) -> None:
    leaks = {
        label: found for label, text in _runs(run, tmp_path, lang).items() if (found := _lines(lang, text))
    }
    assert not leaks, "\n".join(f"{label}: {line}" for label, lines in leaks.items() for line in lines[:5])


def test_the_word_lists_catch_a_message_in_the_other_language() -> None:
    assert _lines("nl", "nami: a.yaml:1:1: title: must not be empty")
    assert _lines("en", "nami: a.yaml:1:1: title: mag niet leeg zijn")
    assert not _lines("nl", "nami: a.yaml:1:1: title: mag niet leeg zijn")
    assert not _lines("en", "nami: a.yaml:1:1: title: must not be empty; did you mean 'refuse-x'?")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_interview_speaks_one_language(lang: str) -> None:
    """The interview's questions, choices, notes and the messages for refused input, scripted."""
    from scripted_prompter import Each, ScriptedPrompter

    from nami_cli.interactive.interview.flow import run_flow
    from nami_cli.rulepack.pack import load_pack

    answers = {
        "title": "X200",
        "category": "furniture",
        "cpv": Each("3913", "39130000-2"),
        "quantity": Each("-4", "abc", "40"),
        "unit_price": Each("1.500", "650"),
        "reason": "replacement",
        "usage.any": True,
        "usage.users": Each("30,5", "30"),
        "decision.chosen": "reduce",
        "decision.date": Each("30-11-2026", "2026-11-30"),
    }
    prompter = ScriptedPrompter(answers, lang=lang, strict=False)
    run_flow(prompter, load_pack(), lang=lang)
    said = [*prompter.messages.values(), *(text for _, text in prompter.notes)]
    said += [message for _, _, message in prompter.refused]
    said += [choice.title for choices in prompter.choices.values() for choice in choices]
    assert prompter.refused, "the script types refused input, to see those messages too"
    leaks = _lines(lang, "\n".join(said))
    assert not leaks, "\n".join(leaks[:10])
