"""Turn pydantic validation errors into human messages at ``file:line:col``."""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING, Any

from nami_cli.errors import Problem
from nami_cli.yamlsafe import Document, PathKey

if TYPE_CHECKING:
    from pydantic import ValidationError


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
    """Refuse text that looks like a Dutch decimal with a hint, instead of a bare parse error."""
    if isinstance(value, str):
        stripped = value.strip()
        if "," in stripped and stripped.replace(",", "").replace(".", "").isdigit():
            raise ValueError(
                f"{value!r} is not a number here; write decimals with a point and no thousands "
                f"separator, e.g. {stripped.replace('.', '').replace(',', '.')}"
            )
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
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


def _message(err: Any, model: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, tuple(err["loc"][:-1]))
        tail = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{tail}"
    if kind == "greater_than":
        return f"must be greater than {_bound(ctx.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be {_bound(ctx.get('ge'))} or more"
    if kind == "less_than_equal":
        return f"must be {_bound(ctx.get('le'))} or less"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, not {_show(value)}"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, not {_show(value)}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return f"must be one of {expected}, not {_show(value)}"
    if kind == "string_type":
        return f"must be text, not {_show(value)}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of keys and values, not {_show(value)}"
    if kind == "list_type":
        return f"must be a list, not {_show(value)}"
    if kind.startswith("date"):
        return f"must be a date written as YYYY-MM-DD, not {_show(value)}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "assertion_error":
        return str(err["msg"]).removeprefix("Assertion failed, ")
    return str(err["msg"]).lower()


def _bound(value: Any) -> str:
    """A bound as people write it: 0, not 0.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
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
            from nami_cli.yamlsafe import format_path

            problems.append(Problem(msg, file=file, path=format_path(path) or None))
    return problems
