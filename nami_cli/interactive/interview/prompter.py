"""The small interface the interview asks through, and its questionary implementation.

The flow (:mod:`.flow`) only talks to a :class:`Prompter`. Every prompt has a stable
``name`` (``title``, ``usage.stock``, ``refuse.answer``, ...), so a test can answer by name.

Typed input (text, numbers, a choice from a search-as-you-type list) is checked by functions that any
prompter uses: :class:`QuestionaryPrompter` hands them to questionary's ``validate=`` (the input is
refused in place, with the message under the prompt); the tests' scripted prompter
(``tests/scripted_prompter.py``) records the refusal and takes the next scripted attempt. Ctrl-C is
never swallowed: questionary's ``unsafe_ask()`` lets ``KeyboardInterrupt`` reach the command, which
exits with 130.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nami_cli.i18n import words

Check = Callable[[str], "str | None"]  # returns an error message, or None when the input is fine


@dataclass(frozen=True)
class Choice:
    """One option of a list: the value the flow gets back and the title the buyer reads."""

    value: str
    title: str
    group: str | None = None  # a heading the option is shown under (checkbox lists)


MESSAGES: dict[str, dict[str, str]] = words("interview.prompter")


class NumberError(ValueError):
    """Input that is not a number; ``key`` picks the message, ``args`` fill it."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def parse_number(text: str) -> float | None:
    """A number as a person types it: ``12``, ``2,10``, ``2.10``, ``1.234,56``, ``1,234.56``, ``€ 5``.

    Empty input is ``None``. Read by nami's one number parser (:mod:`nami_cli.base.number_parser`, the
    same rules as request files and lists): a single separator followed by exactly three digits
    (``1.500``) means 1500 to a Dutch reader and 1.5 to an English one; it is refused as ambiguous
    rather than guessed.
    """
    from nami_cli.base import number_parser as numparse

    if not text.strip():
        return None
    try:
        return numparse.parse_number(text, None, exponent=False)
    except numparse.NumberError as exc:
        if exc.key == "ambiguous":
            raise NumberError("ambiguous", **exc.fields) from None
        if exc.key == "range":
            raise NumberError("range") from None
        raise NumberError("number") from None


def format_number(value: float | None, lang: str) -> str:
    """A number as the default text of a prompt: ``500``, ``2,1`` (nl) or ``2.1`` (en)."""
    from nami_cli.base.number_parser import plain

    if value is None:
        return ""
    text = plain(float(value))  # 2.1250 for 2.125: it must read back without being ambiguous
    return text.replace(".", ",") if lang == "nl" else text


@dataclass(frozen=True)
class NumberSpec:
    """The limits of a number prompt; the same limits as the Request model."""

    minimum: float = 0.0
    strict: bool = False  # True: greater than minimum (quantity > 0); False: minimum or more
    integer: bool = False

    def check(self, text: str, lang: str) -> str | None:
        words = MESSAGES[lang]
        try:
            value = parse_number(text)
        except NumberError as exc:
            fields = dict(exc.fields)
            if "decimal" in fields and lang == "nl":
                fields["decimal"] = fields["decimal"].replace(".", ",")
            return words[exc.key].format(**fields)
        if value is None:
            return None
        limit = format_number(self.minimum, lang)
        if self.strict and not value > self.minimum:
            return words["gt"].format(limit=limit)
        if not self.strict and value < self.minimum:
            return words["ge"].format(limit=limit)
        if self.integer and not value.is_integer():
            return words["whole"]
        return None

    def convert(self, text: str) -> float | int | None:
        value = parse_number(text)
        if value is None:
            return None
        return int(value) if self.integer else value


def resolve_choice(text: str, choices: Sequence[Choice]) -> Choice | str | None:
    """The choice typed text means: an exact value or title, else the one option containing the text.

    Returns the :class:`Choice`, ``None`` for empty text, or ``"none"``/``"many"`` when nothing or more
    than one option fits.
    """
    wanted = text.strip().lower()
    if not wanted:
        return None
    for choice in choices:
        if wanted in (choice.value.lower(), choice.title.lower(), choice_label(choice).lower()):
            return choice
    fits = [c for c in choices if wanted in choice_label(c).lower()]
    if len(fits) == 1:
        return fits[0]
    return "many" if fits else "none"


_YES = {"y", "yes", "j", "ja"}
_NO = {"n", "no", "nee"}


def yes_no(text: str, default: bool) -> bool | None:
    """A typed yes or no in Dutch or English (``j``, ``ja``, ``y``, ``yes``, ``n``, ``nee``, ``no``); empty is
    ``default``; anything else ``None``."""
    word = text.strip().lower()
    if not word:
        return default
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def choice_label(choice: Choice) -> str:
    """How an option is shown in a search-as-you-type list: its title and its id."""
    return choice.title if choice.title == choice.value else f"{choice.title} ({choice.value})"


class Prompter(ABC):
    """What the interview needs from a prompt library. ``lang`` is the language of its messages."""

    lang: str = "nl"

    # -- primitives, one per widget ------------------------------------------------------------------

    @abstractmethod
    def note(self, text: str, *, kind: str = "info") -> None:
        """Show text between questions; ``kind`` is ``heading``, ``info``, ``finding`` or ``warning``."""

    @abstractmethod
    def line(
        self,
        name: str,
        message: str,
        *,
        default: str = "",
        check: Check | None = None,
        completions: Sequence[str] | None = None,
    ) -> str:
        """One line of typed text, re-asked in place until ``check`` accepts it."""

    @abstractmethod
    def select(
        self, name: str, message: str, choices: Sequence[Choice], *, default: str | None = None
    ) -> str:
        """One option of a list; returns its value."""

    @abstractmethod
    def confirm(self, name: str, message: str, *, default: bool = True) -> bool:
        """Yes or no."""

    @abstractmethod
    def checkbox(
        self, name: str, message: str, choices: Sequence[Choice], *, default: Sequence[str] = ()
    ) -> list[str]:
        """Any number of options; returns their values in list order."""

    # -- built on the primitives ---------------------------------------------------------------------

    def text(
        self,
        name: str,
        message: str,
        *,
        default: str | None = None,
        required: bool = False,
        check: Check | None = None,
    ) -> str | None:
        """Free text, stripped; ``None`` when left empty (refused when ``required``)."""
        words = MESSAGES[self.lang]

        def full_check(value: str) -> str | None:
            if not value.strip():
                return words["required"] if required else None
            return check(value.strip()) if check is not None else None

        answer = self.line(name, message, default=default or "", check=full_check).strip()
        return answer or None

    def number(
        self,
        name: str,
        message: str,
        *,
        default: float | None = None,
        spec: NumberSpec = NumberSpec(),
    ) -> float | int | None:
        """A number within ``spec``'s limits (Dutch decimal comma accepted); ``None`` when left empty."""
        shown = format_number(default, self.lang)
        answer = self.line(name, message, default=shown, check=lambda text: spec.check(text, self.lang))
        if default is not None and answer.strip() == shown:
            return int(default) if spec.integer else default
        return spec.convert(answer)

    def autocomplete(
        self,
        name: str,
        message: str,
        choices: Sequence[Choice],
        *,
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        """A value from a search-as-you-type list; typed text may be an id, a title or a unique part."""
        words = MESSAGES[self.lang]

        def check(text: str) -> str | None:
            found = resolve_choice(text, choices)
            if found is None:
                return words["required"] if required else None
            if found == "none":
                return words["choice"]
            if found == "many":
                wanted = text.strip().lower()
                fits = [c.value for c in choices if wanted in choice_label(c).lower()]
                return words["choice_many"].format(text=text.strip(), options=", ".join(fits[:6]))
            return None

        by_value = {c.value: c for c in choices}
        shown = choice_label(by_value[default]) if default in by_value else ""
        answer = self.line(
            name,
            message,
            default=shown,
            check=check,
            completions=[choice_label(c) for c in choices],
        )
        found = resolve_choice(answer, choices)
        return found.value if isinstance(found, Choice) else None


class QuestionaryPrompter(Prompter):
    """The real widgets. ``input``/``output`` go to prompt_toolkit (tests pass a pipe input)."""

    def __init__(self, lang: str, console: Any = None, *, input: Any = None, output: Any = None) -> None:
        self.lang = lang
        self.console = console
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def note(self, text: str, *, kind: str = "info") -> None:
        from nami_cli.base.safetext import visible

        text = visible(text)  # titles and answers from a file: shown, never obeyed by the terminal
        style = {"heading": "bold", "finding": "yellow", "warning": "bold red", "info": "dim"}.get(kind, "")
        if self.console is not None:
            if kind == "heading":
                self.console.print()
            self.console.print(text, style=style, highlight=False, markup=False)
        else:
            print(("\n" if kind == "heading" else "") + text)

    def line(
        self,
        name: str,
        message: str,
        *,
        default: str = "",
        check: Check | None = None,
        completions: Sequence[str] | None = None,
    ) -> str:
        import questionary

        def validate(text: str) -> bool | str:
            problem = check(text) if check is not None else None
            return True if problem is None else problem

        if completions:
            question = questionary.autocomplete(
                message,
                choices=list(completions),
                default=default,
                validate=validate,
                match_middle=True,
                **self._io,
            )
        else:
            question = questionary.text(message, default=default, validate=validate, **self._io)
        answer = question.unsafe_ask()
        return str(answer) if answer is not None else ""

    def select(
        self, name: str, message: str, choices: Sequence[Choice], *, default: str | None = None
    ) -> str:
        import questionary

        items = [questionary.Choice(title=c.title, value=c.value) for c in choices]
        values = [c.value for c in choices]
        answer = questionary.select(
            message,
            choices=items,
            default=default if default in values else None,
            instruction=MESSAGES[self.lang]["select"],
            **self._io,
        ).unsafe_ask()
        return str(answer)

    def confirm(self, name: str, message: str, *, default: bool = True) -> bool:
        import questionary

        # a typed answer rather than questionary.confirm: that widget knows only y/n, a Dutch buyer types j;
        # it also ends with Enter like every other prompt, so a typed "y" never leaks into the next one
        words = MESSAGES[self.lang]

        def validate(text: str) -> bool | str:
            return True if yes_no(text, default) is not None else words["yes_no"]

        answer = questionary.text(
            message,
            validate=validate,
            instruction=words["confirm_yes" if default else "confirm_no"],
            **self._io,
        ).unsafe_ask()
        return bool(yes_no(str(answer or ""), default))

    def checkbox(
        self, name: str, message: str, choices: Sequence[Choice], *, default: Sequence[str] = ()
    ) -> list[str]:
        import questionary

        items: list[Any] = []
        group: str | None = None
        for c in choices:
            if c.group is not None and c.group != group:
                items.append(questionary.Separator(f"── {c.group}"))
                group = c.group
            items.append(questionary.Choice(title=c.title, value=c.value, checked=c.value in default))
        # questionary sums up the answer in English ("done (2 selections)"): its line is erased when done,
        # and the summary written here in the buyer's language
        answer = questionary.checkbox(
            message,
            choices=items,
            instruction=MESSAGES[self.lang]["checkbox"],
            erase_when_done=True,
            **self._io,
        ).unsafe_ask()
        picked = [str(v) for v in answer or []]
        words = MESSAGES[self.lang]
        titles = {c.value: c.title for c in choices}
        if not picked:
            summary = words["picked_none"]
        elif len(picked) == 1:
            summary = titles.get(picked[0], picked[0])
        else:
            summary = words["picked_many"].format(n=len(picked))
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText
        from questionary.constants import DEFAULT_STYLE

        print_formatted_text(
            FormattedText(
                [("class:qmark", "?"), ("class:question", f" {message} "), ("class:answer", summary)]
            ),
            style=DEFAULT_STYLE,
            output=self._io.get("output"),
        )
        return picked
