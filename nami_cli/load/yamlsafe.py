"""A safe, location-aware YAML loader.

The file is composed into a node tree once (libyaml where available), then turned into plain Python
values by hand, remembering where every value and key starts. Nothing is ever constructed by PyYAML:

* aliases, duplicate keys, non-scalar keys, several documents, a top level that is not a mapping and any
  tag outside the plain JSON-like set are refused with ``file:line:col``;
* files over a size limit are refused before parsing; binary and non-UTF-8 files are reported;
* plain scalars are read with YAML 1.2 core rules, not YAML 1.1: ``NO``/``yes``/``on`` stay text,
  ``0777`` is 777 with its text kept, ``1:20`` is text. Numbers and dates keep the text they were
  written as (:class:`YamlInt`, :class:`YamlFloat`, :class:`YamlDate`), so a field that expects text can
  read ``title: 2026`` or ``cpv: 03000000`` exactly as written. A number written with more than
  ``MAX_NUMBER_TEXT`` characters stays text (a number field refuses it as too large).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import DATE
from nami_cli.i18n import Lazy, Msg

MAX_DEPTH = 64
MAX_NUMBER_TEXT = 100  # a plain scalar this long is kept as text, never converted to a number
Position = tuple[int, int]
PathKey = tuple[str | int, ...]


class YamlInt(int):
    """An integer read from a plain YAML scalar, with the text it was written as."""

    yaml_raw: str

    def __new__(cls, value: int, raw: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.yaml_raw = raw
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (YamlInt, (int(self), self.yaml_raw))


class YamlFloat(float):
    """A float read from a plain YAML scalar, with the text it was written as."""

    yaml_raw: str

    def __new__(cls, value: float, raw: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.yaml_raw = raw
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (YamlFloat, (float(self), self.yaml_raw))


class YamlDate(_dt.date):
    """A date read from a plain YAML scalar, with the text it was written as."""

    yaml_raw: str

    def __new__(cls, value: _dt.date, raw: str) -> YamlDate:
        obj = super().__new__(cls, value.year, value.month, value.day)
        obj.yaml_raw = raw
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # type: ignore[override]
        return (YamlDate, (_dt.date(self.year, self.month, self.day), self.yaml_raw))


@dataclass
class Document:
    """Plain data from a YAML file, with the position of every value and key (1-based)."""

    data: Any
    file: str
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)

    def where(self, path: PathKey, *, key: bool = False) -> Position | None:
        """Position of the value (or key) at ``path``; the nearest known parent if it is absent."""
        table = self.key_positions if key else self.positions
        if path in table:
            return table[path]
        probe = tuple(path)
        while probe:
            probe = probe[:-1]
            if probe in self.positions:
                return self.positions[probe]
        return self.positions.get((), None)

    def problem(self, path: PathKey, message: Any, *, key: bool = False) -> Problem:
        pos = self.where(path, key=key)
        return Problem(
            message,
            file=self.file,
            line=pos[0] if pos else None,
            column=pos[1] if pos else None,
            path=format_path(path) or None,
        )


def format_path(path: PathKey) -> str:
    """``("answers", "refuse", "answer")`` -> ``answers.refuse.answer``; list items as ``[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def plain_scalar(text: str) -> Any:
    """Read a plain (unquoted) scalar with YAML 1.2 core rules, keeping the text of numbers and dates."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if len(text) > MAX_NUMBER_TEXT and text[:1] in "+-0123456789.":
        return text  # not converted (Python refuses ints of over 4300 digits): a number field says why
    if _INT_RE.match(text):
        return YamlInt(int(text, 10), text)
    if _HEX_RE.match(text):
        return YamlInt(int(text[2:], 16), text)
    if _OCT_RE.match(text):
        return YamlInt(int(text[2:], 8), text)
    if _FLOAT_RE.match(text):
        return YamlFloat(float(text), text)
    if text in (".inf", ".Inf", ".INF", "+.inf"):
        return YamlFloat(float("inf"), text)
    if text in ("-.inf", "-.Inf", "-.INF"):
        return YamlFloat(float("-inf"), text)
    if text in (".nan", ".NaN", ".NAN"):
        return YamlFloat(float("nan"), text)
    if DATE.match(text):
        try:
            y, m, d = (int(p) for p in text.split("-"))
            return YamlDate(_dt.date(y, m, d), text)
        except ValueError:
            return text
    return text


def read_source(path: str, *, max_bytes: int, data: bytes | None = None) -> str:
    """Read a YAML file as text: size limit first, then binary and UTF-8 checks."""
    if data is not None:
        raw = data
    else:
        p = Path(path)
        try:
            size = p.stat().st_size
        except FileNotFoundError:
            raise NamiError(Problem(Msg("yaml.not_found"), file=path)) from None
        except OSError as exc:
            raise NamiError(Problem(Msg("yaml.cannot_read", reason=exc.strerror), file=path)) from None
        if p.is_dir():
            raise NamiError(Problem(Msg("yaml.is_folder"), file=path))
        if size > max_bytes:
            raise NamiError(
                Problem(
                    Msg("yaml.too_big", size=_count(size), limit=_count(max_bytes)),
                    file=path,
                )
            )
        try:
            with p.open("rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise NamiError(Problem(Msg("yaml.cannot_read", reason=exc.strerror), file=path)) from None
    if len(raw) > max_bytes:
        raise NamiError(Problem(Msg("yaml.input_too_big", limit=_count(max_bytes)), file=path))
    if b"\x00" in raw:
        raise NamiError(Problem(Msg("yaml.binary"), file=path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise NamiError(
            Problem(
                Msg("yaml.not_utf8", byte=f"{raw[exc.start]:02x}"),
                file=path,
                line=line,
                column=column,
            )
        ) from None
    return text


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, *, file: str, top: str = "mapping") -> Document:
    """Compose ``text`` and turn it into plain data with positions. ``top``: "mapping" or "any"."""
    import yaml

    try:
        loader = _loader()(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what: Msg | str = _yaml_problem(exc.problem or exc.context or "")
        if exc.context == "expected a single document in the stream":
            what = Msg("yaml.several_documents")
        tab = _tab_near(text, mark.line if mark else None) if "\t" in text else None
        if tab is not None:
            raise NamiError(
                Problem(
                    Msg("yaml.tab"),
                    file=file,
                    line=tab[0],
                    column=tab[1],
                )
            ) from None
        raise NamiError(
            Problem(
                Msg("yaml.syntax", what=what),
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise NamiError(Problem(Msg("yaml.error", what=str(exc)), file=file)) from None
    except RecursionError:  # the pure-Python composer recurses (libyaml stops at 1000 levels itself)
        raise NamiError(Problem(Msg("yaml.too_deep", depth=MAX_DEPTH), file=file)) from None
    doc = Document(data=None, file=file)
    if node is None:
        raise NamiError(Problem(Msg("yaml.empty"), file=file, line=1, column=1))
    if top == "mapping" and not isinstance(node, yaml.MappingNode):
        kind = Msg("yaml.a_list") if isinstance(node, yaml.SequenceNode) else Msg("yaml.a_value")
        raise NamiError(
            Problem(
                Msg("yaml.top_not_mapping", kind=kind),
                file=file,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            )
        )
    seen: set[int] = set()
    doc.data = _convert(node, (), doc, seen, 0)
    return doc


def _tab_near(text: str, line: int | None) -> Position | None:
    """Where a tab in the indentation (or the first tab) on the error's line or the line before it is."""
    if line is None:
        return None
    lines = text.splitlines()
    for index in (line, line - 1):
        if 0 <= index < len(lines) and "\t" in lines[index]:
            return index + 1, lines[index].index("\t") + 1
    return None


def load(path: str, *, max_bytes: int, data: bytes | None = None, top: str = "mapping") -> Document:
    """Read and parse one YAML file (``data``: its bytes, already read, e.g. from stdin)."""
    text = read_source(path, max_bytes=max_bytes, data=data)
    return parse(text, file=path, top=top)


def _count(n: int) -> Lazy:
    """A count of bytes in the reader's number format (``12.345`` or ``12,345``)."""
    from nami_cli.render.number_format import number

    return Lazy(lambda lang: number(n, lang, 0))


#: PyYAML's most frequent problems, in both languages; any other is shown in PyYAML's own words.
_YAML_PROBLEMS = {
    "mapping values are not allowed here": "yaml.problem.mapping_values",
    "mapping values are not allowed in this context": "yaml.problem.mapping_values_context",
    "could not find expected ':'": "yaml.problem.no_colon",
    "found character that cannot start any token": "yaml.problem.bad_start",
    "expected <block end>, but found '<block mapping start>'": "yaml.problem.block_end",
    "found unexpected end of stream": "yaml.problem.unclosed_quote",
}


def _yaml_problem(problem: str) -> Msg | str:
    if not problem:
        return Msg("yaml.invalid")
    key = _YAML_PROBLEMS.get(problem)
    return Msg(key) if key else problem


def _fail(doc: Document, node: Any, message: Any, path: PathKey) -> NamiError:
    return NamiError(
        Problem(
            message,
            file=doc.file,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            path=format_path(path) or None,
        )
    )


def _convert(node: Any, path: PathKey, doc: Document, seen: set[int], depth: int) -> Any:
    import yaml

    if depth > MAX_DEPTH:
        raise _fail(doc, node, Msg("yaml.too_deep", depth=MAX_DEPTH), path)
    if id(node) in seen:
        raise _fail(doc, node, Msg("yaml.alias"), path)
    seen.add(id(node))
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    tag = node.tag or ""
    if isinstance(node, yaml.ScalarNode):
        if tag not in _SCALAR_TAGS:
            raise _fail(doc, node, Msg("yaml.tag_remove", tag=_show_tag(tag)), path)
        if node.style or tag == _TAG + "str":
            return node.value
        return plain_scalar(node.value)
    if isinstance(node, yaml.SequenceNode):
        if tag != _TAG + "seq":
            raise _fail(doc, node, Msg("yaml.tag_remove", tag=_show_tag(tag)), path)
        return [_convert(item, (*path, i), doc, seen, depth + 1) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if tag != _TAG + "map":
            raise _fail(doc, node, Msg("yaml.tag_remove", tag=_show_tag(tag)), path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(doc, key_node, Msg("yaml.key_not_text"), path)
            if id(value_node) in seen:
                raise _fail(
                    doc,
                    key_node,
                    Msg("yaml.alias"),
                    (*path, key_node.value),
                )
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise _fail(doc, key_node, Msg("yaml.merge_key"), path)
            if (key_node.tag or "") not in _SCALAR_TAGS:
                raise _fail(doc, key_node, Msg("yaml.tag", tag=_show_tag(key_node.tag)), path)
            child = (*path, key)
            if key in out:
                first = doc.key_positions[child]
                raise _fail(doc, key_node, Msg("yaml.duplicate_key", key=repr(key), line=first[0]), child)
            doc.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, child, doc, seen, depth + 1)
        return out
    raise _fail(doc, node, Msg("yaml.unsupported"), path)  # pragma: no cover - defensive


def _show_tag(tag: str | None) -> str:
    tag = tag or ""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
