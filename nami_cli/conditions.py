"""The condition language of rules: declarative data compiled into small Python functions.

Forms: ``all``, ``any``, ``not``, ``category``, ``cpv``, ``keywords`` (with optional ``in``) and ``field``
with one operator (``equals``, ``in``, ``greater_than``, ``less_than``, ``at_least``, ``at_most``,
``present``, ``missing``). No ``eval``, no regular expressions: everything is checked at load time.

A compiled condition takes :class:`Facts` and returns ``None`` when it does not hold, or the evidence
(a list of ``(field, value)`` pairs) when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from nami_cli.textmatch import KeywordSet, TextIndex, is_valid_keyword
from nami_cli.vocab import CPV_DIVISIONS

Evidence = list[tuple[str, Any]]
Cond = Callable[["Facts"], Evidence | None]

TEXT_FIELDS = ("title", "description")

#: Every field a condition or message may name, with the request path a finding on it points to.
FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title",),
    "description": ("description",),
    "category": ("category",),
    "cpv": ("cpv",),
    "quantity": ("quantity",),
    "unit": ("unit",),
    "unit_price": ("unit_price",),
    "value": ("estimated_value",),
    "reason": ("reason",),
    "requester": ("requester",),
    "needed_by": ("needed_by",),
    "replaces.age_years": ("replaces", "age_years"),
    "replaces.condition": ("replaces", "condition"),
    "replaces.trigger": ("replaces", "trigger"),
    "usage.stock": ("usage", "stock"),
    "usage.annual_use": ("usage", "annual_use"),
    "usage.users": ("usage", "users"),
    "stock_years": ("usage", "stock"),
    "supply_years": ("quantity",),
    "quantity_per_user": ("quantity",),
}
NUMERIC_FIELDS = {
    "quantity",
    "unit_price",
    "value",
    "replaces.age_years",
    "usage.stock",
    "usage.annual_use",
    "usage.users",
    "stock_years",
    "supply_years",
    "quantity_per_user",
}
OPERATORS = ("equals", "in", "greater_than", "less_than", "at_least", "at_most", "present", "missing")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "greater_than": lambda a, b: a > b,
    "less_than": lambda a, b: a < b,
    "at_least": lambda a, b: a >= b,
    "at_most": lambda a, b: a <= b,
}


@dataclass
class Facts:
    """What conditions can see of one request: field values, its category and its texts."""

    values: dict[str, Any]
    category: str | None = None
    category_via: str | None = None  # the field the category came from: category, cpv, title, description
    category_matched: str | None = None  # the CPV prefix or word that decided it
    #: for partial evaluation: the fields whose values come later (None: every field may come later)
    open_fields: frozenset[str] | None = None
    texts: dict[str, TextIndex] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> TextIndex:
        index = self.texts.get(name)
        if index is None:
            index = self.texts[name] = TextIndex.of(self.values.get(name))
        return index

    @staticmethod
    def derive(values: dict[str, Any]) -> dict[str, Any]:
        """Add the derived fields (value, stock_years, supply_years, quantity_per_user) in place."""
        quantity = values.get("quantity")
        if values.get("value") is None and quantity is not None and values.get("unit_price") is not None:
            values["value"] = quantity * values["unit_price"]
        stock, annual, users = (
            values.get("usage.stock"),
            values.get("usage.annual_use"),
            values.get("usage.users"),
        )
        if annual:
            if stock is not None:
                values["stock_years"] = stock / annual
            if quantity is not None:
                values["supply_years"] = ((stock or 0) + quantity) / annual
        if users and quantity is not None:
            values["quantity_per_user"] = quantity / users
        return values


@dataclass
class Compiled:
    """A compiled condition with what it refers to.

    ``partial`` evaluates the same condition as far as a row's text decides it (category, CPV,
    keywords), for ``nami screen``, which caches that per distinct text: it returns True (holds), False
    (cannot hold) or the residual condition on the fields (quantity, price, value) to test per row.
    """

    test: Cond
    categories: set[str]
    source: Any = None  # the condition as written (for what is compiled on demand)

    @cached_property
    def partial(self) -> Callable[[Facts], bool | Cond]:
        return _partial(self.source)

    @cached_property
    def keywords(self) -> KeywordSet:
        """Every keyword the condition names."""
        return KeywordSet.compile(_all_keywords(self.source))


def compile_condition(
    cond: Any, path: tuple[Any, ...], problems: list[tuple[tuple[Any, ...], str]]
) -> Compiled:
    """Compile ``cond``; each problem found is appended as ``(path, message)``."""
    categories: set[str] = set()
    test = _compile(cond, path, problems, categories)
    return Compiled(test, categories, cond)


def _all_keywords(cond: Any) -> list[str]:
    if not isinstance(cond, dict):
        return []
    if "keywords" in cond:
        return keyword_list(cond["keywords"]) or []
    out: list[str] = []
    for key in ("all", "any"):
        for part in cond.get(key) or []:
            out.extend(_all_keywords(part))
    if "not" in cond:
        out.extend(_all_keywords(cond["not"]))
    return out


def required_categories(cond: Any) -> frozenset[str] | None:
    """The categories a request must be in for the condition to hold, or None if it can hold for any.

    Only what is certain: a top-level ``category`` or a ``category`` directly inside a top-level ``all``.
    """
    if not isinstance(cond, dict):
        return None
    if "category" in cond:
        value = cond["category"]
        return frozenset([value] if isinstance(value, str) else value)
    if "all" in cond:
        found: frozenset[str] | None = None
        for part in cond["all"]:
            if isinstance(part, dict) and "category" in part:
                ids = part["category"]
                here = frozenset([ids] if isinstance(ids, str) else ids)
                found = here if found is None else found & here
        return found
    return None


def _is_static(cond: Any) -> bool:
    """Does the condition look only at category, CPV and keywords (what a row's text decides)?"""
    if not isinstance(cond, dict) or "field" in cond:
        return False
    if "all" in cond or "any" in cond:
        parts = cond.get("all", cond.get("any"))
        return isinstance(parts, list) and all(_is_static(c) for c in parts)
    if "not" in cond:
        return _is_static(cond["not"])
    return bool({"category", "cpv", "keywords"} & set(cond))


def _partial(cond: Any) -> Callable[[Facts], bool | Cond]:
    """Partial evaluation on the text-decided facts: True, False, or the residual field condition."""
    ignore: list[tuple[tuple[Any, ...], str]] = []
    if _is_static(cond):
        test = _compile(cond, (), ignore, set())
        return lambda facts: test(facts) is not None
    if "field" in cond:
        leaf = _compile(cond, (), ignore, set())
        names = {cond["field"]} | {
            v["field"] for v in cond.values() if isinstance(v, dict) and isinstance(v.get("field"), str)
        }

        compares = any(op in cond for op in (*_COMPARE, "equals", "in"))

        def field_leaf(facts: Facts) -> bool | Cond:
            if facts.open_fields is None:
                return leaf
            known = names - facts.open_fields
            if known == names:
                return leaf(facts) is not None  # known now (possibly known to be missing)
            if compares and any(facts.get(name) is None for name in known):
                return False  # a comparison with a field known to be missing never holds
            return leaf

        return field_leaf
    if "not" in cond:
        inner = _partial(cond["not"])

        def negate(facts: Facts) -> bool | Cond:
            found = inner(facts)
            if isinstance(found, bool):
                return not found
            residual = found
            return lambda f: [] if residual(f) is None else None

        return negate
    kind = "all" if "all" in cond else "any"
    parts = [_partial(c) for c in cond[kind]]
    decisive = kind == "any"  # the value that settles the whole: True for any, False for all

    def combine(facts: Facts) -> bool | Cond:
        residual: list[Cond] = []
        for part in parts:
            found = part(facts)
            if found is decisive:
                return decisive
            if not isinstance(found, bool):
                residual.append(found)
        if not residual:
            return not decisive
        if len(residual) == 1:
            return residual[0]
        return _any(residual) if decisive else _all(residual)

    return combine


def _never(_: Facts) -> Evidence | None:
    return None


def _compile(
    cond: Any, path: tuple[Any, ...], problems: list[tuple[tuple[Any, ...], str]], cats: set[str]
) -> Cond:
    if not isinstance(cond, dict) or not cond:
        problems.append((path, "a condition must be a mapping such as {category: furniture}"))
        return _never
    if "field" in cond:
        return _compile_field(cond, path, problems)
    keys = set(cond)
    if "keywords" in keys:
        extra = keys - {"keywords", "in"}
    else:
        extra = keys - {next(iter(keys))} if len(keys) > 1 else set()
    if extra or len(keys - {"in"}) != 1:
        problems.append(
            (
                path,
                "a condition has exactly one of all, any, not, category, cpv, keywords, field; "
                f"got {sorted(keys)}",
            )
        )
        return _never
    (kind,) = keys - {"in"}
    value = cond[kind]
    sub = (*path, kind)
    if kind in ("all", "any"):
        if not isinstance(value, list) or not value:
            problems.append((sub, f"'{kind}' needs a non-empty list of conditions"))
            return _never
        parts = [_compile(c, (*sub, i), problems, cats) for i, c in enumerate(value)]
        return _all(parts) if kind == "all" else _any(parts)
    if kind == "not":
        inner = _compile(value, sub, problems, set())  # "not furniture" does not make it a furniture rule
        return lambda facts: [] if inner(facts) is None else None
    if kind == "category":
        ids = [value] if isinstance(value, str) else value
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            problems.append((sub, "'category' needs a category id or a list of ids"))
            return _never
        cats.update(ids)
        wanted = frozenset(ids)
        return lambda facts: [("category", facts.category)] if facts.category in wanted else None
    if kind == "cpv":
        prefixes = [value] if isinstance(value, str) else value
        if (
            not isinstance(prefixes, list)
            or not prefixes
            or not all(
                isinstance(p, str) and p.isdigit() and 2 <= len(p) <= 8 and p[:2] in CPV_DIVISIONS
                for p in prefixes
            )
        ):
            problems.append(
                (sub, "'cpv' needs a list of CPV prefixes (2 to 8 digits of a CPV 2008 code), in quotes")
            )
            return _never
        start = tuple(prefixes)
        return lambda facts: (
            [("cpv", facts.get("cpv"))] if (facts.get("cpv") or "").startswith(start) else None
        )
    if kind == "keywords":
        return _compile_keywords(cond, path, problems)
    problems.append(
        (path, f"unknown condition {kind!r}; use all, any, not, category, cpv, keywords or field")
    )
    return _never


def _all(parts: list[Cond]) -> Cond:
    def test(facts: Facts) -> Evidence | None:
        evidence: Evidence = []
        for part in parts:
            found = part(facts)
            if found is None:
                return None
            evidence.extend(found)
        return evidence

    return test


def _any(parts: list[Cond]) -> Cond:
    def test(facts: Facts) -> Evidence | None:
        for part in parts:
            found = part(facts)
            if found is not None:
                return found
        return None

    return test


def keyword_list(value: Any) -> list[str] | None:
    """Keywords as a flat list, from a list or a ``{nl: [...], en: [...]}`` mapping; None if malformed."""
    if isinstance(value, dict):
        if not value or set(value) - {"nl", "en"}:
            return None
        out: list[str] = []
        for words in value.values():
            if not isinstance(words, list):
                return None
            out.extend(words)
        value = out
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(w, str) and is_valid_keyword(w) for w in value):
        return None
    return list(value)


def _compile_keywords(
    cond: dict[str, Any], path: tuple[Any, ...], problems: list[tuple[tuple[Any, ...], str]]
) -> Cond:
    words = keyword_list(cond["keywords"])
    if words is None:
        problems.append(
            ((*path, "keywords"), "'keywords' needs a non-empty list of words, or {nl: [...], en: [...]}")
        )
        return _never
    where = cond.get("in", list(TEXT_FIELDS))
    if isinstance(where, str):
        where = [where]
    if not isinstance(where, list) or not where or any(w not in TEXT_FIELDS for w in where):
        problems.append(((*path, "in"), "'in' takes title and/or description"))
        return _never
    kws = KeywordSet.compile(words)
    fields = tuple(where)

    def test(facts: Facts) -> Evidence | None:
        for name in fields:
            found = kws.find(facts.text(name))
            if found is not None:
                return [(name, found)]
        return None

    return test


def _compile_field(
    cond: dict[str, Any], path: tuple[Any, ...], problems: list[tuple[tuple[Any, ...], str]]
) -> Cond:
    name = cond["field"]
    if name not in FIELD_PATHS:
        problems.append(((*path, "field"), f"unknown field {name!r}; fields: {', '.join(FIELD_PATHS)}"))
        return _never
    ops = [k for k in cond if k != "field"]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        problems.append((path, f"a field condition needs exactly one operator of {', '.join(OPERATORS)}"))
        return _never
    op = ops[0]
    arg = cond[op]
    sub = (*path, op)
    if op in ("present", "missing"):
        if arg is not True:
            problems.append((sub, f"write '{op}: true'"))
            return _never
        want_present = op == "present"
        return lambda facts: (
            ([(name, facts.get(name))] if want_present else [(name, None)])
            if (facts.get(name) is not None) == want_present
            else None
        )
    if op == "equals":
        if not isinstance(arg, (str, int, float, bool)):
            problems.append((sub, "'equals' takes one value"))
            return _never
        target = _plain(arg)
        return lambda facts: [(name, facts.get(name))] if facts.get(name) == target else None
    if op == "in":
        if not isinstance(arg, list) or not arg or not all(isinstance(a, (str, int, float)) for a in arg):
            problems.append((sub, "'in' takes a non-empty list of values"))
            return _never
        targets = frozenset(_plain(a) for a in arg)
        return lambda facts: [(name, facts.get(name))] if facts.get(name) in targets else None
    if name not in NUMERIC_FIELDS:
        problems.append(((*path, "field"), f"{name!r} is not a number; '{op}' compares numbers"))
        return _never
    compare = _COMPARE[op]
    if isinstance(arg, dict):
        other = arg.get("field")
        if set(arg) != {"field"} or other not in NUMERIC_FIELDS:
            problems.append(
                (sub, f"compare with a number or {{field: NAME}} of a numeric field, not {arg!r}")
            )
            return _never

        def against_field(facts: Facts) -> Evidence | None:
            a, b = facts.get(name), facts.get(other)
            if a is None or b is None or not compare(a, b):
                return None
            return [(name, a), (other, b)]

        return against_field
    if isinstance(arg, bool) or not isinstance(arg, (int, float)):
        problems.append((sub, f"'{op}' takes a number or {{field: NAME}}"))
        return _never
    limit = float(arg)

    def against_number(facts: Facts) -> Evidence | None:
        a = facts.get(name)
        if a is None or not compare(a, limit):
            return None
        return [(name, a)]

    return against_number


def _plain(value: Any) -> Any:
    """A rule value as plain Python (text of YAML numbers is not needed for equality)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
