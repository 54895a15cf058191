"""Dutch mode speaks Dutch and English mode English: nami's own words never come in the other language.

Request texts and source titles are the user's or the source's words and stay as written; the lists below
hold words and phrases only nami itself writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
