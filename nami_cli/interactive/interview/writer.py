"""Write a request dict as a request file: the spec's key order, values that read back unchanged.

The file is read back by nami's own loader (YAML 1.2 core rules); PyYAML writes with YAML 1.1 rules. A
string is therefore quoted whenever either reading would take it for something else than text (``yes``,
``NO``, ``0777``, ``1e3``, ``2026-03-01``, ``~``); whole numbers are written without ``.0``; dates as
``YYYY-MM-DD``. :func:`dump_request` checks the round trip before it returns.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from nami_cli.load.request import Answer, Answers, DecidedBy, Decision, Replaces, Request, Usage

#: the order of spec section 4: the order of the fields of the request model (one place owns it)
KEY_ORDER: tuple[str, ...] = tuple(Request.model_fields)
SUB_ORDER: dict[str, tuple[str, ...]] = {
    "replaces": tuple(Replaces.model_fields),
    "usage": tuple(Usage.model_fields),
    "answers": tuple(Answers.model_fields),
    "decision": tuple(Decision.model_fields),
    "decided_by": tuple(DecidedBy.model_fields),
}
ANSWER_ORDER: tuple[str, ...] = tuple(Answer.model_fields)

HEADER = "# nami request file (schema version 1). Check it with: nami check {name}\n"


def _plain(value: Any) -> Any:
    """Numbers as a person writes them: 500 rather than 500.0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return str(value)
    return value


def plain_data(value: Any) -> Any:
    """``value`` with plain Python types throughout (the loader's YamlInt, YamlDate, ... made plain)."""
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    return _plain(value)


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    out = {key: mapping[key] for key in order if key in mapping and mapping[key] is not None}
    out.update({k: v for k, v in mapping.items() if k not in out and v is not None})  # unknown keys last
    return out


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` in the spec's key order, without empty values, numbers and dates made plain."""
    out: dict[str, Any] = {}
    for key, value in _ordered(data, KEY_ORDER).items():
        if key in ("replaces", "usage") and isinstance(value, dict):
            sub = {k: _plain(v) for k, v in _ordered(value, SUB_ORDER[key]).items()}
            if sub:
                out[key] = sub
        elif key == "answers" and isinstance(value, dict):
            answers: dict[str, Any] = {}
            for strategy, answer in _ordered(value, SUB_ORDER["answers"]).items():
                if isinstance(answer, dict):
                    fields = {k: _plain(v) for k, v in _ordered(answer, ANSWER_ORDER).items()}
                    if fields.get("justification") == "":
                        del fields["justification"]
                    answers[strategy] = fields
                else:
                    answers[strategy] = _plain(answer)
            if answers:
                out[key] = answers
        elif key == "decision" and isinstance(value, dict):
            decision: dict[str, Any] = {}
            for field, item in _ordered(value, SUB_ORDER["decision"]).items():
                if field == "decided_by" and isinstance(item, dict):
                    person = {k: _plain(v) for k, v in _ordered(item, SUB_ORDER["decided_by"]).items()}
                    if person:
                        decision[field] = person
                elif item != "":
                    decision[field] = _plain(item)
            if decision:
                out[key] = decision
        elif key == "obstacles":
            out[key] = [str(v) for v in value]  # an empty list records "no obstacles expected"
        else:
            out[key] = _plain(value)
    return out


def _needs_quotes(text: str) -> bool:
    from nami_cli.load.yamlsafe import plain_scalar

    return type(plain_scalar(text)) is not str or text != text.strip()


def dump_request(data: dict[str, Any], *, name: str | None = None) -> str:
    """The YAML text of a request, with a header comment naming the check command when ``name`` is given."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = '"' if _needs_quotes(value) else None
        if "\n" in value:
            style = "|" if not value.endswith((" ", "\t")) and "\r" not in value else '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
        from nami_cli.base.number_parser import plain

        if value != value or value in (float("inf"), float("-inf")):
            return dumper.represent_float(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float", plain(value))

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(float, represent_float)
    body = yaml.dump(
        canonical(data),
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    text = (HEADER.format(name=name) if name else "") + body
    _check_round_trip(text, data)
    return text


def _check_round_trip(text: str, data: dict[str, Any]) -> None:
    """The written text must read back as the same values (a bug here would change a buyer's answers)."""
    from nami_cli.load.yamlsafe import parse

    back = parse(text, file="<written request>").data
    expected = canonical(data)
    if _normal(back) != _normal(expected):
        raise AssertionError(f"request file does not read back unchanged:\n{back!r}\n!=\n{expected!r}")


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value
