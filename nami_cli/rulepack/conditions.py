"""The condition language of rules as a typed tree (a pydantic discriminated union).

Forms: ``all``, ``any``, ``not``, ``category``, ``cpv``, ``keywords`` (with optional ``in``), ``signal``
and ``field`` with one operator (``equals``, ``in``, ``greater_than``, ``less_than``, ``at_least``,
``at_most``, ``present``, ``missing``). No ``eval``, no regular expressions: everything is checked when
the pack is loaded.

This module is the one place that evaluates a condition (:meth:`Node.test`), partially evaluates it
for screening (:meth:`Node.partial`: decide what a row's text decides once per distinct text, leave the
field comparisons for each row) and lists what it refers to (:meth:`Node.walk`, :func:`categories_of`).
:mod:`nami_cli.rulepack.describe` puts the same tree into words.

``test`` takes :class:`Facts` and returns ``None`` when the condition does not hold, or the evidence (a
list of ``(field, value)`` pairs) when it does.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from nami_cli.assess.textmatch import KeywordIndex, TextHits, is_valid_keyword
from nami_cli.base.vocab import CPV_DIVISIONS
from nami_cli.load.validation import as_text

Evidence = list[tuple[str, Any]]

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
NUMERIC_FIELDS = frozenset(
    {
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
)
OPERATORS = ("equals", "in", "greater_than", "less_than", "at_least", "at_most", "present", "missing")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "greater_than": operator.gt,
    "less_than": operator.lt,
    "at_least": operator.ge,
    "at_most": operator.le,
}
FORMS = ("all", "any", "not", "category", "cpv", "keywords", "signal", "field")


@dataclass
class Facts:
    """What conditions can see of one request: field values, its categories, texts and signals."""

    values: dict[str, Any]
    categories: tuple[str, ...] = ()  # every recognised category, primary first
    texts: dict[str, TextHits] = field(default_factory=dict)
    signals: frozenset[str] = frozenset()
    #: for partial evaluation: the fields whose values come later (None: every field is known)
    open_fields: frozenset[str] | None = None

    @property
    def category(self) -> str | None:
        return self.categories[0] if self.categories else None

    def get(self, name: str) -> Any:
        return self.values.get(name)

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
            if stock is not None and values.get("stock_years") is None:
                values["stock_years"] = stock / annual
            if quantity is not None:
                values["supply_years"] = ((stock or 0) + quantity) / annual
        if users and quantity is not None:
            values["quantity_per_user"] = quantity / users
        return values


Partial = Union[bool, "Node"]


class Node(BaseModel):
    """A condition. Subclasses implement :meth:`test` and, where a row's text does not decide them,
    :meth:`partial`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    def test(self, facts: Facts) -> Evidence | None:  # pragma: no cover - every form overrides
        raise NotImplementedError

    def partial(self, facts: Facts) -> Partial:
        """True (holds), False (cannot hold) or the residual condition to test per row.

        The default, for conditions decided by the text alone (category, CPV, keywords, signals)."""
        return self.test(facts) is not None

    def children(self) -> list[Node]:
        return []

    def walk(self) -> Iterator[Node]:
        """This node and every node below it."""
        yield self
        for child in self.children():
            yield from child.walk()

    @property
    def categories(self) -> set[str]:
        """Every category the condition names (also under ``not``)."""
        return set(categories_of(self))


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


class CategoryIs(Node):
    category: str | list[str] = Field(
        description="a category id or a list of ids: holds if the request is in one of them"
    )

    @field_validator("category")
    @classmethod
    def _ids(cls, value: str | list[str]) -> str | list[str]:
        if not _as_list(value) or not all(_as_list(value)):
            raise ValueError("'category' needs a category id or a list of ids")
        return value

    @property
    def ids(self) -> list[str]:
        return _as_list(self.category)

    def test(self, facts: Facts) -> Evidence | None:
        wanted = self.ids
        for cat in facts.categories:
            if cat in wanted:
                return [("category", cat)]
        return None


def _cpv_prefix(value: Any) -> Any:
    value = as_text(value)
    if not (
        isinstance(value, str) and value.isdigit() and 2 <= len(value) <= 8 and value[:2] in CPV_DIVISIONS
    ):
        raise ValueError("'cpv' needs a list of CPV prefixes (2 to 8 digits of a CPV 2008 code), in quotes")
    return value


CpvPrefix = Annotated[str, BeforeValidator(_cpv_prefix)]


class CpvStarts(Node):
    cpv: CpvPrefix | list[CpvPrefix] = Field(
        description="CPV prefixes: holds if the request's CPV code starts with one"
    )

    @field_validator("cpv")
    @classmethod
    def _some(cls, value: str | list[str]) -> str | list[str]:
        if not _as_list(value):
            raise ValueError(
                "'cpv' needs a list of CPV prefixes (2 to 8 digits of a CPV 2008 code), in quotes"
            )
        return value

    @property
    def prefixes(self) -> list[str]:
        return _as_list(self.cpv)

    def test(self, facts: Facts) -> Evidence | None:
        code = facts.get("cpv") or ""
        return [("cpv", code)] if code.startswith(tuple(self.prefixes)) else None


class Homonym(BaseModel):
    """A keyword with words that cancel it when they occur in the same field (``plant`` unless ``hire``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    word: str = Field(min_length=1)
    unless: list[str] = Field(min_length=1)

    @field_validator("word")
    @classmethod
    def _word(cls, value: str) -> str:
        if not is_valid_keyword(value):
            raise ValueError(f"keyword {value!r} holds no letters or digits")
        return value


KeywordEntry = Annotated[
    Annotated[str, BeforeValidator(as_text)] | Homonym, Field(union_mode="left_to_right")
]


def _keyword_entries(value: list[Any]) -> list[Any]:
    for word in value:
        if isinstance(word, str) and not is_valid_keyword(word):
            raise ValueError(f"keyword {word!r} holds no letters or digits")
    return value


class KeywordsByLang(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    nl: list[KeywordEntry] = Field(default_factory=list)
    en: list[KeywordEntry] = Field(default_factory=list)

    _check = field_validator("nl", "en")(_keyword_entries)

    def entries(self) -> Iterator[tuple[str, KeywordEntry]]:
        for word in self.nl:
            yield "nl", word
        for word in self.en:
            yield "en", word


def _keywords_given(value: Any) -> Any:
    if isinstance(value, list) and not value:
        raise ValueError("'keywords' needs a non-empty list of words, or {nl: [...], en: [...]}")
    if isinstance(value, dict) and not any(value.get(k) for k in ("nl", "en")):
        raise ValueError("'keywords' needs a non-empty list of words, or {nl: [...], en: [...]}")
    return value


TextField = Literal["title", "description"]


def _both_texts() -> list[TextField]:
    return ["title", "description"]


class CompiledKeywords:
    """Keyword entries registered in a pack's :class:`KeywordIndex`: ids, and homonyms' cancelling ids."""

    def __init__(self, index: KeywordIndex, entries: Iterator[tuple[str, KeywordEntry]]) -> None:
        self.ids: list[int] = []
        self.unless: dict[int, list[int]] = {}
        for lang, entry in entries:
            word = entry if isinstance(entry, str) else entry.word
            kid = index.add(word, lang)  # type: ignore[arg-type]
            if kid not in self.ids:
                self.ids.append(kid)
            if isinstance(entry, Homonym):
                self.unless.setdefault(kid, []).extend(index.add_all(entry.unless, lang))  # type: ignore[arg-type]
        self._freeze()

    def matches(self, hits: TextHits) -> Iterator[int]:
        """The ids of the keywords that match ``hits`` and are not cancelled there (in keyword order)."""
        found = hits.hits
        if not found:
            return
        if len(found) < len(self.ids):
            mine = self.id_set
            present = sorted((self.order[k], k) for k in found if k in mine)
            kids: Iterable[int] = (k for _, k in present)
        else:
            kids = (k for k in self.ids if k in found)
        unless = self.unless
        for kid in kids:
            if not unless or not any(u in found for u in unless.get(kid, ())):
                yield kid

    @property
    def id_set(self) -> frozenset[int]:
        return self._set

    def _freeze(self) -> None:
        self._set = frozenset(self.ids)
        self.order = {k: i for i, k in enumerate(self.ids)}


class HasKeywords(Node):
    keywords: Annotated[
        list[KeywordEntry] | KeywordsByLang,
        Field(union_mode="left_to_right"),
        BeforeValidator(_keywords_given),
    ] = Field(description="words (a list, or {nl: [...], en: [...]}); holds if one occurs")
    in_: TextField | list[TextField] = Field(
        default_factory=_both_texts, alias="in", description="title and/or description"
    )

    @field_validator("keywords")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if isinstance(value, list):
            _keyword_entries(value)
        return value

    def entries(self) -> Iterator[tuple[str, KeywordEntry]]:
        if isinstance(self.keywords, KeywordsByLang):
            yield from self.keywords.entries()
        else:
            for word in self.keywords:
                yield "any", word

    def words(self) -> list[str]:
        return [w if isinstance(w, str) else w.word for _, w in self.entries()]

    @property
    def fields(self) -> list[TextField]:
        return [self.in_] if isinstance(self.in_, str) else self.in_

    @field_validator("in_")
    @classmethod
    def _some_field(cls, value: Any) -> Any:
        if isinstance(value, list) and not value:
            raise ValueError("'in' takes title and/or description")
        return value

    def compile(self, index: KeywordIndex) -> None:
        # Kept in the instance dict (not a pydantic private attribute): read on every test, so fast.
        object.__setattr__(self, "_kw", CompiledKeywords(index, self.entries()))
        object.__setattr__(self, "_in", tuple(self.fields))

    def test(self, facts: Facts) -> Evidence | None:
        compiled: CompiledKeywords | None = self.__dict__.get("_kw")
        if compiled is None:
            raise RuntimeError("keywords used before the pack compiled them")
        for name in self.__dict__["_in"]:
            hits = facts.texts.get(name)
            if hits is None:
                continue
            for kid in compiled.matches(hits):
                return [(name, hits.words_of(hits.hits[kid][0]))]
        return None


class SignalIs(Node):
    signal: str = Field(min_length=1, description="a signal id of the pack (signals.yaml)")

    def test(self, facts: Facts) -> Evidence | None:
        return [("signal", self.signal)] if self.signal in facts.signals else None


def _field_name(value: Any) -> Any:
    if isinstance(value, str) and value not in FIELD_PATHS:
        raise ValueError(f"unknown field {value!r}; fields: {', '.join(FIELD_PATHS)}")
    return value


def _plain(value: Any) -> Any:
    """A rule value as plain Python."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    return as_text(value)


Scalar = Annotated[bool | int | float | str, Field(union_mode="left_to_right"), BeforeValidator(_plain)]


class FieldRef(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    field: Annotated[str, BeforeValidator(_field_name)]


Number = Annotated[int | float, Field(union_mode="left_to_right")]


class FieldTest(Node):
    field: Annotated[str, BeforeValidator(_field_name)]
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    greater_than: Number | FieldRef | None = None
    less_than: Number | FieldRef | None = None
    at_least: Number | FieldRef | None = None
    at_most: Number | FieldRef | None = None
    present: Literal[True] | None = None
    missing: Literal[True] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_operator(cls, data: Any) -> Any:
        if isinstance(data, dict):
            ops = [k for k in data if k != "field"]
            if len(ops) != 1 or ops[0] not in OPERATORS:
                raise ValueError(f"a field condition needs exactly one operator of {', '.join(OPERATORS)}")
            if isinstance(data[ops[0]], bool) and ops[0] in _COMPARE:
                raise ValueError(f"'{ops[0]}' takes a number or {{field: NAME}}")
        return data

    @model_validator(mode="after")
    def _numeric(self) -> FieldTest:
        op = self.operator
        if op in _COMPARE:
            if self.field not in NUMERIC_FIELDS:
                raise ValueError(f"{self.field!r} is not a number; '{op}' compares numbers")
            arg = getattr(self, op)
            if isinstance(arg, FieldRef) and arg.field not in NUMERIC_FIELDS:
                raise ValueError(
                    f"compare with a number or {{field: NAME}} of a numeric field, not {arg.field!r}"
                )
        arg = self.argument
        names = frozenset({self.field, arg.field} if isinstance(arg, FieldRef) else {self.field})
        # Kept in the instance dict (not a field): read on every test (per row in screening), so fast.
        object.__setattr__(self, "_fast", (self.field, op, arg, names, _COMPARE.get(op)))
        return self

    @property
    def operator(self) -> str:
        for op in OPERATORS:
            if getattr(self, "in_" if op == "in" else op) is not None:
                return op
        return "present"  # pragma: no cover - the validator guarantees one

    @property
    def argument(self) -> Any:
        op = self.operator
        return getattr(self, "in_" if op == "in" else op)

    def fields(self) -> frozenset[str]:
        return self.__dict__["_fast"][3]  # type: ignore[no-any-return]

    def test(self, facts: Facts) -> Evidence | None:
        name, op, arg, _, compare = self.__dict__["_fast"]
        a = facts.values.get(name)
        if op == "present":
            return [(name, a)] if a is not None else None
        if op == "missing":
            return [(name, None)] if a is None else None
        if op == "equals":
            return [(name, a)] if a is not None and a == arg else None
        if op == "in":
            return [(name, a)] if a is not None and a in arg else None
        if a is None:
            return None
        if isinstance(arg, FieldRef):
            b = facts.values.get(arg.field)
            if b is None or not compare(a, b):
                return None
            return [(name, a), (arg.field, b)]
        return [(name, a)] if compare(a, arg) else None

    def partial(self, facts: Facts) -> Partial:
        open_fields = facts.open_fields
        if open_fields is None:
            return self.test(facts) is not None
        names = self.__dict__["_fast"][3]
        known = names - open_fields
        if known == names:
            return self.test(facts) is not None
        if self.__dict__["_fast"][1] not in ("present", "missing") and any(
            facts.get(n) is None for n in known
        ):
            return False  # a comparison with a field known to be missing never holds
        return self


class AllOf(Node):
    all: list[Condition] = Field(min_length=1, description="holds if every condition holds")

    def children(self) -> list[Node]:
        return list(self.all)

    def test(self, facts: Facts) -> Evidence | None:
        evidence: Evidence = []
        for part in self.all:
            found = part.test(facts)
            if found is None:
                return None
            evidence.extend(found)
        return evidence

    def partial(self, facts: Facts) -> Partial:
        residual: list[Node] = []
        for part in self.all:
            found = part.partial(facts)
            if found is False:
                return False
            if found is not True:
                residual.append(found)
        if not residual:
            return True
        return residual[0] if len(residual) == 1 else AllOf.model_construct(all=residual)


class AnyOf(Node):
    any: list[Condition] = Field(min_length=1, description="holds if one of the conditions holds")

    def children(self) -> list[Node]:
        return list(self.any)

    def test(self, facts: Facts) -> Evidence | None:
        for part in self.any:
            found = part.test(facts)
            if found is not None:
                return found
        return None

    def partial(self, facts: Facts) -> Partial:
        residual: list[Node] = []
        for part in self.any:
            found = part.partial(facts)
            if found is True:
                return True
            if found is not False:
                residual.append(found)
        if not residual:
            return False
        return residual[0] if len(residual) == 1 else AnyOf.model_construct(any=residual)


class NotOf(Node):
    not_: Condition = Field(alias="not", description="holds if the condition does not hold")

    def children(self) -> list[Node]:
        return [self.not_]

    def test(self, facts: Facts) -> Evidence | None:
        return [] if self.not_.test(facts) is None else None

    def partial(self, facts: Facts) -> Partial:
        found = self.not_.partial(facts)
        if isinstance(found, bool):
            return not found
        return NotOf.model_construct(not_=found)


def _form(value: Any) -> str | None:
    if isinstance(value, Node):
        return {
            AllOf: "all",
            AnyOf: "any",
            NotOf: "not",
            CategoryIs: "category",
            CpvStarts: "cpv",
            HasKeywords: "keywords",
            SignalIs: "signal",
            FieldTest: "field",
        }.get(type(value))
    if not isinstance(value, dict):
        return None
    if "field" in value:
        return "field"
    keys = set(value) - ({"in"} if "keywords" in value else set())
    return next(iter(keys)) if len(keys) == 1 and next(iter(keys)) in FORMS else None


def _check_form(value: Any) -> Any:
    """A clear message for a condition of no known form (before the union tries its members)."""
    if isinstance(value, Node):
        return value
    if not isinstance(value, dict) or not value:
        raise ValueError("a condition must be a mapping such as {category: furniture}")
    if _form(value) is None:
        keys = sorted(set(value) - {"in"}) or sorted(value)
        unknown = [k for k in keys if k not in FORMS]
        if unknown and len(keys) == 1:
            raise ValueError(f"unknown condition {unknown[0]!r}; use {', '.join(FORMS)}")
        raise ValueError(f"a condition has exactly one of {', '.join(FORMS)}; got {keys}")
    return value


Condition = Annotated[
    Annotated[AllOf, Tag("cond[all]")]
    | Annotated[AnyOf, Tag("cond[any]")]
    | Annotated[NotOf, Tag("cond[not]")]
    | Annotated[CategoryIs, Tag("cond[category]")]
    | Annotated[CpvStarts, Tag("cond[cpv]")]
    | Annotated[HasKeywords, Tag("cond[keywords]")]
    | Annotated[SignalIs, Tag("cond[signal]")]
    | Annotated[FieldTest, Tag("cond[field]")],
    Discriminator(lambda v: f"cond[{_form(v)}]"),
    BeforeValidator(_check_form),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def categories_of(cond: Node) -> list[str]:
    """Every category a condition names (also under ``not``), sorted."""
    return sorted({c for node in cond.walk() if isinstance(node, CategoryIs) for c in node.ids})


def required_categories(cond: Node) -> frozenset[str] | None:
    """The categories a request must be in for the condition to hold, or None if it can hold for any.

    Only what is certain: a top-level ``category`` or a ``category`` directly inside a top-level ``all``.
    """
    if isinstance(cond, CategoryIs):
        return frozenset(cond.ids)
    if isinstance(cond, AllOf):
        found: frozenset[str] | None = None
        for part in cond.all:
            if isinstance(part, CategoryIs):
                found = frozenset(part.ids) if found is None else found & frozenset(part.ids)
        return found
    return None


def keyword_nodes(cond: Node) -> list[HasKeywords]:
    return [node for node in cond.walk() if isinstance(node, HasKeywords)]


def signals_of(cond: Node) -> list[str]:
    return sorted({node.signal for node in cond.walk() if isinstance(node, SignalIs)})
