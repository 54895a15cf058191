"""Renderers: one function per output format, each turning a :class:`~nami_cli.assess.result.Report`
into text.

A new format is one module and one line in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nami_cli.assess.result import Report
    from nami_cli.render.matrix import ObstacleMatrix


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "nl"
    color: bool = False
    width: int | None = None
    #: the pack's obstacles matrix, for reports that draw the full grid
    matrix: ObstacleMatrix | None = field(default=None, compare=False, hash=False)


Renderer = Callable[["Report", RenderOptions], str]

#: format name -> "module:function"
FORMATS: dict[str, str] = {
    "text": "nami_cli.render.text:render",
    "json": "nami_cli.render.json:render",
    "markdown": "nami_cli.render.markdown:render",
    "html": "nami_cli.render.html:render",
}


def renderer(name: str) -> Renderer:
    module, func = FORMATS[name].split(":")
    fn: Renderer = getattr(importlib.import_module(module), func)
    return fn
