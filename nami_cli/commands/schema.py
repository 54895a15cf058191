"""``nami schema request|rules|result``: JSON Schemas generated from the models."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from nami_cli.commands.common import OutputOpt, emit, guard


class SchemaName(str, Enum):
    request = "request"
    rules = "rules"
    result = "result"


def schema_for(name: str) -> dict[str, object]:
    """The JSON Schema of a file format, generated from its pydantic model."""
    if name == "request":
        from nami_cli.request import Request as model
    elif name == "rules":
        from nami_cli.pack import PackFile as model  # type: ignore[assignment]
    else:
        from nami_cli.result import Report as model  # type: ignore[assignment]
    schema = model.model_json_schema(mode="serialization" if name == "result" else "validation")
    titles = {"request": "nami request file", "rules": "nami rule pack file", "result": "nami JSON result"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": titles[name]}


@guard
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which format: request, rules or result.")],
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema of a file format."""
    import json

    emit(
        json.dumps(schema_for(name.value), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        output,
        quiet=True,
    )
