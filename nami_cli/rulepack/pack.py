"""The rule pack: its file format (pydantic models), loading, strict validation and merging.

A pack is a folder of YAML files (see ``docs/rules.md``). The shipped pack is found inside the installed
package (``nami_cli/rules``) or, in a source checkout, in ``rules/`` beside the package. Further packs
(``--rules DIR``) are loaded on top. Every problem — a YAML error, an unknown key, a duplicate id, an
unknown reference, a missing translation — is collected with ``file:line:col`` and raised together as a
:class:`~nami_cli.base.errors.NamiError`; nothing is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from nami_cli.assess.textmatch import KeywordIndex, is_valid_keyword
from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import CPV_DIVISIONS, Dimension, Level, Strategy
from nami_cli.i18n import Msg, MsgError
from nami_cli.load.validation import as_text, problems_from
from nami_cli.load.yamlsafe import Document, PathKey, load
from nami_cli.rulepack.conditions import (
    FIELD_PATHS,
    CompiledKeywords,
    Condition,
    KeywordEntry,
    Node,
    categories_of,
    keyword_nodes,
    signals_of,
)
from nami_cli.rulepack.location import shipped_rules_dir

MAX_RULE_FILE_BYTES = 4 * 1024 * 1024
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

Text = Annotated[str, BeforeValidator(as_text), Field(min_length=1)]


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise MsgError(Msg("pack.bad_id", value=repr(value)))
    return value


Id = Annotated[str, BeforeValidator(as_text), BeforeValidator(_check_id)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Bilingual(_Model):
    """A text in Dutch and English; both are required."""

    nl: Text
    en: Text

    @field_validator("nl", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise MsgError(Msg("load.not_empty"))
        return value.strip()

    def __call__(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def _cpv_prefix(value: Any) -> Any:
    value = as_text(value)
    if isinstance(value, str) and not (value.isdigit() and 2 <= len(value) <= 8):
        raise MsgError(Msg("pack.bad_cpv_prefix", value=repr(value)))
    if isinstance(value, str) and value[:2] not in CPV_DIVISIONS:
        raise MsgError(Msg("pack.no_cpv_division", value=repr(value), division=repr(value[:2])))
    return value


CpvPrefix = Annotated[str, BeforeValidator(_cpv_prefix)]


class SourceRef(_Model):
    """Where a piece of knowledge comes from."""

    title: Text
    year: int | None = None
    url: str | None = None
    note: str | None = None


SourceField = Annotated[
    Text | list[SourceRef],
    Field(union_mode="left_to_right", description="one line of text, or a list of {title, year, url, note}"),
]


def sources_of(source: str | list[SourceRef] | None) -> list[SourceRef]:
    """Every source form (legacy text or the list) as the list of structured sources."""
    if source is None:
        return []
    if isinstance(source, str):
        return [SourceRef(title=source)]
    return list(source)


class Keywords(_Model):
    """Words that point to a category or scope entry, per language (see docs/rules.md for how they match).

    An entry is a word or phrase, or ``{word: plant, unless: [hire, power]}`` for a homonym."""

    nl: list[KeywordEntry] = Field(min_length=1)
    en: list[KeywordEntry] = Field(min_length=1)

    @field_validator("nl", "en")
    @classmethod
    def _words(cls, value: list[Any]) -> list[Any]:
        for word in value:
            if isinstance(word, str) and not is_valid_keyword(word):
                raise MsgError(Msg("pack.keyword_empty", word=repr(word)))
        return value

    def entries(self) -> Iterator[tuple[str, Any]]:
        for word in self.nl:
            yield "nl", word
        for word in self.en:
            yield "en", word

    def words(self) -> list[str]:
        return [w if isinstance(w, str) else w.word for _, w in self.entries()]


class Guards(_Model):
    """Context words that cancel a category's keyword evidence in the same text field."""

    nl: list[Text] = Field(default_factory=list)
    en: list[Text] = Field(default_factory=list)

    @field_validator("nl", "en")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        for word in value:
            if not is_valid_keyword(word):
                raise MsgError(Msg("pack.guard_empty", word=repr(word)))
        return value


class Category(_Model):
    id: Id
    title: Bilingual
    cpv: list[CpvPrefix] = Field(default_factory=list)
    keywords: Keywords
    guards: Guards | None = None


class Obstacle(_Model):
    id: Id
    dimension: Dimension
    level: Level
    title: Bilingual
    explanation: Bilingual
    example: Bilingual | None = None
    disproved_by: Condition | None = Field(
        default=None,
        description="a condition on the request that shows the obstacle is not there (e.g. usage data given)",
    )
    source: SourceField


class Intervention(_Model):
    id: Id
    title: Bilingual
    description: Bilingual
    first_step: Bilingual | None = None
    strategies: list[Strategy] = Field(min_length=1)
    obstacles: list[Id] = Field(default_factory=list)
    source: SourceField


class Examples(_Model):
    match: list[dict[str, Any]] = Field(min_length=1)
    no_match: list[dict[str, Any]] = Field(min_length=1)


Rung = Literal["R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9"]
STRATEGY_RUNG: dict[str, Rung] = {"refuse": "R0", "rethink": "R1", "reduce": "R2"}


class Rule(_Model):
    id: Id
    strategy: Strategy
    rung: Rung | None = Field(
        default=None,
        description="the R-ladder rung the rule aims at (R0 refuse .. R9 recover); default: the strategy's",
    )
    title: Bilingual
    message: Bilingual
    when: Condition = Field(description="a condition; see docs/rules.md")
    obstacles: list[Id] = Field(default_factory=list)
    interventions: list[Id] = Field(default_factory=list)
    questions: list[Bilingual] = Field(
        default_factory=list,
        description="follow-up questions the interview asks for this rule; yes = the rule applies here",
    )
    source: SourceField
    examples: Examples

    @property
    def effective_rung(self) -> Rung:
        return self.rung or STRATEGY_RUNG[self.strategy]


class ScopeExamples(_Model):
    match: list[dict[str, Any]] = Field(default_factory=list)
    no_match: list[dict[str, Any]] = Field(default_factory=list)


class ScopeEntry(_Model):
    """Spend that is no goods purchase (tax, pay, rent, services ...): nami gives no goods advice."""

    id: Id
    title: Bilingual
    reason: Bilingual
    keywords: Keywords | None = None
    cpv: list[CpvPrefix] = Field(default_factory=list)
    source: SourceField | None = None
    examples: ScopeExamples = Field(default_factory=ScopeExamples)


class Signal(_Model):
    """A phrase in free text that says what a structured field would say ("er is nog budget over")."""

    id: Id
    sets: dict[str, Any] = Field(
        default_factory=dict,
        description='the structured field values the phrase stands for; "{n}" is the number captured',
    )
    phrases: Keywords
    source: SourceField | None = None
    examples: ScopeExamples = Field(default_factory=ScopeExamples)


class PackInfo(_Model):
    name: Id
    version: Text
    standalone: bool = Field(
        default=False,
        description="true: this pack replaces the shipped pack instead of adding to it (--rules DIR)",
    )


class PackFile(_Model):
    """One YAML file of a rule pack."""

    pack: PackInfo | None = None
    categories: list[Category] = Field(default_factory=list)
    obstacles: list[Obstacle] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    scope: list[ScopeEntry] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)
    disable: list[Id] = Field(default_factory=list)


@dataclass
class Located:
    """Where an item of the pack was defined."""

    doc: Document
    path: PathKey

    def problem(self, message: Any, sub: PathKey = ()) -> Problem:
        return self.doc.problem((*self.path, *sub), message)

    @property
    def where(self) -> str:
        pos = self.doc.where(self.path)
        return f"{self.doc.file}:{pos[0]}:{pos[1]}" if pos else self.doc.file


@dataclass
class CompiledRule:
    rule: Rule
    pack: str
    at: Located

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def condition(self) -> Node:
        return self.rule.when


@dataclass
class Pack:
    """A validated, merged rule pack ready for the engine.

    ``index`` holds every keyword of the pack (categories, guards, homonyms, scope, signals, rules); the
    ``*_keywords`` tables hold the keyword ids of each item in that index."""

    name: str
    version: str
    packs: list[dict[str, Any]]
    categories: dict[str, Category]
    obstacles: dict[str, Obstacle]
    interventions: dict[str, Intervention]
    rules: list[CompiledRule]
    disabled: list[str]
    scope: dict[str, ScopeEntry] = field(default_factory=dict)
    signals: dict[str, Signal] = field(default_factory=dict)
    index: KeywordIndex = field(default_factory=KeywordIndex)
    category_keywords: dict[str, CompiledKeywords] = field(default_factory=dict)
    category_guards: dict[str, list[int]] = field(default_factory=dict)
    scope_keywords: dict[str, CompiledKeywords] = field(default_factory=dict)
    signal_keywords: dict[str, CompiledKeywords] = field(default_factory=dict)
    #: keyword id -> the categories, scope entries, signals whose keywords hold it
    category_owners: dict[int, list[str]] = field(default_factory=dict)
    scope_owners: dict[int, list[str]] = field(default_factory=dict)
    signal_owners: dict[int, list[str]] = field(default_factory=dict)
    category_order: dict[str, int] = field(default_factory=dict)
    #: (prefix, kind, id), longest prefix first; kind is "category" or "scope"
    cpv_prefixes: list[tuple[str, str, str]] = field(default_factory=list)
    locations: dict[str, Located] = field(default_factory=dict)

    def interventions_for(self, obstacle_id: str) -> list[str]:
        """Ids of the interventions that address an obstacle, in pack order."""
        return [i.id for i in self.interventions.values() if obstacle_id in i.obstacles]

    def rule(self, rule_id: str) -> CompiledRule | None:
        return self._rules_by_id.get(rule_id)

    @property
    def _rules_by_id(self) -> dict[str, CompiledRule]:
        table: dict[str, CompiledRule] | None = self.__dict__.get("_by_id")
        if table is None:
            table = self.__dict__["_by_id"] = {r.id: r for r in self.rules}
        return table


def pack_files(directory: Path) -> list[Path]:
    """The YAML files of a pack folder, sorted by name."""
    if not directory.exists():
        raise NamiError(Problem(Msg("pack.folder_not_found"), file=str(directory)))
    if not directory.is_dir():
        raise NamiError(Problem(Msg("pack.not_folder"), file=str(directory)))
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise NamiError(Problem(Msg("pack.no_yaml"), file=str(directory)))
    return files


def load_pack(extra: Sequence[str | Path] = (), *, shipped: bool = True) -> Pack:
    """Load the shipped pack (unless ``shipped=False``) and the ``extra`` packs on top, in order.

    Every run parses and validates the pack in full: nothing is read from a cache on disk (a cache
    that another user could write would be a way to change or run the rules).
    """
    dirs = ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in extra]
    if not dirs:
        raise NamiError(Msg("pack.none_given"))
    return _Builder().build(dirs, shipped=shipped)


class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.categories: dict[str, Category] = {}
        self.obstacles: dict[str, Obstacle] = {}
        self.interventions: dict[str, Intervention] = {}
        self.rules: list[tuple[Rule, str, Located]] = []
        self.scope: dict[str, ScopeEntry] = {}
        self.signals: dict[str, Signal] = {}
        self.disabled: list[tuple[str, Located]] = []
        self.locations: dict[str, Located] = {}
        self.packs: list[dict[str, Any]] = []

    def build(self, dirs: list[Path], *, shipped: bool = False) -> Pack:
        for directory in dirs:
            self._load_dir(directory)
        if shipped and any(p["standalone"] for p in self.packs[1:]):
            return _Builder().build(dirs[1:])  # a standalone pack is used instead of the shipped one
        if self.problems:
            raise NamiError(self.problems)
        compiled = self._check_references()
        if self.problems:
            raise NamiError(self.problems)
        disabled = {rule_id for rule_id, _ in self.disabled}
        first = self.packs[0]
        pack = Pack(
            name=first["name"],
            version=first["version"],
            packs=self.packs,
            categories=self.categories,
            obstacles=self.obstacles,
            interventions=self.interventions,
            rules=[r for r in compiled if r.id not in disabled],
            disabled=sorted(disabled),
            scope=self.scope,
            signals=self.signals,
            locations=self.locations,
        )
        _index(pack)
        return pack

    def _load_dir(self, directory: Path) -> None:
        try:
            files = pack_files(directory)
        except NamiError as exc:
            self.problems.extend(exc.problems)
            return
        info: tuple[PackInfo, Document] | None = None
        parsed_files: list[tuple[PackFile, Document]] = []
        for path in files:
            try:
                doc = load(str(path), max_bytes=MAX_RULE_FILE_BYTES)
                parsed = PackFile.model_validate(doc.data)
            except NamiError as exc:
                self.problems.extend(exc.problems)
                continue
            except ValidationError as exc:
                self.problems.extend(problems_from(exc, doc, model=PackFile))
                continue
            if parsed.pack is not None:
                if info is not None:
                    self.problems.append(doc.problem(("pack",), Msg("pack.named_twice", file=info[1].file)))
                else:
                    info = (parsed.pack, doc)
            parsed_files.append((parsed, doc))
        standalone = False
        if info is None:
            name, version = directory.name, "0"
            self.problems.append(Problem(Msg("pack.unnamed"), file=str(directory)))
        else:
            name, version, standalone = info[0].name, info[0].version, info[0].standalone
        self.packs.append(
            {"name": name, "version": version, "path": str(directory), "standalone": standalone}
        )
        for parsed, doc in parsed_files:
            self._add(parsed, doc, name)

    def _add(self, parsed: PackFile, doc: Document, pack_name: str) -> None:
        groups: tuple[
            tuple[str, Sequence[Category | Obstacle | Intervention | Rule | ScopeEntry | Signal]], ...
        ] = (
            ("categories", parsed.categories),
            ("obstacles", parsed.obstacles),
            ("interventions", parsed.interventions),
            ("rules", parsed.rules),
            ("scope", parsed.scope),
            ("signals", parsed.signals),
        )
        for kind, items in groups:
            for i, item in enumerate(items):
                at = Located(doc, (kind, i))
                if item.id in self.locations:
                    first = self.locations[item.id]
                    self.problems.append(
                        at.problem(Msg("pack.duplicate_id", id=repr(item.id), where=first.where), ("id",))
                    )
                    continue
                self.locations[item.id] = at
                if isinstance(item, Category):
                    self.categories[item.id] = item
                elif isinstance(item, Obstacle):
                    self.obstacles[item.id] = item
                elif isinstance(item, Intervention):
                    self.interventions[item.id] = item
                elif isinstance(item, ScopeEntry):
                    self.scope[item.id] = item
                elif isinstance(item, Signal):
                    self.signals[item.id] = item
                else:
                    self.rules.append((item, pack_name, at))
        for i, rule_id in enumerate(parsed.disable):
            self.disabled.append((rule_id, Located(doc, ("disable", i))))

    def _check_references(self) -> list[CompiledRule]:
        for intervention in self.interventions.values():
            at = self.locations[intervention.id]
            for i, ob in enumerate(intervention.obstacles):
                if ob not in self.obstacles:
                    self.problems.append(
                        at.problem(_unknown("obstacle", ob, self.obstacles), ("obstacles", i))
                    )
        compiled: list[CompiledRule] = []
        rule_ids = set()
        for rule, pack_name, at in self.rules:
            rule_ids.add(rule.id)
            for i, ob in enumerate(rule.obstacles):
                if ob not in self.obstacles:
                    self.problems.append(
                        at.problem(_unknown("obstacle", ob, self.obstacles), ("obstacles", i))
                    )
            for i, iv in enumerate(rule.interventions):
                if iv not in self.interventions:
                    self.problems.append(
                        at.problem(_unknown("intervention", iv, self.interventions), ("interventions", i))
                    )
            for cat in categories_of(rule.when):
                if cat not in self.categories:
                    self.problems.append(at.problem(_unknown("category", cat, self.categories), ("when",)))
            for sig in signals_of(rule.when):
                if sig not in self.signals:
                    self.problems.append(at.problem(_unknown("signal", sig, self.signals), ("when",)))
            for lang in ("nl", "en"):
                text = getattr(rule.message, lang)
                for name in _PLACEHOLDER_RE.findall(text):
                    if name not in FIELD_PATHS:
                        self.problems.append(
                            at.problem(Msg("pack.unknown_placeholder", name=name), ("message", lang))
                        )
            self._check_examples(rule, at)
            compiled.append(CompiledRule(rule, pack_name, at))
        for rule_id, at in self.disabled:
            if rule_id not in rule_ids:
                self.problems.append(at.problem(Msg("pack.cannot_disable", id=repr(rule_id))))
        for signal in self.signals.values():
            self._check_signal(signal, self.locations[signal.id])
        for entry in self.scope.values():
            at = self.locations[entry.id]
            if entry.keywords is None and not entry.cpv:
                self.problems.append(at.problem("a scope entry needs keywords or cpv prefixes (or both)"))
            for kind in ("match", "no_match"):
                for i, example in enumerate(getattr(entry.examples, kind)):
                    self._check_request(example, at.doc, (*at.path, "examples", kind, i))
        return compiled

    def _check_signal(self, signal: Signal, at: Located) -> None:
        from nami_cli.load.request import Request

        nested: dict[str, Any] = {"title": "x"}
        for name, value in signal.sets.items():
            target = SIGNAL_FIELD_ALIASES.get(name, name)
            if target not in SIGNAL_FIELDS:
                self.problems.append(
                    at.problem(
                        Msg("pack.signal_field", name=repr(name), fields=", ".join(sorted(SIGNAL_FIELDS))),
                        ("sets", name),
                    )
                )
                continue
            if value == "{n}":
                value = 1
            path = FIELD_PATHS[target] if target != "stock_years" else ("usage", "stock")
            node = nested
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        try:
            Request.model_validate(nested)
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(at.problem(Msg("pack.signal_value", error=err["msg"]), ("sets",)))
        for kind in ("match", "no_match"):
            for i, example in enumerate(getattr(signal.examples, kind)):
                self._check_request(example, at.doc, (*at.path, "examples", kind, i))

    def _check_request(self, example: dict[str, Any], doc: Document, path: PathKey) -> None:
        from nami_cli.load.request import Request

        try:
            Request.model_validate(example)
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc, model=Request, base=path))

    def _check_examples(self, rule: Rule, at: Located) -> None:
        from nami_cli.load.request import Request

        for kind in ("match", "no_match"):
            for i, example in enumerate(getattr(rule.examples, kind)):
                path = (*at.path, "examples", kind, i)
                try:
                    Request.model_validate(example)
                except ValidationError as exc:
                    self.problems.extend(problems_from(exc, at.doc, model=Request, base=path))
                    continue
                category = example.get("category")
                if category is not None and category not in self.categories:
                    self.problems.append(
                        at.doc.problem(
                            (*path, "category"), _unknown("category", str(category), self.categories)
                        )
                    )
                for j, ob in enumerate(example.get("obstacles") or []):
                    if ob not in self.obstacles:
                        self.problems.append(
                            at.doc.problem(
                                (*path, "obstacles", j), _unknown("obstacle", str(ob), self.obstacles)
                            )
                        )


def _unknown(kind: str, value: str, known: dict[str, Any]) -> Msg:
    """``unknown obstacle 'x'; did you mean y?``; ``kind``: obstacle, intervention, category or signal."""
    import difflib

    close = difflib.get_close_matches(value, list(known), n=3)
    hint = Msg("pack.did_you_mean", options=", ".join(close)) if close else ""
    return Msg(f"pack.unknown.{kind}", value=repr(value), hint=hint)


#: fields a signal may set (``usage.stock_years`` is read as ``stock_years``)
SIGNAL_FIELDS = frozenset(
    {
        "reason",
        "replaces.age_years",
        "replaces.condition",
        "replaces.trigger",
        "usage.stock",
        "usage.annual_use",
        "usage.users",
        "stock_years",
    }
)
SIGNAL_FIELD_ALIASES = {"usage.stock_years": "stock_years"}


def _index(pack: Pack) -> None:
    """Put every keyword of the pack into one index and note each item's keyword ids."""
    index = pack.index
    prefixes: list[tuple[str, str, str]] = []
    for cat in pack.categories.values():
        pack.category_keywords[cat.id] = CompiledKeywords(index, cat.keywords.entries())
        if cat.guards is not None:
            pack.category_guards[cat.id] = sorted(
                {*index.add_all(cat.guards.nl, "nl"), *index.add_all(cat.guards.en, "en")}
            )
        prefixes.extend((prefix, "category", cat.id) for prefix in cat.cpv)
    for entry in pack.scope.values():
        if entry.keywords is not None:
            pack.scope_keywords[entry.id] = CompiledKeywords(index, entry.keywords.entries())
        prefixes.extend((prefix, "scope", entry.id) for prefix in entry.cpv)
    for signal in pack.signals.values():
        pack.signal_keywords[signal.id] = CompiledKeywords(index, signal.phrases.entries())
    for table, owners in (
        (pack.category_keywords, pack.category_owners),
        (pack.scope_keywords, pack.scope_owners),
        (pack.signal_keywords, pack.signal_owners),
    ):
        for owner, compiled in table.items():
            for kid in compiled.ids:
                owners.setdefault(kid, []).append(owner)
    pack.category_order = {cat: i for i, cat in enumerate(pack.categories)}
    conditions = [rule.rule.when for rule in pack.rules]
    conditions.extend(o.disproved_by for o in pack.obstacles.values() if o.disproved_by is not None)
    for cond in conditions:
        for node in keyword_nodes(cond):
            node.compile(index)
    prefixes.sort(key=lambda item: -len(item[0]))
    pack.cpv_prefixes = prefixes


def categories_in(rule: Rule) -> list[str]:
    """The categories a rule's condition names, sorted."""
    return categories_of(rule.when)


__all__ = [
    "Bilingual",
    "Category",
    "CompiledRule",
    "Intervention",
    "Obstacle",
    "Pack",
    "PackFile",
    "Rule",
    "ScopeEntry",
    "Signal",
    "SourceRef",
    "categories_in",
    "load_pack",
    "shipped_rules_dir",
]
