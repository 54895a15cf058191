"""``nami schema request`` agrees with the loader: what one accepts the other accepts, and the reverse."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from nami_cli.base.errors import NamiError
from nami_cli.load.request import validate_request
from nami_cli.load.yamlsafe import parse
from nami_cli.rulepack.pack import load_pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from nami_cli.commands.schema import schema_for

    document = json.loads(json.dumps(schema_for("request")))
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def as_json(value: Any) -> Any:
    """The data an editor sees in the YAML: numbers and dates as written (YAML 1.2), mappings, lists."""
    raw = getattr(value, "yaml_raw", None)
    if isinstance(value, dt.date):
        return raw if raw is not None else value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def loader_accepts(text: str) -> bool:
    doc = parse(text, file="r.yaml")
    try:
        validate_request(doc.data, doc, file="r.yaml", pack=load_pack())
    except NamiError:
        return False
    return True


def schema_accepts(schema: dict[str, Any], text: str) -> bool:
    data = as_json(parse(text, file="r.yaml").data)
    return jsonschema.Draft202012Validator(schema).is_valid(data)


def readme_requests() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    return [b for b in blocks if re.search(r"^title:", b, flags=re.M)]


def test_the_readme_documents_a_request() -> None:
    assert readme_requests()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates(schema: dict[str, Any], path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert loader_accepts(text)
    assert schema_accepts(schema, text)


def test_every_readme_request_validates(schema: dict[str, Any]) -> None:
    for block in readme_requests():
        assert loader_accepts(block), block
        assert schema_accepts(schema, block), block


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_init_template_validates(schema: dict[str, Any], run: Callable[..., Any], lang: str) -> None:
    text = run("init", "--lang", lang, "-").stdout
    assert loader_accepts(text)
    assert schema_accepts(schema, text)


def test_every_rule_example_validates(schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    for rule in load_pack().rules:
        for example in [*rule.rule.examples.match, *rule.rule.examples.no_match]:
            errors = list(validator.iter_errors(as_json(example)))
            assert not errors, (rule.id, example, errors[0].message)


ACCEPTED = [
    # the documented forms of answers: shorthand, Dutch, booleans, any case
    'answers: {refuse: "yes"}',
    "answers: {refuse: yes, rethink: nee, reduce: weet niet}",
    "answers: {refuse: Ja, rethink: NEE, reduce: unsure}",
    "answers: {refuse: true, reduce: false}",
    "answers: {refuse: {answer: ja, justification: wettelijk verplicht}}",
    "answers: {refuse: {answer: yes}, rethink: null}",
    "answers:\n  refuse:\n  reduce: no",
    # Dutch words and names
    "reason: nieuw",
    "reason: Vervanging",
    "reason: budget-remaining",
    "replaces: {age_years: 4, condition: kapot, trigger: ouderdom}",
    "category: Kantoorartikelen",
    "category: drukwerk",
    "category: office-supplies",
    "category: Office supplies",
    "obstacles: [habitual-ordering, Bestellen uit gewoonte]",
    "obstacles: []",
    # numbers and their bounds
    "quantity: 0.5",
    "unit_price: 0",
    "estimated_value: 2100",
    "usage: {stock: 0, annual_use: 12.5, users: 3}",
    "quantity:",
    # text as written
    "id: 0123",
    "unit: NO",
    'cpv: "39294100-0"',
    "cpv: 39294100",
    "needed_by: 2027-03-01",
    "needed_by: 2027-3-1",
    "nami: 1",
    "description: 2026",
    # the decision, in English or Dutch
    "decision: {chosen: minder, quantity: 40}",
    "decision: {chosen: Minder inkopen, decided_by: {name: Jan, role: inkoper}, date: 2027-1-15}",
    "decision: {chosen: zoals gevraagd, reasoning: wettelijk verplicht}",
    "decision: {chosen: buy-as-requested}",
    "decision: {chosen: rethink, form: refurbished}",
]

REJECTED = [
    "quantity: 0",
    "quantity: -5",
    "unit_price: -1",
    "estimated_value: -0.01",
    "usage: {users: -1}",
    "usage: {users: 2.5}",
    "usage: {stock: -1}",
    "replaces: {age_years: -1}",
    "quantity: true",
    "requestor: Jan",
    "colour: red",
    "refuse: ja",
    "answers: {refuse: maybe}",
    "answers: {refuse: {answer: jawel}}",
    "answers: {refuse: {justification: nodig}}",
    "answers: {refuse: {answer: ja, reason: x}}",
    "answers: {niet: ja}",
    "reason: nieuwe",
    "reason: because",
    "replaces: {condition: kaput}",
    "category: kantoor-xyz",
    "obstacles: [no-such-obstacle]",
    "obstacles: habitual-ordering",
    'cpv: "123"',
    "cpv: 45233130.5",
    "needed_by: morgen",
    "nami: 2",
    "answers: [refuse]",
    "usage: 5",
    "decision: {chosen: misschien}",
    "decision: {chosen: reduce, quantity: 0}",
    "decision: {quantity: 40}",
    "decision: {chosen: reduce, decided_by: {role: inkoper}}",
    "decision: {chosen: reduce, date: morgen}",
]


@pytest.mark.parametrize("line", ACCEPTED)
def test_accepted_by_both(schema: dict[str, Any], line: str) -> None:
    text = f"title: Pennen\n{line}\n"
    assert loader_accepts(text), "loader refuses"
    assert schema_accepts(schema, text), "schema refuses"


@pytest.mark.parametrize("line", REJECTED)
def test_rejected_by_both(schema: dict[str, Any], line: str) -> None:
    text = f"title: Pennen\n{line}\n"
    assert not loader_accepts(text), "loader accepts"
    assert not schema_accepts(schema, text), "schema accepts"


@pytest.mark.parametrize("text", ["description: no title\n", 'title: ""\n', 'title: "   "\n'])
def test_title_is_required_and_not_blank_in_both(schema: dict[str, Any], text: str) -> None:
    assert not loader_accepts(text)
    assert not schema_accepts(schema, text)


def test_patterns_are_valid_ecma_regexes(schema: dict[str, Any]) -> None:
    """Editors run the patterns as JavaScript regexes with the u flag: only syntax characters escaped."""
    patterns: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert patterns
    for pattern in patterns:
        for escaped in re.findall(r"\\(.)", pattern):
            assert escaped in "^$\\.*+?()[]{}|/sSdDwWu", (pattern, escaped)
