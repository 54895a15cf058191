"""Renderers: one function per output format, each turning a :class:`~nami_cli.result.Report` into text.

A new format is one module and one line in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nami_cli.result import Report


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "nl"
    color: bool = False
    width: int | None = None


Renderer = Callable[["Report", RenderOptions], str]

#: format name -> "module:function"
FORMATS: dict[str, str] = {
    "text": "nami_cli.render.text:render",
    "json": "nami_cli.render.json:render",
}


def renderer(name: str) -> Renderer:
    module, func = FORMATS[name].split(":")
    fn: Renderer = getattr(importlib.import_module(module), func)
    return fn
