"""``--format json``: the JSON document of spec section 6."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nami_cli.assess.result import Report
    from nami_cli.render import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
