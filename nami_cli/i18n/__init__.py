"""nami's words in Dutch and English: one catalogue (:mod:`.catalogue`) and the functions that read it.

Every sentence, label, heading, prompt and error message nami writes itself has a key in the catalogue
with its Dutch and its English text. Code asks for a text by key (``t("load.required", lang)``), or
carries a :class:`Msg` (a key and its fields) to where the language is known, for messages made deep in
the loader and shown by the CLI. Texts from the rule pack are data and stay in the pack.

Imports nothing heavy: the CLI's ``--help`` may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nami_cli.i18n.catalogue import CATALOGUE

LANGS: tuple[str, ...] = ("nl", "en")
_INDEX = {"nl": 0, "en": 1}


def text(key: str, lang: str) -> str:
    """The raw text of ``key`` in ``lang`` (placeholders not filled in)."""
    return CATALOGUE[key][_INDEX.get(lang, 0)]


def t(key: str, lang: str, /, **fields: Any) -> str:
    """The text of ``key`` in ``lang`` with its ``{placeholders}`` filled in; a field that is a
    :class:`Msg` is written in the same language."""
    raw = text(key, lang)
    return raw.format(**{name: render(value, lang) for name, value in fields.items()})


def render(value: Any, lang: str) -> Any:
    """A field as it is written in ``lang``: a message in that language, anything else as it is."""
    if isinstance(value, (Msg, Concat, Lazy)):
        return value.text(lang)
    return value


def noun(key: str, n: int, lang: str) -> str:
    """The singular or plural of the noun ``key`` for ``n`` things (``noun.request`` -> aanvraag or
    aanvragen); both languages use the singular for exactly one."""
    return text(f"{key}.one" if n == 1 else f"{key}.other", lang)


def count(key: str, n: int, lang: str) -> str:
    """``n`` and the noun in the right number, the number in the reader's format: ``1 aanvraag``,
    ``2 aanvragen``, ``12.345 rijen``, ``12,345 rows``."""
    from nami_cli.render.number_format import number

    return f"{number(n, lang, 0)} {noun(key, n, lang)}"


def count_text(n: int) -> Lazy:
    """A number in the reader's format, once the language is known: ``12.345`` or ``12,345``."""

    def write(lang: str) -> str:
        from nami_cli.render.number_format import number

        return number(n, lang, 0)

    return Lazy(write)


def join_or(words: list[str], lang: str) -> str:
    """``a``, ``a or b``, ``a, b or c`` (``of`` in Dutch)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {text('word.or', lang)} " + words[-1]


def join_and(words: list[str], lang: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``en`` in Dutch)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {text('word.and', lang)} " + words[-1]


def words(prefix: str) -> dict[str, dict[str, Any]]:
    """The catalogue entries below ``prefix.`` as one nested table per language: the entry
    ``text.via.cpv`` is ``words("text")[lang]["via"]["cpv"]``."""
    start = prefix + "."
    tables: dict[str, dict[str, Any]] = {lang: {} for lang in LANGS}
    for key, texts in CATALOGUE.items():
        if not key.startswith(start):
            continue
        parts = key[len(start) :].split(".")
        for lang in LANGS:
            node = tables[lang]
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = texts[_INDEX[lang]]
    return tables


def flat(prefix: str) -> dict[str, dict[str, str]]:
    """The entries below ``prefix.`` as one flat table per language (for ids with dots in them:
    ``flat("field")[lang]["replaces.age_years"]``)."""
    start = prefix + "."
    return {
        lang: {
            key[len(start) :]: texts[_INDEX[lang]]
            for key, texts in CATALOGUE.items()
            if key.startswith(start)
        }
        for lang in LANGS
    }


def labels(prefix: str) -> dict[str, dict[str, str]]:
    """The entries below ``prefix.`` as ``{id: {lang: text}}``: ``labels("strategy")["refuse"]["nl"]``
    is ``Niet``."""
    start = prefix + "."
    return {
        key[len(start) :]: {lang: texts[_INDEX[lang]] for lang in LANGS}
        for key, texts in CATALOGUE.items()
        if key.startswith(start) and "." not in key[len(start) :]
    }


class Msg:
    """A message not yet in a language: a catalogue key and its fields (which may be messages too).

    ``str()`` gives the English text, so a message still reads well in a log or an exception."""

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: Any) -> None:
        if key not in CATALOGUE:
            raise KeyError(f"no catalogue entry {key!r}")
        self.key = key
        self.fields = fields

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.fields) == (other.key, other.fields)

    def __hash__(self) -> int:
        return hash(self.key)

    def __add__(self, other: Msg | Concat | str) -> Concat:
        return Concat(self, other)

    def __radd__(self, other: str) -> Concat:
        return Concat(other, self)


class Concat:
    """Messages (and plain data text) written one after the other."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Msg | Concat | Lazy | str) -> None:
        self.parts = parts

    def text(self, lang: str) -> str:
        return "".join(str(render(part, lang)) for part in self.parts)

    def __str__(self) -> str:
        return self.text("en")

    def __add__(self, other: Msg | Concat | str) -> Concat:
        return Concat(*self.parts, other)

    def __radd__(self, other: str) -> Concat:
        return Concat(other, *self.parts)


class Lazy:
    """A text made when the language is known: ``Lazy(lambda lang: join_or(ids, lang))``."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], str]) -> None:
        self.make = make

    def text(self, lang: str) -> str:
        return self.make(lang)

    def __str__(self) -> str:
        return self.make("en")


def either(words: list[str]) -> Lazy:
    """``a, b or c`` in the language of the message it is put in."""
    return Lazy(lambda lang: join_or(words, lang))


class MsgError(ValueError):
    """A ``ValueError`` that carries its :class:`Msg`: raised inside pydantic validators and in the
    readers, so the message reaches the user in their language."""

    def __init__(self, msg: Msg | Concat) -> None:
        super().__init__(str(msg))
        self.msg = msg


def in_lang(message: Any, lang: str) -> str:
    """A message (a text, a :class:`Msg`, or an exception carrying one) in ``lang``."""
    if isinstance(message, MsgError):
        return message.msg.text(lang)
    if isinstance(message, (Msg, Concat, Lazy)):
        return message.text(lang)
    return str(message)
