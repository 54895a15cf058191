"""``nami demo [SCENARIO]``: play a built-in workshop scenario step by step."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from nami_cli.commands.common import Color, ColorOpt, LangOpt, RulesOpt, guard, resolve_lang
from nami_cli.commands.common import console as make_console
from nami_cli.i18n import t


@guard
def demo(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="The scenario to play (see --list). Without one: choose from a menu.", show_default=False
        ),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", "-l", help="List the built-in scenarios and stop.")
    ] = False,
    auto: Annotated[
        bool, typer.Option("--auto", help="Run without pauses; without SCENARIO, play every scenario.")
    ] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Play a built-in workshop scenario step by step, in large panels for a projector.

    The case, the request, each question with its verdict and why, the obstacles on the matrix,
    the interventions and the advice: one step per Enter, or all at once with --auto.
    Verdicts come from the real engine and rule pack (--rules adds your own).
    Exit codes: 0 played, 2 unknown scenario (or none given without a terminal), 3 invalid rule pack.
    """
    from nami_cli.interactive.demo.scenarios import BY_ID, SCENARIOS

    language = resolve_lang(lang)
    if list_:
        width = max(len(s.id) for s in SCENARIOS)
        for item in SCENARIOS:
            print(f"{item.id:<{width}}  {item.title[language]}")
        return
    if scenario is not None and scenario not in BY_ID:
        names = ", ".join(BY_ID)
        print(t("demo_command.unknown", language, scenario=repr(scenario), names=names), file=sys.stderr)
        raise typer.Exit(2)

    from nami_cli.interactive.demo import play
    from nami_cli.rulepack.pack import load_pack

    console = make_console(color)
    pack = load_pack(rules or [])
    if scenario is not None:
        chosen = [BY_ID[scenario]]
    elif auto:
        chosen = list(SCENARIOS)
    elif sys.stdin.isatty():
        import questionary

        from nami_cli.interactive.interview.prompter import MESSAGES

        picked = questionary.select(
            t("demo_command.choose", language),
            choices=[
                questionary.Choice(title=f"{s.title[language]} ({s.id})", value=s.id) for s in SCENARIOS
            ],
            instruction=MESSAGES[language]["select"],  # questionary's own "(Use arrow keys)" is English
        ).unsafe_ask()
        chosen = [BY_ID[picked]]
    else:
        names = ", ".join(BY_ID)
        print(t("demo_command.name_one", language, names=names), file=sys.stderr)
        raise typer.Exit(2)
    for item in chosen:
        play(console, item, pack, language, auto=auto)
