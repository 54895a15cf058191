"""``nami schema request|rules|result|summary``: JSON Schemas generated from the models."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nami_cli.commands.common import OutputOpt, RulesOpt, emit, guard


class SchemaName(str, Enum):
    request = "request"
    rules = "rules"
    result = "result"
    summary = "summary"


def schema_for(name: str, rules: list[Path] | None = None) -> dict[str, object]:
    """The JSON Schema of a file format, generated from its pydantic model.

    The request schema knows the categories and obstacles of the pack in use (``rules``: extra packs).
    """
    titles = {
        "request": "nami request file",
        "rules": "nami rule pack file",
        "result": "nami JSON result",
        "summary": "nami screen summary (--summary)",
    }
    if name == "request":
        from nami_cli.load.request_schema import request_schema
        from nami_cli.rulepack.pack import load_pack

        request = request_schema(load_pack(rules or []))
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **request, "title": titles[name]}
    if name == "rules":
        from nami_cli.rulepack.pack import PackFile as model  # type: ignore[assignment]
    elif name == "summary":
        from nami_cli.assess.summary import ScreenSummary as model  # type: ignore[assignment]
    else:
        from nami_cli.assess.result import Report as model  # type: ignore[assignment]
    schema = model.model_json_schema(mode="validation" if name == "rules" else "serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": titles[name]}


@guard
def schema(
    name: Annotated[
        SchemaName, typer.Argument(help="Which format: request, rules, result or summary (of nami screen).")
    ],
    rules: RulesOpt = None,
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema of a file format (request: with the categories and obstacles of the pack)."""
    import json

    document = schema_for(name.value, rules)
    emit(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n", output, quiet=True)
