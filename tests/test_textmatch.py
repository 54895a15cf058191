"""Keyword matching: accents, plurals, Dutch compounds, phrases, word starts."""

from __future__ import annotations

import pytest

from nami_cli.textmatch import KeywordSet, TextIndex


def find(keywords: list[str], text: str) -> str | None:
    return KeywordSet.compile(keywords).find(TextIndex.of(text))


@pytest.mark.parametrize(
    ("keyword", "text", "found"),
    [
        ("pen", "500 pennen met logo", "pennen"),
        ("pen", "balpennen voor de balie", "balpennen"),
        ("pen", "een open dag", None),
        ("beker", "Koffiebekers voor de kantine", "koffiebekers"),
        ("geschenk", "Relatiegeschenken jubileum", "relatiegeschenken"),
        ("cup", "Disposable CUPS", "cups"),
        ("cafe", "Café-inrichting", "cafe"),
        ("give-away", "giveaway en give away", "give away"),
        ("bureau*", "nieuwe bureaustoelen", "bureaustoelen"),
        ("end of year", "spend before the END of the year", None),
        ("end of year", "budget at end of year", "end of year"),
        ("laptop", "Laptops vervangen", "laptops"),
        ("bus", "twee bussen", "bussen"),
        ("stoel", "stoelen", "stoelen"),
    ],
)
def test_keyword_matching(keyword: str, text: str, found: str | None) -> None:
    assert find([keyword], text) == found


def test_accents_in_keywords_and_text() -> None:
    assert find(["één"], "Een keer") == "een"
    assert find(["reünie"], "REUNIE 2026") == "reunie"


def test_no_match_on_empty_text() -> None:
    assert find(["pen"], "") is None
