"""The documented Python API (re-exported lazily by :mod:`nami_cli`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nami_cli.assess.engine import assess
from nami_cli.assess.result import RequestResult
from nami_cli.load.request import Request, load_request, validate_request
from nami_cli.rulepack.pack import Pack
from nami_cli.rulepack.pack import load_pack as _load_pack


def load_pack(*extra: str | Path, shipped: bool = True) -> Pack:
    """The shipped rule pack with ``extra`` pack folders on top. Raises NamiError on a bad pack."""
    return _load_pack(list(extra), shipped=shipped)


def check_file(path: str | Path, pack: Pack | None = None, *, lang: str = "nl") -> RequestResult:
    """Assess one request file. Raises NamiError (with file:line:col) on invalid input."""
    pack = pack or load_pack()
    request, doc = load_request(str(path), pack=pack)
    return assess(request, pack, lang=lang, file=str(path), doc=doc)


def check_request(
    data: dict[str, Any] | Request, pack: Pack | None = None, *, lang: str = "nl", name: str | None = None
) -> RequestResult:
    """Assess a request given as a dict (the keys of a request file) or a :class:`Request`."""
    pack = pack or load_pack()
    request = data if isinstance(data, Request) else validate_request(data, file=name, pack=pack)
    return assess(request, pack, lang=lang, file=name)


__all__: Sequence[str] = ["check_file", "check_request", "load_pack"]
