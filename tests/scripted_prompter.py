"""A :class:`Prompter` that answers from a script, for the tests of the interview flow.

Typed input is checked by the same functions the questionary prompter uses; a refused input is recorded
and the next scripted attempt taken, as a person would type again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nami_cli.interactive.interview.prompter import Check, Choice, Prompter

ENTER = object()
"""A scripted answer: press Enter, accepting the default."""

INTERRUPT = object()
"""A scripted answer: press Ctrl-C."""


class Each:
    """Scripted answers for a prompt asked more than once, or attempts after a refused input."""

    def __init__(self, *values: Any) -> None:
        self.values = list(values)


class UnexpectedQuestion(AssertionError):
    """The flow asked a question the script has no answer for."""


class ScriptedPrompter(Prompter):
    """Answers from a mapping of prompt name -> answer, for tests of the flow.

    An answer is the text typed (for text, number and autocomplete prompts), a choice value (select), a
    bool (confirm), a list of values (checkbox), :data:`ENTER` for the default or :data:`INTERRUPT` for
    Ctrl-C. :class:`Each` gives answers for successive asks of the same name: typed text that the
    prompt's check refuses is recorded in :attr:`refused` and the next attempt is taken, as a person
    would type again. With ``strict`` (the default) a question without a scripted answer fails the test;
    otherwise its default is taken.
    """

    def __init__(self, answers: Mapping[str, Any], lang: str = "en", *, strict: bool = True) -> None:
        self.lang = lang
        self.strict = strict
        self._answers: dict[str, list[Any]] = {
            k: list(v.values) if isinstance(v, Each) else [v] for k, v in answers.items()
        }
        self.asked: list[str] = []
        self.messages: dict[str, str] = {}
        self.defaults: dict[str, Any] = {}
        self.choices: dict[str, list[Choice]] = {}
        self.refused: list[tuple[str, str, str]] = []  # (name, typed, message)
        self.notes: list[tuple[str, str]] = []  # (kind, text)

    def unused(self) -> dict[str, list[Any]]:
        """Scripted answers the flow never asked for."""
        return {k: v for k, v in self._answers.items() if v}

    def _next(self, name: str, message: str, default: Any) -> Any:
        self.asked.append(name)
        self.messages[name] = message
        self.defaults[name] = default
        queue = self._answers.get(name)
        if not queue:
            if not self.strict:
                return ENTER
            if queue is None:
                raise UnexpectedQuestion(f"no scripted answer for {name!r}: {message}")
            raise UnexpectedQuestion(f"{name!r} asked more often than scripted: {message}")
        value = queue.pop(0)
        if value is INTERRUPT:
            raise KeyboardInterrupt
        return value

    def note(self, text: str, *, kind: str = "info") -> None:
        self.notes.append((kind, text))

    def line(
        self,
        name: str,
        message: str,
        *,
        default: str = "",
        check: Check | None = None,
        completions: Sequence[str] | None = None,
    ) -> str:
        first = True
        while True:
            value = self._next(name, message, default) if first else self._retry(name, message)
            first = False
            text = default if value is ENTER else str(value)
            problem = check(text) if check is not None else None
            if problem is None:
                return text
            self.refused.append((name, text, problem))

    def _retry(self, name: str, message: str) -> Any:
        queue = self._answers.get(name)
        if not queue:
            raise UnexpectedQuestion(f"{name!r} refused the input and no further attempt is scripted")
        value = queue.pop(0)
        if value is INTERRUPT:
            raise KeyboardInterrupt
        return value

    def select(
        self, name: str, message: str, choices: Sequence[Choice], *, default: str | None = None
    ) -> str:
        self.choices[name] = list(choices)
        value = self._next(name, message, default)
        values = [c.value for c in choices]
        if value is ENTER:
            return default if default in values else values[0]  # type: ignore[return-value]
        if value not in values:
            raise UnexpectedQuestion(f"{value!r} is not an option of {name!r}: {values}")
        return str(value)

    def confirm(self, name: str, message: str, *, default: bool = True) -> bool:
        value = self._next(name, message, default)
        return default if value is ENTER else bool(value)

    def checkbox(
        self, name: str, message: str, choices: Sequence[Choice], *, default: Sequence[str] = ()
    ) -> list[str]:
        self.choices[name] = list(choices)
        value = self._next(name, message, list(default))
        values = [c.value for c in choices]
        if value is ENTER:
            return [v for v in values if v in default]
        unknown = [v for v in value if v not in values]
        if unknown:
            raise UnexpectedQuestion(f"{unknown} are not options of {name!r}")
        return [v for v in values if v in value]
