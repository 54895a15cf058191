"""Renderers: one function per output format, each turning a :class:`~nami_cli.assess.result.Report`
into text.

A new format is one module and one line in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nami_cli.assess.result import Report


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "nl"
    color: bool = False
    width: int | None = None
    #: the pack's obstacles matrix (``nami matrix --format json``), for reports that draw the full grid
    matrix: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)


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
