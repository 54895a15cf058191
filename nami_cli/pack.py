"""The rule pack: its file format (pydantic models), loading, strict validation and merging.

A pack is a folder of YAML files (see ``docs/rules.md``). The shipped pack is found inside the installed
package (``nami_cli/rules``) or, in a source checkout, in ``rules/`` beside the package. Further packs
(``--rules DIR``) are loaded on top. Every problem — a YAML error, an unknown key, a duplicate id, an
unknown reference, a missing translation — is collected with ``file:line:col`` and raised together as a
:class:`~nami_cli.errors.NamiError`; nothing is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from nami_cli.conditions import FIELD_PATHS, Compiled, compile_condition
from nami_cli.errors import NamiError, Problem
from nami_cli.pack_location import shipped_rules_dir
from nami_cli.textmatch import KeywordSet, is_valid_keyword
from nami_cli.validation import as_text, problems_from
from nami_cli.vocab import CPV_DIVISIONS, Dimension, Level, Strategy
from nami_cli.yamlsafe import Document, PathKey, load

MAX_RULE_FILE_BYTES = 4 * 1024 * 1024
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

Text = Annotated[str, BeforeValidator(as_text), Field(min_length=1)]


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError(
            f"{value!r} is not a valid id; use lowercase words joined by hyphens, e.g. office-supplies"
        )
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
            raise ValueError("must not be empty")
        return value.strip()

    def __call__(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def _cpv_prefix(value: Any) -> Any:
    value = as_text(value)
    if isinstance(value, str) and not (value.isdigit() and 2 <= len(value) <= 8):
        raise ValueError(f"{value!r} is not a CPV prefix; write 2 to 8 digits without check digit, in quotes")
    if isinstance(value, str) and value[:2] not in CPV_DIVISIONS:
        raise ValueError(f"{value!r} is not a CPV prefix: no CPV 2008 code starts with {value[:2]!r}")
    return value


CpvPrefix = Annotated[str, BeforeValidator(_cpv_prefix)]


class Keywords(_Model):
    nl: list[Text] = Field(min_length=1)
    en: list[Text] = Field(min_length=1)

    @field_validator("nl", "en")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        for word in value:
            if not is_valid_keyword(word):
                raise ValueError(f"keyword {word!r} holds no letters or digits")
        return value


class Category(_Model):
    id: Id
    title: Bilingual
    cpv: list[CpvPrefix] = Field(default_factory=list)
    keywords: Keywords


class Obstacle(_Model):
    id: Id
    dimension: Dimension
    level: Level
    title: Bilingual
    explanation: Bilingual
    example: Bilingual | None = None
    source: Text


class Intervention(_Model):
    id: Id
    title: Bilingual
    description: Bilingual
    first_step: Bilingual | None = None
    strategies: list[Strategy] = Field(min_length=1)
    obstacles: list[Id] = Field(default_factory=list)
    source: Text


class Examples(_Model):
    match: list[dict[str, Any]] = Field(min_length=1)
    no_match: list[dict[str, Any]] = Field(min_length=1)


class Rule(_Model):
    id: Id
    strategy: Strategy
    title: Bilingual
    message: Bilingual
    when: dict[str, Any] = Field(description="a condition; see docs/rules.md")
    obstacles: list[Id] = Field(default_factory=list)
    interventions: list[Id] = Field(default_factory=list)
    questions: list[Bilingual] = Field(
        default_factory=list,
        description="follow-up questions the interview asks for this rule; yes = the rule applies here",
    )
    source: Text
    examples: Examples


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
    disable: list[Id] = Field(default_factory=list)


@dataclass
class Located:
    """Where an item of the pack was defined."""

    doc: Document
    path: PathKey

    def problem(self, message: str, sub: PathKey = ()) -> Problem:
        return self.doc.problem((*self.path, *sub), message)

    @property
    def where(self) -> str:
        pos = self.doc.where(self.path)
        return f"{self.doc.file}:{pos[0]}:{pos[1]}" if pos else self.doc.file


@dataclass
class CompiledRule:
    rule: Rule
    condition: Compiled
    pack: str
    at: Located

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass
class Pack:
    """A validated, merged rule pack ready for the engine."""

    name: str
    version: str
    packs: list[dict[str, Any]]
    categories: dict[str, Category]
    obstacles: dict[str, Obstacle]
    interventions: dict[str, Intervention]
    rules: list[CompiledRule]
    disabled: list[str]
    category_keywords: dict[str, KeywordSet] = field(default_factory=dict)
    cpv_prefixes: list[tuple[str, str]] = field(default_factory=list)  # (prefix, category), longest first
    keyword_index: dict[str, list[str]] = field(default_factory=dict)  # single keyword -> categories
    locations: dict[str, Located] = field(default_factory=dict)

    def interventions_for(self, obstacle_id: str) -> list[str]:
        """Ids of the interventions that address an obstacle, in pack order."""
        return [i.id for i in self.interventions.values() if obstacle_id in i.obstacles]

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def pack_files(directory: Path) -> list[Path]:
    """The YAML files of a pack folder, sorted by name."""
    if not directory.exists():
        raise NamiError(Problem("rule pack folder not found", file=str(directory)))
    if not directory.is_dir():
        raise NamiError(Problem("a rule pack is a folder of YAML files, not a file", file=str(directory)))
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise NamiError(Problem("no .yaml files in this rule pack folder", file=str(directory)))
    return files


def load_pack(extra: Sequence[str | Path] = (), *, shipped: bool = True) -> Pack:
    """Load the shipped pack (unless ``shipped=False``) and the ``extra`` packs on top, in order.

    Every run parses and validates the pack in full: nothing is read from a cache on disk (a cache
    that another user could write would be a way to change or run the rules).
    """
    dirs = ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in extra]
    if not dirs:
        raise NamiError("no rule pack given")
    return _Builder().build(dirs, shipped=shipped)


class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.categories: dict[str, Category] = {}
        self.obstacles: dict[str, Obstacle] = {}
        self.interventions: dict[str, Intervention] = {}
        self.rules: list[tuple[Rule, str, Located]] = []
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
                    self.problems.append(
                        doc.problem(("pack",), f"the pack is already named in {info[1].file}; name it once")
                    )
                else:
                    info = (parsed.pack, doc)
            parsed_files.append((parsed, doc))
        standalone = False
        if info is None:
            name, version = directory.name, "0"
            self.problems.append(
                Problem(
                    "no file of this rule pack says 'pack: {name: ..., version: ...}'", file=str(directory)
                )
            )
        else:
            name, version, standalone = info[0].name, info[0].version, info[0].standalone
        self.packs.append(
            {"name": name, "version": version, "path": str(directory), "standalone": standalone}
        )
        for parsed, doc in parsed_files:
            self._add(parsed, doc, name)

    def _add(self, parsed: PackFile, doc: Document, pack_name: str) -> None:
        groups: tuple[tuple[str, Sequence[Category | Obstacle | Intervention | Rule]], ...] = (
            ("categories", parsed.categories),
            ("obstacles", parsed.obstacles),
            ("interventions", parsed.interventions),
            ("rules", parsed.rules),
        )
        for kind, items in groups:
            for i, item in enumerate(items):
                at = Located(doc, (kind, i))
                if item.id in self.locations:
                    first = self.locations[item.id]
                    self.problems.append(
                        at.problem(f"duplicate id {item.id!r}; first defined at {first.where}", ("id",))
                    )
                    continue
                self.locations[item.id] = at
                if isinstance(item, Category):
                    self.categories[item.id] = item
                elif isinstance(item, Obstacle):
                    self.obstacles[item.id] = item
                elif isinstance(item, Intervention):
                    self.interventions[item.id] = item
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
            found: list[tuple[PathKey, str]] = []
            cond = compile_condition(rule.when, (*at.path, "when"), found)
            self.problems.extend(at.doc.problem(path, message) for path, message in found)
            for cat in sorted(cond.categories):
                if cat not in self.categories:
                    self.problems.append(at.problem(_unknown("category", cat, self.categories), ("when",)))
            for lang in ("nl", "en"):
                text = getattr(rule.message, lang)
                for name in _PLACEHOLDER_RE.findall(text):
                    if name not in FIELD_PATHS:
                        self.problems.append(
                            at.problem(f"unknown placeholder {{{name}}}; use a field name", ("message", lang))
                        )
            self._check_examples(rule, at)
            compiled.append(CompiledRule(rule, cond, pack_name, at))
        for rule_id, at in self.disabled:
            if rule_id not in rule_ids:
                self.problems.append(at.problem(f"cannot disable {rule_id!r}: no rule has this id"))
        return compiled

    def _check_examples(self, rule: Rule, at: Located) -> None:
        from nami_cli.request import Request

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


def _unknown(kind: str, value: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {kind} {value!r}{hint}"


def _index(pack: Pack) -> None:
    """Prepare the look-ups the classifier needs."""
    prefixes: list[tuple[str, str]] = []
    for cat in pack.categories.values():
        words = list(cat.keywords.nl) + list(cat.keywords.en)
        pack.category_keywords[cat.id] = KeywordSet.compile(words)
        for prefix in cat.cpv:
            prefixes.append((prefix, cat.id))
    prefixes.sort(key=lambda item: -len(item[0]))
    pack.cpv_prefixes = prefixes
    index: dict[str, list[str]] = {}
    for cat_id, kws in pack.category_keywords.items():
        for word in kws.single:
            index.setdefault(word, []).append(cat_id)
    pack.keyword_index = index


def categories_in(rule: Rule) -> list[str]:
    """The categories a rule's condition names, sorted."""
    found: list[tuple[PathKey, str]] = []
    return sorted(compile_condition(rule.when, (), found).categories)


__all__ = [
    "Bilingual",
    "Category",
    "CompiledRule",
    "Intervention",
    "Obstacle",
    "Pack",
    "PackFile",
    "Rule",
    "categories_in",
    "load_pack",
    "shipped_rules_dir",
]
