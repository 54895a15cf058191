"""Rule conditions in readable words (``nami rules show``), in Dutch or English."""

from __future__ import annotations

from typing import Any

from nami_cli.i18n import flat, words
from nami_cli.rulepack.conditions import (
    AllOf,
    AnyOf,
    CategoryIs,
    CpvStarts,
    FieldRef,
    FieldTest,
    HasKeywords,
    Node,
    NotOf,
    SignalIs,
)

_W = words("describe")

FIELD_WORDS = flat("field")


def _field(name: str, lang: str) -> str:
    return f"{FIELD_WORDS[lang].get(name, name)} ({name})"


def _value(value: Any, lang: str) -> str:
    if isinstance(value, FieldRef):
        return _field(value.field, lang)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def describe(cond: Node, lang: str = "en", category_title: Any = None, indent: int = 0) -> list[str]:
    """The condition as indented lines of words. ``category_title(id)`` names a category."""
    w = _W[lang]
    pad = "  " * indent
    if isinstance(cond, FieldTest):
        op = cond.operator
        name = _field(cond.field, lang)
        if op in ("present", "missing"):
            return [pad + w[op].format(name)]
        arg = cond.argument
        shown = ", ".join(_value(a, lang) for a in arg) if isinstance(arg, list) else _value(arg, lang)
        return [pad + w[op].format(name, shown)]
    if isinstance(cond, (AllOf, AnyOf)):
        kind = "all" if isinstance(cond, AllOf) else "any"
        lines = [pad + w[kind]]
        for part in cond.children():
            lines.extend(describe(part, lang, category_title, indent + 1))
        return lines
    if isinstance(cond, NotOf):
        return [pad + w["not"], *describe(cond.not_, lang, category_title, indent + 1)]
    if isinstance(cond, CategoryIs):
        names = [f"{category_title(i)} ({i})" if category_title else str(i) for i in cond.ids]
        return [pad + w["category"].format(w["or"].join(names))]
    if isinstance(cond, CpvStarts):
        return [pad + w["cpv"].format(", ".join(cond.prefixes))]
    if isinstance(cond, HasKeywords):
        words = cond.words()
        target = w["or"].join(w[x] for x in cond.fields)
        shown = ", ".join(words[:12])
        if len(words) > 12:
            shown += " " + w["more"].format(len(words) - 12)
        return [pad + w["keywords"].format(target, shown)]
    if isinstance(cond, SignalIs):
        return [pad + w["signal"].format(cond.signal)]
    return [pad + str(cond)]  # pragma: no cover - every form is named above
