"""The sources a report cites: one numbered list per document, a reference ``[n]`` on each finding.

:func:`finding_sources` is the one place that knows where a finding's sources come from: the structured
``sources`` of the result (``[{title, year, url}]``) when the result carries them, else the rule's
``source`` text from the pack (``RenderOptions.rule_sources``), split into its sources by
:func:`parse_source_text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9][0-9])(?![0-9])")
_URL = re.compile(r"https?://[^\s;,()<>\"]+[^\s;,().<>\"]")
_SAFE_URL = re.compile(r"https?://[^\s<>\"]+\Z")


@dataclass(frozen=True)
class SourceRef:
    """One source as a report cites it."""

    title: str
    year: int | None = None
    url: str | None = None


def _top_level_parts(text: str) -> list[str]:
    """``text`` split at the semicolons that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


def parse_source_text(text: str) -> list[SourceRef]:
    """The sources of a rule's ``source`` text: one per part separated by ``;`` (outside parentheses),
    with the first year (1950-2099) and the first URL found in that part."""
    out = []
    for part in _top_level_parts(text):
        year = _YEAR.search(part)
        url = _URL.search(part)
        out.append(
            SourceRef(
                title=part, year=int(year.group(1)) if year else None, url=url.group(0) if url else None
            )
        )
    return out


def finding_sources(finding: Any, rule_sources: Mapping[str, Any]) -> list[SourceRef]:
    """The sources of one finding (the adapter between the result and the reports)."""
    structured = getattr(finding, "sources", None)
    if structured:
        return [
            SourceRef(
                title=str(_get(s, "title")),
                year=_get(s, "year"),
                url=_safe_url(_get(s, "url")),
            )
            for s in structured
        ]
    text = rule_sources.get(finding.rule)
    return parse_source_text(text) if isinstance(text, str) else []


def _safe_url(url: Any) -> str | None:
    """A web address a report may link to (http or https, no spaces or angle brackets), else None."""
    return url if isinstance(url, str) and _SAFE_URL.match(url) else None


def _get(source: Any, key: str) -> Any:
    return source.get(key) if isinstance(source, Mapping) else getattr(source, key, None)


class Bibliography:
    """The numbered list of a document's sources; the same source gets the same number."""

    def __init__(self) -> None:
        self.sources: list[SourceRef] = []
        self._numbers: dict[SourceRef, int] = {}

    def cite(self, source: SourceRef) -> int:
        number = self._numbers.get(source)
        if number is None:
            self.sources.append(source)
            number = self._numbers[source] = len(self.sources)
        return number
