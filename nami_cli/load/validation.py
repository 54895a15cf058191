"""Turn pydantic validation errors into human messages at ``file:line:col``."""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING, Any

from nami_cli.base.errors import Problem
from nami_cli.i18n import Concat, Lazy, Msg, MsgError, either, join_or
from nami_cli.load.yamlsafe import Document, PathKey

if TYPE_CHECKING:
    from pydantic import ValidationError

    from nami_cli.rulepack.pack import Pack

#: Dutch names people give the keys of a request, and the key nami reads (for "did you mean").
DUTCH_KEYS: dict[str, str] = {
    "titel": "title",
    "naam": "title",
    "omschrijving": "description",
    "beschrijving": "description",
    "toelichting": "description",
    "categorie": "category",
    "aantal": "quantity",
    "hoeveelheid": "quantity",
    "eenheid": "unit",
    "prijs": "unit_price",
    "stukprijs": "unit_price",
    "eenheidsprijs": "unit_price",
    "waarde": "estimated_value",
    "bedrag": "estimated_value",
    "reden": "reason",
    "vervangt": "replaces",
    "vervanging": "replaces",
    "gebruik": "usage",
    "aanvrager": "requester",
    "behoeftesteller": "requester",
    "datum": "needed_by",
    "nodig_op": "needed_by",
    "belemmeringen": "obstacles",
    "antwoorden": "answers",
    "niet": "refuse",
    "anders": "rethink",
    "minder": "reduce",
    "antwoord": "answer",
    "onderbouwing": "justification",
    "leeftijd": "age_years",
    "staat": "condition",
    "aanleiding": "trigger",
    "voorraad": "stock",
    "verbruik": "annual_use",
    "gebruikers": "users",
}


def did_you_mean(value: str, candidates: dict[str, str]) -> list[str]:
    """The values of ``candidates`` (written form -> what nami reads) whose written form is close to
    ``value``: the one it equals in another case, else up to three by similarity, best first."""
    import difflib

    folded = value.strip().casefold()
    by_fold: dict[str, str] = {}
    for written, meant in candidates.items():
        by_fold.setdefault(written.casefold(), meant)
    if folded in by_fold:
        return [by_fold[folded]]
    hits = [by_fold[w] for w in difflib.get_close_matches(folded, list(by_fold), n=5, cutoff=0.6)]
    return list(dict.fromkeys(hits))[:3]


def as_text(value: Any) -> Any:
    """Read a scalar as the text the user wrote (``title: 2026``, ``cpv: 39294100``, ``unit: NO``)."""
    if isinstance(value, str):
        return value
    raw = getattr(value, "yaml_raw", None)
    if raw is not None:
        return raw
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def as_number(value: Any) -> Any:
    """A number field of a request: read with the one number parser (``numparse.request_number``), so
    ``60.000`` or ``1.234`` is refused as ambiguous and ``2,10`` or ``€ 5`` with the number to write, as
    the interview does; a number of 1e15 or more in size is refused, never read as infinity."""
    from nami_cli.base.number_parser import MAX_ABS, NumberError, request_number
    from nami_cli.render.number_format import number

    if isinstance(value, bool):
        raise MsgError(Msg("load.bool_not_number", value=str(value).lower()))
    raw = getattr(value, "yaml_raw", None)
    if (
        isinstance(value, float)
        and not math.isfinite(value)
        and (raw is None or raw.lower().lstrip("+-") in (".inf", ".nan"))
    ):
        raise MsgError(Msg("load.finite"))
    if raw is None and isinstance(value, str):
        try:
            return request_number(value)
        except NumberError as exc:
            if exc.key == "number":
                raise MsgError(Msg("load.not_number", value=repr(value))) from None
            raise
    if raw is not None:
        request_number(raw)  # the written text: ambiguity, range
        return value
    if isinstance(value, (int, float)) and not -MAX_ABS < value < MAX_ABS:
        shown: str | Msg = "" if isinstance(value, int) and value.bit_length() > 64 else repr(value)
        if isinstance(value, int) and value.bit_length() > 64:  # str() of a huge int fails
            digits = int(value.bit_length() * 0.30103) + 1
            shown = Msg("load.huge_number", digits=Lazy(lambda lang: number(digits, lang, 0)))
        raise MsgError(Msg("load.too_large", value=shown))
    return value


def _allowed_keys(model: Any, loc: tuple[Any, ...]) -> list[str] | None:
    """Field names of the (nested) pydantic model at ``loc``, for 'unknown key' messages."""
    import typing

    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0] if args else None
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
        else:
            return None
        while typing.get_origin(current) is not None and not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                current = models[0]
                break
            if typing.get_origin(current) in (list, tuple):
                break
            current = args[0] if args else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _expected(expected: str) -> Lazy:
    """pydantic's ``'a', 'b' or 'c'`` in the language of the message."""
    import re

    quoted = [f"'{word}'" for word in re.findall(r"'([^']*)'", expected)]
    return Lazy(lambda lang: expected if lang == "en" or not quoted else join_or(quoted, lang))


def _message(err: Any, model: Any) -> Msg | Concat | str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if isinstance(ctx.get("error"), MsgError):  # a validator's own message, in both languages
        error: MsgError = ctx["error"]
        return error.msg
    if kind == "missing":
        return Msg("load.required")
    if kind == "extra_forbidden":
        return _unknown_key(model, tuple(err["loc"]))
    if kind == "greater_than":
        return Msg("load.greater_than", bound=_bound(ctx.get("gt")))
    if kind == "greater_than_equal":
        return Msg("load.at_least", bound=_bound(ctx.get("ge")))
    if kind == "less_than_equal":
        return Msg("load.at_most", bound=_bound(ctx.get("le")))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Msg("load.whole_number", value=_show(value))
    if kind in ("float_parsing", "float_type"):
        return Msg("load.number", value=_show(value))
    if kind == "finite_number":
        return Msg("load.finite")
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return Msg("load.one_of", expected=_expected(expected), value=_show(value)) + _value_hint(
            err["loc"], expected, value
        )
    if kind == "string_type":
        return Msg("load.text", value=_show(value))
    if kind in ("string_too_short", "too_short"):
        return Msg("load.not_empty")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Msg("load.mapping", value=_show(value))
    if kind == "list_type":
        return Msg("load.list", value=_show(value))
    if kind.startswith("date"):
        return Msg("load.date", value=_show(value))
    if kind == "value_error":
        return Msg("load.invalid", detail=str(err["msg"]).removeprefix("Value error, "))
    if kind == "assertion_error":
        return Msg("load.invalid", detail=str(err["msg"]).removeprefix("Assertion failed, "))
    return Msg("load.invalid", detail=str(err["msg"]).lower())


def _homes(model: Any, key: str, path: tuple[Any, ...] = ()) -> list[str]:
    """Where ``key`` is a field in the model tree below ``model`` (``stock`` -> ``usage``)."""
    import typing

    from pydantic import BaseModel

    found: list[str] = []
    for name, info in model.model_fields.items():
        if name == key:
            found.append(".".join(path) if path else "")
        stack = [info.annotation]
        while stack:
            current = stack.pop()
            if isinstance(current, type) and issubclass(current, BaseModel):
                if len(path) < 4:
                    found += _homes(current, key, (*path, name))
            else:
                stack.extend(typing.get_args(current))
    return list(dict.fromkeys(found))


def _unknown_key(model: Any, loc: tuple[Any, ...]) -> Msg | Concat:
    """'unknown key' with what was probably meant: a close key here, or the place the key belongs."""
    key = str(loc[-1])
    here = tuple(p for p in loc[:-1] if not isinstance(p, int))
    allowed = _allowed_keys(model, tuple(loc[:-1])) or []
    message = Msg("load.unknown_key", key=repr(key))
    homes = [h for h in _homes(model, key) if h != ".".join(here)] if key not in allowed else []
    if homes:
        from nami_cli.base.vocab import ANSWER_MEANING

        def where(lang: str) -> str:
            return join_or([f"{h}:" if h else Msg("load.top_level").text(lang) for h in homes], lang)

        example: Msg | str = ""
        if key in ANSWER_MEANING:
            meaning = ANSWER_MEANING[key]["yes"]

            def short(lang: str) -> str:
                return meaning[lang].split("(", 1)[-1].removesuffix(")")

            example = Msg("load.answer_example", key=key, meaning=Lazy(short))
        return Msg("load.belongs_under", unknown=message, where=Lazy(where), example=example)
    candidates = {k: k for k in allowed}
    candidates.update({nl: en for nl, en in DUTCH_KEYS.items() if en in allowed})
    close = did_you_mean(key, candidates)
    if close:
        return message + Msg("load.did_you_mean", options=either(close))
    if allowed:
        return message + Msg("load.allowed_keys", keys=", ".join(allowed))
    return Concat(message)


def _value_hint(loc: tuple[Any, ...], expected: str, value: Any) -> Msg | str:
    """'; did you mean new?' for a value that is close to an allowed one (or to its Dutch word)."""
    import re

    from nami_cli.base.vocab import ANSWER_WORDS, CONDITION_WORDS, REASON_WORDS, TRIGGER_WORDS

    if not isinstance(value, str):
        return ""
    allowed = re.findall(r"'([^']*)'", expected)
    candidates = {a: a for a in allowed}
    field = next((str(p) for p in reversed(loc) if isinstance(p, str) and "[" not in p), "")
    dutch = {
        "reason": REASON_WORDS,
        "condition": CONDITION_WORDS,
        "trigger": TRIGGER_WORDS,
        "answer": ANSWER_WORDS,
    }.get(field, {})
    candidates.update({word: meant for word, meant in dutch.items() if meant in allowed})
    close = [c for c in did_you_mean(value, candidates) if c != value]
    return Msg("load.did_you_mean", options=either(close)) if close else ""


def _bound(value: Any) -> str:
    """A bound as people write it: 0, not 0.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show(value: Any) -> Msg | str:
    if isinstance(value, dict):
        return Msg("load.show.mapping")
    if isinstance(value, list):
        return Msg("load.show.list")
    if value is None:
        return Msg("load.show.empty")
    raw = getattr(value, "yaml_raw", None)
    if raw is not None:
        return repr(raw)
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def problems_from(
    exc: ValidationError, doc: Document | None, *, model: Any, base: PathKey = (), file: str | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located in ``doc`` (below ``base``) where possible."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        path: PathKey = (*base, *loc)
        msg = _message(err, model)
        if doc is not None:
            problems.append(doc.problem(path, msg, key=err["type"] == "extra_forbidden"))
        else:
            from nami_cli.load.yamlsafe import format_path

            problems.append(Problem(msg, file=file, path=format_path(path) or None))
    return problems


def _title_parts(title: str) -> list[str]:
    """A title and its parts: "Drukwerk en printen" -> the whole, "drukwerk", "printen"."""
    import re

    parts = [title, *re.split(r"\s+(?:en|and|&)\s+|,\s*", title)]
    return [p.strip() for p in parts if p.strip()]


def category_names(pack: Pack) -> dict[str, list[str]]:
    """Every name a category may be written by: its id, its titles in both languages and their parts."""
    names: dict[str, list[str]] = {}
    for cat in pack.categories.values():
        for written in (cat.id, *_title_parts(cat.title("nl")), *_title_parts(cat.title("en"))):
            names.setdefault(written.casefold(), []).append(cat.id)
    return {k: list(dict.fromkeys(v)) for k, v in names.items()}


def obstacle_names(pack: Pack) -> dict[str, list[str]]:
    """Every name an obstacle may be written by: its id and its titles in both languages."""
    names: dict[str, list[str]] = {}
    for ob in pack.obstacles.values():
        for written in (ob.id, ob.title("nl"), ob.title("en")):
            names.setdefault(written.strip().casefold(), []).append(ob.id)
    return names


def resolve_name(
    value: str, names: dict[str, list[str]], kind: str, listing: str
) -> tuple[str | None, Msg | None]:
    """The id ``value`` names (exact id, or a title or title part that names one item), or a message.
    ``kind``: ``category`` or ``obstacle``."""
    found = names.get(value.strip().casefold(), [])
    if len(found) == 1:
        return found[0], None
    what = Msg(f"load.kind.{kind}")
    if len(found) > 1:
        return None, Msg("load.name_ambiguous", value=repr(value), kind=what, ids=either(found))
    close = did_you_mean(value, {written: ids[0] for written, ids in names.items() if len(ids) == 1})
    if close:
        return None, Msg(
            "load.name_close", kind=what, value=repr(value), options=either(close), listing=listing
        )
    ids = list(dict.fromkeys(i for found in names.values() for i in found))
    known = (
        Msg("load.name_known_ids", ids=", ".join(ids))
        if len(ids) <= 20
        else Msg("load.name_known_listing", listing=listing)
    )
    return None, Msg("load.name_unknown", kind=what, value=repr(value), known=known)


def resolve_references(
    data: dict[str, Any], pack: Pack, doc: Document | None, file: str | None
) -> list[Problem]:
    """Read the category and obstacles of a request as pack ids, in place.

    ``category: Kantoorartikelen`` and ``category: drukwerk`` name one category each and are read as its
    id; a name that fits several categories, or none, is a problem with the closest ids. Obstacles are
    read the same way from their id or title.
    """
    problems: list[Problem] = []

    def problem(path: PathKey, message: Msg) -> None:
        if doc is not None:
            problems.append(doc.problem(path, message))
        else:
            from nami_cli.load.yamlsafe import format_path

            problems.append(Problem(message, file=file, path=format_path(path)))

    category = data.get("category")
    if isinstance(category, str) and category.strip() and category not in pack.categories:
        found, message = resolve_name(category, category_names(pack), "category", "nami rules list")
        if found is not None:
            data["category"] = found
        elif message is not None:
            problem(("category",), message)
    obstacles = data.get("obstacles")
    if isinstance(obstacles, list):
        names = obstacle_names(pack)
        for i, obstacle in enumerate(obstacles):
            if isinstance(obstacle, str) and obstacle not in pack.obstacles:
                found, message = resolve_name(obstacle, names, "obstacle", "nami rules list --obstacles")
                if found is not None:
                    obstacles[i] = found
                elif message is not None:
                    problem(("obstacles", i), message)
    return problems
