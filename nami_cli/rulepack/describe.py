"""Rule conditions in readable words (``nami rules show``), in Dutch or English."""

from __future__ import annotations

from typing import Any

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

_W = {
    "nl": {
        "all": "alle volgende:",
        "any": "een van de volgende:",
        "not": "niet:",
        "category": "de categorie is {}",
        "cpv": "de CPV-code begint met {}",
        "keywords": "{} bevat een van de woorden: {}",
        "title": "de titel",
        "description": "de omschrijving",
        "or": " of ",
        "equals": "{} is {}",
        "in": "{} is een van: {}",
        "greater_than": "{} is meer dan {}",
        "less_than": "{} is minder dan {}",
        "at_least": "{} is minstens {}",
        "at_most": "{} is hoogstens {}",
        "present": "{} is ingevuld",
        "missing": "{} ontbreekt",
        "more": "… (+{} meer)",
        "signal": "de tekst geeft het signaal {}",
    },
    "en": {
        "all": "all of:",
        "any": "any of:",
        "not": "not:",
        "category": "the category is {}",
        "cpv": "the CPV code starts with {}",
        "keywords": "{} contains one of the words: {}",
        "title": "the title",
        "description": "the description",
        "or": " or ",
        "equals": "{} is {}",
        "in": "{} is one of: {}",
        "greater_than": "{} is more than {}",
        "less_than": "{} is less than {}",
        "at_least": "{} is at least {}",
        "at_most": "{} is at most {}",
        "present": "{} is filled in",
        "missing": "{} is missing",
        "more": "… (+{} more)",
        "signal": "the text gives the signal {}",
    },
}

FIELD_WORDS = {
    "nl": {
        "value": "de waarde",
        "quantity": "de hoeveelheid",
        "unit_price": "de stuksprijs",
        "reason": "de reden",
        "replaces.age_years": "de leeftijd van wat vervangen wordt (jaren)",
        "replaces.condition": "de staat van wat vervangen wordt",
        "replaces.trigger": "de aanleiding voor vervanging",
        "usage.stock": "de voorraad",
        "usage.annual_use": "het jaarverbruik",
        "usage.users": "het aantal gebruikers",
        "stock_years": "de voorraad in jaren verbruik",
        "supply_years": "de voorraad na aankoop in jaren verbruik",
        "quantity_per_user": "de hoeveelheid per gebruiker",
    },
    "en": {
        "value": "the value",
        "quantity": "the quantity",
        "unit_price": "the unit price",
        "reason": "the reason",
        "replaces.age_years": "the age of what is replaced (years)",
        "replaces.condition": "the condition of what is replaced",
        "replaces.trigger": "the trigger for replacement",
        "usage.stock": "the stock",
        "usage.annual_use": "the annual use",
        "usage.users": "the number of users",
        "stock_years": "the stock in years of use",
        "supply_years": "the stock after purchase in years of use",
        "quantity_per_user": "the quantity per user",
    },
}


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
