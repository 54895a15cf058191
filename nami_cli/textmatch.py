"""Keyword matching for Dutch and English purchase texts, without regular expressions from rule files.

Text and keywords are lower-cased, stripped of accents and split into words. A keyword matches a word
exactly, with a plural ending (``s``, ``es``, ``en``, ``n``, or Dutch consonant doubling + ``en``), or as
the last part of a compound when at least three letters stand before it (``beker`` in
``koffiebekers``). A keyword ending in ``*`` matches the start of a word; a keyword of several words
matches those words in a row.

For speed, a text is turned once into the set of all *forms* a keyword could match (:class:`TextIndex`);
checking a keyword is then a set look-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_WORD_RE = re.compile(r"[^\W_]+")
_PLURALS = ("es", "en", "s", "n")
MIN_COMPOUND_HEAD = 3  # letters that must stand before a keyword inside a compound


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case and strip accents: ``Één Café`` -> ``een cafe``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return _WORD_RE.findall(normalize(text))


def _bases(word: str) -> set[str]:
    """The word and the word without a plural ending."""
    out = {word}
    for ending in _PLURALS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            out.add(word[: -len(ending)])
    if word.endswith("en") and len(word) >= 5 and word[-3] == word[-4]:
        out.add(word[:-3])  # pennen -> pen, bussen -> bus
    return out


@lru_cache(maxsize=16384)
def forms(word: str) -> frozenset[str]:
    """Every keyword that would match ``word``: its bases and their compound tails."""
    out: set[str] = set()
    for base in _bases(word):
        out.add(base)
        for i in range(MIN_COMPOUND_HEAD, len(base) - 2):
            out.add(base[i:])
    return frozenset(out)


@dataclass
class TextIndex:
    """A text prepared for keyword look-ups."""

    tokens: list[str]
    index: dict[str, str] = field(default_factory=dict)  # form -> the word it was found in

    @classmethod
    def of(cls, text: str | None) -> TextIndex:
        tokens = words(text) if text else []
        index: dict[str, str] = {}
        for token in tokens:
            if token.isdigit():  # a number has no plural or compound forms
                index.setdefault(token, token)
                continue
            for form in forms(token):
                index.setdefault(form, token)
        return cls(tokens, index)


@dataclass(frozen=True)
class KeywordSet:
    """Compiled keywords: single words, phrases of several words, and word starts (``bureau*``)."""

    single: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    prefixes: tuple[str, ...]
    by_first: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            index.setdefault(phrase[0], []).append(phrase)
        self.by_first.update({k: tuple(v) for k, v in index.items()})

    @classmethod
    def compile(cls, keywords: Iterable[str]) -> KeywordSet:
        single: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        prefixes: list[str] = []
        for keyword in keywords:
            if keyword.endswith("*"):
                parts = words(keyword[:-1])
                if len(parts) == 1:
                    prefixes.append(parts[0])
                    continue
            parts = words(keyword.rstrip("*"))
            if len(parts) == 1:
                single.add(parts[0])
            elif parts:
                phrases.append(tuple(parts))
        return cls(frozenset(single), tuple(phrases), tuple(prefixes))

    def words(self) -> list[str]:
        """Every word of every keyword (for checks on the pack)."""
        return [*self.single, *(w for p in self.phrases for w in p), *self.prefixes]

    def find(self, text: TextIndex, *, single: bool = True) -> str | None:
        """The word (or words) of ``text`` that a keyword matches, or None.

        ``single=False`` looks only at phrases and word starts (single words found elsewhere).
        """
        if single and self.single:
            hit = self.single.intersection(text.index)
            if hit:
                return text.index[min(hit)]
        if self.by_first:
            tokens = text.tokens
            for i, token in enumerate(tokens):
                for phrase in self.by_first.get(token, ()):
                    n = len(phrase)
                    if (
                        i + n <= len(tokens)
                        and tuple(tokens[i + 1 : i + n - 1]) == phrase[1:-1]
                        and phrase[-1] in forms(tokens[i + n - 1])
                    ):
                        return " ".join(tokens[i : i + n])
        for prefix in self.prefixes:
            for token in text.tokens:
                if token.startswith(prefix):
                    return token
        return None


def is_valid_keyword(keyword: str) -> bool:
    """A keyword must hold at least one letter or digit."""
    return bool(words(keyword.rstrip("*")))
