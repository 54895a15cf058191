"""The translation catalogue: every key in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from nami_cli.i18n import Msg, MsgError, count, in_lang, join_or, labels, noun, t, words
from nami_cli.i18n.catalogue import CATALOGUE


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_with_the_same_placeholders(key: str) -> None:
    nl, en = CATALOGUE[key]
    assert nl.strip() and en.strip(), key
    assert _fields(nl) == _fields(en), key


def test_a_key_is_written_in_the_language_asked_for() -> None:
    assert t("stopped.interrupted", "nl") == "nami: onderbroken"
    assert t("stopped.interrupted", "en") == "nami: interrupted"


def test_plurals_follow_the_count_and_the_number_format() -> None:
    assert count("noun.request", 1, "nl") == "1 aanvraag"
    assert count("noun.request", 2, "nl") == "2 aanvragen"
    assert count("noun.row", 1, "en") == "1 row"
    assert count("noun.row", 12345, "en") == "12,345 rows"
    assert count("noun.row", 12345, "nl") == "12.345 rijen"
    assert noun("noun.request", 0, "en") == "requests"


def test_a_message_is_put_into_words_where_the_language_is_known() -> None:
    msg = Msg("load.required")
    assert msg.text("nl") != msg.text("en")
    assert str(msg) == msg.text("en")
    assert in_lang(MsgError(msg), "nl") == msg.text("nl")
    assert join_or(["a", "b", "c"], "nl") == "a, b of c"
    with pytest.raises(KeyError):
        Msg("no.such.key")


def test_tables_built_from_the_catalogue_keep_their_shape() -> None:
    assert words("text")["nl"]["via"]["cpv"] == "uit CPV"
    assert labels("strategy")["refuse"] == {"nl": "Niet", "en": "Refuse"}
