"""Keyword matching for Dutch and English purchase texts: one index over every keyword of a rule pack.

Text and keywords are lower-cased, stripped of accents and split into words. How a keyword matches
depends on the language it is listed under:

- ``nl`` (Dutch): the word itself, its plural (``-s``, ``-en``, ``-n``, ``-es``, consonant doubling as
  in *pennen*), its diminutive (*bekertje*, *bekertjes*, *boekje*) and as the last part (the head) of
  a compound when at least three letters stand before it (``beker`` in *koffiebekers*);
- ``en`` (English): whole words with their regular plural only (``cup``/``cups``, ``box``/``boxes``,
  ``battery``/``batteries``): ``phone`` does not match *telephone*, ``table`` not *retractable*;
- a keyword without a language (a plain list in a rule condition, as older packs write them) matches
  both ways.

A keyword ending in ``*`` matches the start of a word (``bureau*``); a keyword of several words matches
those words in a row (the last one with its plural forms). A phrase word ``{n}`` stands for a number
(digits, or a number word such as *twee* or *two*) and is captured (signals).

All keywords of a pack — categories, guards, homonym ``unless`` words, scope entries, signals and rule
conditions — go into one :class:`KeywordIndex`. Scanning a text looks up each word a bounded number of
times (per distinct keyword length, never per keyword), so the cost grows with the length of the text,
not with the size of the pack; compound analysis is skipped for words longer than
:data:`MAX_COMPOUND_WORD` letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Lang = Literal["nl", "en", "any"]

_WORD_RE = re.compile(r"[^\W_]+")
MIN_COMPOUND_HEAD = 3  # letters that must stand before a keyword inside a compound
MAX_COMPOUND_WORD = 40  # longer words are matched whole only (no compound or prefix analysis)
MAX_HITS_PER_KEYWORD = 4
MEMO_WORDS = 50_000  # distinct words remembered
NUMBER = "{n}"

NUMBER_WORDS: dict[str, float] = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "half": 0.5,
    "anderhalf": 1.5,
}


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


def is_valid_keyword(keyword: str) -> bool:
    """A keyword must hold at least one letter or digit."""
    return bool(words(keyword.rstrip("*")))


def number_value(token: str) -> float | None:
    """The number a token stands for (digits or a number word), or None."""
    if token.isdigit():
        return float(int(token[:15]))
    return NUMBER_WORDS.get(token)


def _nl_bases(word: str) -> set[str]:
    """The word and the word without a Dutch plural or diminutive ending."""
    out = {word}
    for ending in ("jes", "je"):  # boekje(s) -> boek, bekertje(s) -> beker (via tje below)
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            out.add(stem)
            if stem.endswith(("t", "p", "k")) and len(stem) >= 4:
                out.add(stem[:-1])  # bekert-je, bloemp-je, koninkj-e
            if stem.endswith("et") and len(stem) >= 5 and stem[-3] == stem[-4]:
                out.add(stem[:-3])  # balletje -> bal
    for ending in ("es", "en", "s", "n"):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            out.add(word[: -len(ending)])
    if word.endswith("en") and len(word) >= 5:
        stem = word[:-2]
        if stem[-1] == stem[-2]:
            out.add(stem[:-1])  # pennen -> pen, bussen -> bus
        voiced = {"z": "s", "v": "f"}.get(stem[-1])
        if voiced:
            out.add(stem[:-1] + voiced)  # brieven -> brief
        if stem[-2] in "aeou" and stem[-1] not in _VOWELS and stem[-3] not in _VOWELS:
            long = stem[:-1] + stem[-2] + (voiced or stem[-1])
            out.add(long)  # bomen -> boom, dozen -> doos, vazen -> vaas
    return out


_VOWELS = frozenset("aeiouy")


def _en_bases(word: str) -> set[str]:
    """The word and the word without a regular English plural ending."""
    out = {word}
    if word.endswith("ies") and len(word) >= 5:
        out.add(word[:-3] + "y")
    if word.endswith("es") and len(word) >= 4:
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 3:
        out.add(word[:-1])
    return out


def bases(word: str) -> set[str]:
    """The word and its base forms in either language (jaren -> jaar, years -> year)."""
    return _nl_bases(word) | _en_bases(word)


@dataclass(frozen=True)
class Keyword:
    """One compiled keyword: its words, whether the last is a word start, and its language."""

    words: tuple[str, ...]
    prefix: bool
    lang: Lang

    @classmethod
    def parse(cls, text: str, lang: Lang) -> Keyword:
        prefix = text.rstrip().endswith("*")
        parts: list[str] = []
        for raw in text.rstrip().rstrip("*").split():
            parts.extend([NUMBER] if raw == NUMBER else words(raw))
        return cls(tuple(parts), prefix, lang)

    def __str__(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Token:
    text: str  # normalised
    start: int  # offsets in the original text
    end: int


@dataclass(frozen=True)
class Hit:
    """Where a keyword matched: token positions, the quality of the match and a captured number."""

    first: int  # token index
    last: int  # token index (inclusive)
    quality: float  # 1.0 whole word or phrase, 0.8 inside a compound, 0.6 a word start
    number: float | None = None


@dataclass
class TextHits:
    """A text scanned against a :class:`KeywordIndex`: its tokens and, per keyword id, its hits."""

    text: str
    tokens: list[Token]
    hits: dict[int, list[Hit]] = field(default_factory=dict)

    def __contains__(self, kid: int) -> bool:
        return kid in self.hits

    def words_of(self, hit: Hit) -> str:
        """The words of the text that a hit covers, as written."""
        return self.text[self.tokens[hit.first].start : self.tokens[hit.last].end]

    def line_col(self, hit: Hit) -> tuple[int, int]:
        """1-based line and column of a hit inside the text."""
        offset = self.tokens[hit.first].start
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def size(self) -> int:
        """An estimate of the bytes this object holds (for caches bounded in bytes)."""
        return 200 + 2 * len(self.text) + 120 * len(self.tokens) + 150 * len(self.hits)


def tokenize(text: str) -> list[Token]:
    if text.isascii():
        lowered = text.lower()
        return [Token(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(lowered)]
    out: list[Token] = []
    for m in _WORD_RE.finditer(text):
        for part in words(m.group()) or [m.group().lower()]:
            out.append(Token(part, m.start(), m.end()))
    return out


class KeywordIndex:
    """Every keyword of a pack, indexed by word form. Add keywords, then :meth:`scan` texts."""

    def __init__(self) -> None:
        self.keywords: list[Keyword] = []
        self._ids: dict[Keyword, int] = {}
        self._nl: dict[str, list[int]] = {}  # single Dutch (or language-less) words
        self._en: dict[str, list[int]] = {}  # single English (or language-less) words
        self._prefix: dict[str, list[int]] = {}
        self._phrase: dict[str, list[int]] = {}  # phrases by first word ({n} for a number)
        self._nl_lengths: tuple[int, ...] = ()
        self._prefix_lengths: tuple[int, ...] = ()
        self._ready = False
        self._memo: dict[str, tuple[tuple[int, float], ...]] = {}  # token -> its single-word matches

    def add(self, text: str, lang: Lang) -> int:
        """The id of a keyword (the same id for the same keyword in the same language)."""
        keyword = Keyword.parse(text, lang)
        kid = self._ids.get(keyword)
        if kid is None:
            kid = self._ids[keyword] = len(self.keywords)
            self.keywords.append(keyword)
            self._ready = False
        return kid

    def add_all(self, texts: Iterable[str], lang: Lang) -> list[int]:
        return sorted({self.add(t, lang) for t in texts})

    def _build(self) -> None:
        for table in (self._nl, self._en, self._prefix, self._phrase):
            table.clear()
        for kid, kw in enumerate(self.keywords):
            if not kw.words:
                continue
            if len(kw.words) > 1 or kw.words[0] == NUMBER:
                self._phrase.setdefault(kw.words[0], []).append(kid)
            elif kw.prefix:
                self._prefix.setdefault(kw.words[0], []).append(kid)
            else:
                if kw.lang in ("nl", "any"):
                    self._nl.setdefault(kw.words[0], []).append(kid)
                if kw.lang in ("en", "any"):
                    self._en.setdefault(kw.words[0], []).append(kid)
        self._nl_lengths = tuple(sorted({len(w) for w in self._nl}))
        self._prefix_lengths = tuple(sorted({len(w) for w in self._prefix}))
        self._memo.clear()
        self._ready = True

    def _single_cached(self, token: str) -> tuple[tuple[int, float], ...]:
        """:meth:`_single` remembered per word (words repeat across texts); bounded in entries of
        at most MAX_COMPOUND_WORD letters, so in bytes."""
        found = self._memo.get(token)
        if found is None:
            found = tuple(self._single(token))
            if len(token) <= MAX_COMPOUND_WORD:
                if len(self._memo) >= MEMO_WORDS:
                    self._memo.clear()
                self._memo[token] = found
        return found

    def _last_word_ok(self, kw: Keyword, token: str) -> bool:
        want = kw.words[-1]
        if kw.prefix:
            return token.startswith(want)
        if want == NUMBER:
            return number_value(token) is not None
        if token == want:
            return True
        if kw.lang == "en":
            return want in _en_bases(token)
        if kw.lang == "nl":
            return want in _nl_bases(token)
        return want in bases(token)

    def _single(self, token: str) -> Iterator[tuple[int, float]]:
        """(keyword id, quality) of every single-word keyword that matches one token."""
        if token.isdigit():
            for kid in self._nl.get(token, ()):
                yield kid, 1.0
            for kid in self._en.get(token, ()):
                yield kid, 1.0
            return
        short = len(token) <= MAX_COMPOUND_WORD
        nl_bases = _nl_bases(token) if short else {token}
        for base in nl_bases:
            for kid in self._nl.get(base, ()):
                yield kid, 1.0
        if short:
            for base in _en_bases(token):
                for kid in self._en.get(base, ()):
                    yield kid, 1.0
            lengths = self._nl_lengths
            for base in nl_bases:
                top = len(base) - MIN_COMPOUND_HEAD
                for n in lengths:
                    if n > top:
                        break
                    for kid in self._nl.get(base[-n:], ()):
                        if self.keywords[kid].lang != "en":
                            yield kid, 0.8
            for n in self._prefix_lengths:
                if n > len(token):
                    break
                for kid in self._prefix.get(token[:n], ()):
                    yield kid, (1.0 if n == len(token) else 0.6)
        else:
            for kid in self._en.get(token, ()):
                yield kid, 1.0
            for kid in self._prefix.get(token, ()):
                yield kid, 1.0

    def scan(self, text: str | None) -> TextHits:
        """Every keyword of the index that matches ``text``, with where."""
        if not self._ready:
            self._build()
        found = TextHits(text or "", tokenize(text) if text else [])
        hits = found.hits
        tokens = [t.text for t in found.tokens]

        def record(kid: int, hit: Hit) -> None:
            slot = hits.get(kid)
            if slot is None:
                hits[kid] = [hit]
            elif len(slot) < MAX_HITS_PER_KEYWORD and all(h.first != hit.first for h in slot):
                slot.append(hit)
            elif hit.quality > slot[0].quality and hit.first == slot[0].first:
                slot[0] = hit

        for i, token in enumerate(tokens):
            for kid, quality in self._single_cached(token):
                record(kid, Hit(i, i, quality))
            starts = self._phrase.get(token, ())
            if number_value(token) is not None:
                starts = (*starts, *self._phrase.get(NUMBER, ()))
            for kid in starts:
                kw = self.keywords[kid]
                n = len(kw.words)
                if i + n > len(tokens):
                    continue
                number = number_value(token) if kw.words[0] == NUMBER else None
                ok = True
                for j in range(1, n - 1):
                    want, got = kw.words[j], tokens[i + j]
                    if want == NUMBER:
                        number = number_value(got)
                        ok = number is not None
                    else:
                        ok = want == got
                    if not ok:
                        break
                if ok and n > 1:
                    ok = self._last_word_ok(kw, tokens[i + n - 1])
                    if ok and kw.words[-1] == NUMBER:
                        number = number_value(tokens[i + n - 1])
                if ok:
                    record(kid, Hit(i, i + n - 1, 1.0, number))
        return found
