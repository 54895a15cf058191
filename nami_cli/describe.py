"""Rule conditions in readable words (``nami rules show``), in Dutch or English."""

from __future__ import annotations

from typing import Any

from nami_cli.conditions import keyword_list

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
    if isinstance(value, dict) and "field" in value:
        return _field(str(value["field"]), lang)
    return str(value)


def describe(cond: Any, lang: str = "en", category_title: Any = None, indent: int = 0) -> list[str]:
    """The condition as indented lines of words. ``category_title(id)`` names a category."""
    w = _W[lang]
    pad = "  " * indent
    if not isinstance(cond, dict) or not cond:
        return [pad + "?"]
    if "field" in cond:
        name = str(cond["field"])
        op = next((k for k in cond if k != "field"), "present")
        if op in ("present", "missing"):
            return [pad + w[op].format(_field(name, lang))]
        arg = cond[op]
        shown = ", ".join(str(a) for a in arg) if isinstance(arg, list) else _value(arg, lang)
        return [pad + w[op].format(_field(name, lang), shown)]
    if "all" in cond or "any" in cond:
        kind = "all" if "all" in cond else "any"
        lines = [pad + w[kind]]
        for part in cond[kind]:
            lines.extend(describe(part, lang, category_title, indent + 1))
        return lines
    if "not" in cond:
        return [pad + w["not"], *describe(cond["not"], lang, category_title, indent + 1)]
    if "category" in cond:
        ids = cond["category"] if isinstance(cond["category"], list) else [cond["category"]]
        names = [f"{category_title(i)} ({i})" if category_title else str(i) for i in ids]
        return [pad + w["category"].format(w["or"].join(names))]
    if "cpv" in cond:
        prefixes = cond["cpv"] if isinstance(cond["cpv"], list) else [cond["cpv"]]
        return [pad + w["cpv"].format(", ".join(prefixes))]
    if "keywords" in cond:
        words = keyword_list(cond["keywords"]) or []
        where = cond.get("in", ["title", "description"])
        where = [where] if isinstance(where, str) else where
        target = w["or"].join(w[x] for x in where)
        shown = ", ".join(words[:12])
        if len(words) > 12:
            shown += " " + w["more"].format(len(words) - 12)
        return [pad + w["keywords"].format(target, shown)]
    return [pad + str(cond)]
