"""Errors that end a run with exit code 3 (invalid input, rules or configuration).

Every problem carries where it is (``file:line:col`` or a row number) and what to do about it; the CLI
prints them one per line, without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong.

    ``message`` is a text or a message from the catalogue (:class:`nami_cli.i18n.Msg`), put into words
    by :meth:`text` in the language of the run; ``str()`` gives it in English."""

    message: Any  # str | nami_cli.i18n.Msg | Concat
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None  # dotted field path, e.g. "replaces.age_years"

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """``file:line:col: path: message``, with control characters in any part shown as ``\x1b``."""
        from nami_cli.base.safetext import visible, visible_line
        from nami_cli.i18n import in_lang

        where = ""
        if self.file is not None:
            where = visible_line(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, visible_line(self.path or "")) if p]
        prefix = ": ".join(parts)
        message = visible(in_lang(self.message, lang))
        return f"{prefix}: {message}" if prefix else message


class NamiError(Exception):
    """Invalid input, rules or configuration: exit code 3."""

    exit_code = 3

    def __init__(self, problems: list[Problem] | Problem | Any) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        elif not isinstance(problems, list):  # a text or a message
            problems = [Problem(problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
