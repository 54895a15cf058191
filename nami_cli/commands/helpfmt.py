"""Readable ``--help``: metavars people write (FILE, DIR, LIST, ID), no ``<bool>``, ``<str>`` or ``{files}``.

typer derives the placeholder of a parameter from its Python type (``<list[str]>``, ``<path>``) and
wraps required arguments in braces in the usage line. Commands made with :class:`NamiCommand` (and
groups made with :class:`NamiGroup`) show instead:

* an argument by its metavar, ``FILE...`` when it repeats and ``[FILE]`` when it is optional;
* an option by its metavar, or its choices (``<nl|en>``), and a flag by nothing at all.

A parameter without a metavar is shown by its name in capitals; ``tests/test_help.py`` runs every
``--help`` and checks that no type placeholder is left.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def _choices(param: Any) -> list[str] | None:
    descriptor = getattr(param, "type_descriptor", None)  # typer >= 0.25 keeps the type here
    if descriptor is not None:
        choices = descriptor.choices if descriptor.is_choice else None
    else:
        choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in choices] if choices else None


class _Argument(TyperArgument):
    def _bare(self) -> str:
        name = self.metavar or (self.name or "arg").upper()
        name = name.strip("[]").removesuffix("...")
        return name + "..." if self.nargs != 1 else name

    def _name(self) -> str:
        return self._bare() if self.required else f"[{self._bare()}]"

    @property
    def display_name_raw(self) -> str:
        return self._bare()

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        return [self._name()]

    def _usage_display_name(self) -> str:
        return self._name()

    def _rich_display_name(self) -> str:
        return self._bare()

    def display_type_rich(self, ctx: Any) -> str | None:
        choices = _choices(self)
        return "<" + "|".join(choices) + ">" if choices else None


class _Option(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar:
            return self.metavar
        choices = _choices(self)
        if choices:
            return "<" + "|".join(choices) + ">"
        return (self.name or "value").upper()


def plain(params: list[Any]) -> list[Any]:
    """Give typer's parameters the readable help display above (in place) and return them."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option
    return params


class NamiCommand(TyperCommand):
    """A typer command whose ``--help`` shows readable metavars."""

    def get_params(self, ctx: Any) -> list[Any]:
        return plain(super().get_params(ctx))


class NamiGroup(TyperGroup):
    """A typer group whose ``--help`` shows readable metavars."""

    def get_params(self, ctx: Any) -> list[Any]:
        return plain(super().get_params(ctx))


#: The examples shown under each command's ``--help`` (its epilog), by command path.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "nami init && nami check aanvraag.yaml",
        "nami screen spend.csv -o screened.xlsx",
        "nami --install-completion   # tab completion for bash, zsh or fish",
    ),
    "init": (
        "nami init                         # aanvraag.yaml, in Dutch",
        "nami init --lang en request.yaml  # in English",
        "nami init - > draft.yaml          # to stdout",
    ),
    "check": (
        "nami check aanvraag.yaml",
        "nami check requests/*.yaml --format json -o result.json",
        "nami check aanvraag.yaml --format html -o onderbouwing.html",
        "cat aanvraag.yaml | nami check - --fail-on open",
    ),
    "screen": (
        "nami screen spend.csv",
        "nami screen export.xlsx -o screened.xlsx --report summary.html",
        "nami screen list.csv --map description=Omschrijving --map amount=Bedrag",
    ),
    "interview": (
        "nami interview -o aanvraag.yaml",
        "nami interview aanvraag.yaml   # ask only what is missing",
    ),
    "demo": (
        "nami demo --list",
        "nami demo promotional-items",
        "nami demo --auto --lang en",
    ),
    "schema": (
        "nami schema request -o request.schema.json",
        "nami schema result",
    ),
    "matrix": (
        "nami matrix",
        "nami matrix --ids",
        "nami matrix --format markdown -o matrix.md",
    ),
    "rules": (
        "nami rules list --all",
        "nami rules show refuse-promotional-items",
        "nami rules validate my-rules/ && nami rules test my-rules/",
    ),
    "rules list": (
        "nami rules list",
        "nami rules list --obstacles --interventions",
        "nami rules list --format json",
    ),
    "rules show": (
        "nami rules show habitual-ordering",
        "nami rules show office-supplies --lang en",
    ),
    "rules validate": ("nami rules validate", "nami rules validate my-rules/"),
    "rules test": ("nami rules test", "nami rules test my-rules/"),
    "rules eval": (
        "nami rules eval tests/corpus",
        "nami rules eval --spend ../shared/data/spend-dev --labels tests/corpus/spend-dev-labels.yaml",
    ),
}


def examples(command: str) -> str:
    """The epilog of a command: its examples, one a line."""
    return "Examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[command])
