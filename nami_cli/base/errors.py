"""Errors that end a run with exit code 3 (invalid input, rules or configuration).

Every problem carries where it is (``file:line:col`` or a row number) and what to do about it; the CLI
prints them one per line, without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None  # dotted field path, e.g. "replaces.age_years"

    def __str__(self) -> str:
        """``file:line:col: path: message``, with control characters in any part shown as ``\x1b``."""
        from nami_cli.base.safetext import visible, visible_line

        where = ""
        if self.file is not None:
            where = visible_line(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, visible_line(self.path or "")) if p]
        prefix = ": ".join(parts)
        message = visible(self.message)
        return f"{prefix}: {message}" if prefix else message


class NamiError(Exception):
    """Invalid input, rules or configuration: exit code 3."""

    exit_code = 3

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
