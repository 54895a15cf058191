"""Keyword matching: accents, plurals, Dutch compounds and diminutives, English whole words, phrases,
word starts, numbers, and the cost of long words."""

from __future__ import annotations

import pytest

from nami_cli.assess.textmatch import MAX_COMPOUND_WORD, KeywordIndex, Lang, normalize


def find(keywords: list[str], text: str, lang: Lang = "any") -> str | None:
    """The words of ``text`` that the first matching keyword covers, or None."""
    index = KeywordIndex()
    ids = index.add_all(keywords, lang)
    found = index.scan(text)
    best: tuple[int, float, str] | None = None
    for kid in ids:
        for hit in found.hits.get(kid, ()):
            item = (hit.first, -hit.quality, found.words_of(hit))
            if best is None or item < best:
                best = item
    return normalize(best[2]) if best else None


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


@pytest.mark.parametrize(
    ("keyword", "text", "found"),
    [
        ("beker", "bekertjes voor de automaat", "bekertjes"),
        ("beker", "koffiebekertjes", "koffiebekertjes"),
        ("notitieboek", "20 notitieboekjes met logo", "notitieboekjes"),
        ("boek", "notitieboekjes", "notitieboekjes"),
        ("bal", "balletjes", "balletjes"),
        ("stoel", "bureaustoel", "bureaustoel"),
        ("telefoon", "mobiele telefoons", "telefoons"),
        ("pen", "open", None),  # two letters before the tail: no compound
    ],
)
def test_dutch_compounds_and_diminutives(keyword: str, text: str, found: str | None) -> None:
    assert find([keyword], text, "nl") == found


@pytest.mark.parametrize(
    ("keyword", "text", "found"),
    [
        ("phone", "Telephone line rental", None),
        ("phone", "Mobile phones for staff", "phones"),
        ("table", "Retractable ball pen", None),
        ("table", "Folding tables", "tables"),
        ("battery", "AA batteries", "batteries"),
        ("box", "moving boxes", "boxes"),
        ("cup", "teacups", None),
        ("paper towel", "paper towels for the toilets", "paper towels"),
    ],
)
def test_english_whole_words_with_plurals(keyword: str, text: str, found: str | None) -> None:
    assert find([keyword], text, "en") == found


def test_accents_in_keywords_and_text() -> None:
    assert find(["één"], "Een keer") == "een"
    assert find(["reünie"], "REUNIE 2026") == "reunie"


def test_no_match_on_empty_text() -> None:
    assert find(["pen"], "") is None
    assert KeywordIndex().scan(None).hits == {}


def test_number_capture_and_positions() -> None:
    index = KeywordIndex()
    nl = index.add("nog voor {n} jaar op voorraad", "nl")
    en = index.add("{n} years of stock", "en")
    found = index.scan("Kopieerpapier\nwe hebben nog voor twee jaar op voorraad")
    hit = found.hits[nl][0]
    assert hit.number == 2
    assert found.line_col(hit) == (2, 11)
    assert found.words_of(hit) == "nog voor twee jaar op voorraad"
    assert index.scan("about 3 years of stock left").hits[en][0].number == 3
    assert index.scan("half years of stock").hits[en][0].number == 0.5
    assert nl not in index.scan("nog voor veel jaar op voorraad")


def test_one_index_same_keyword_same_id() -> None:
    index = KeywordIndex()
    assert index.add("Pen", "nl") == index.add("pen", "nl")
    assert index.add("pen", "nl") != index.add("pen", "en")


def test_a_long_word_is_matched_whole_only() -> None:
    """Compound and prefix analysis stop at MAX_COMPOUND_WORD letters, so a 30 KB one-word title costs a
    few look-ups instead of one per tail (quadratic); the word itself still matches exactly."""
    index = KeywordIndex()
    kid = index.add("beker", "nl")
    prefix = index.add("aaa*", "nl")
    assert kid in index.scan("a" * (MAX_COMPOUND_WORD - 6) + "bekers")
    long_word = index.scan("a" * 30_000 + "bekers")
    assert kid not in long_word and prefix not in long_word
    assert kid in index.scan("a" * 30_000 + " bekers")
