"""nami — Niet, Anders, Minder Inkopen: a decision aid for public buyers.

The Python API, for scripts and notebooks (imported lazily, so ``import nami_cli`` stays cheap)::

    from nami_cli import load_pack, check_file, check_request

    pack = load_pack()                         # the shipped rule pack (plus extra folders, if given)
    result = check_file("request.yaml", pack)  # a RequestResult (pydantic model, spec section 6)
    result = check_request({"title": "500 pennen met logo"}, pack, lang="en")
    print(result.advice, [s.verdict for s in result.strategies])
    result.model_dump(mode="json")             # the JSON shape of one entry of "results"

    for item in screen_file("spend.csv", pack):  # a purchase list, streamed: one result per row
        print(item.row, item.outcome.advice if item.outcome else item.error)
    for item in screen_rows(df.to_dict("records"), pack):  # rows as dicts (column: value)
        ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from nami_cli.api import check_file, check_request, load_pack
    from nami_cli.assess.screening import screen_file, screen_rows

__all__ = ["__version__", "check_file", "check_request", "load_pack", "screen_file", "screen_rows"]

_API = {
    "check_file": "api",
    "check_request": "api",
    "load_pack": "api",
    "screen_file": "assess.screening",
    "screen_rows": "assess.screening",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f"nami_cli.{_API[name]}"), name)
    raise AttributeError(f"module 'nami_cli' has no attribute {name!r}")
