"""``nami interview [FILE] [-o OUT]``: ask the questions in a terminal, write a request file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nami_cli.commands.common import (
    Color,
    ColorOpt,
    LangOpt,
    RulesOpt,
    guard,
    refuse_clashes,
    resolve_lang,
)
from nami_cli.commands.common import console as make_console
from nami_cli.i18n import t

RequestOutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write the request file here (atomically). Without -o the name is asked at the end.",
        show_default=False,
    ),
]

NOT_A_TERMINAL = t("interview.not_a_terminal", "en")


def _is_terminal() -> bool:
    """Whether a person can answer: stdin is a terminal."""
    return sys.stdin.isatty()


@guard
def interview(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="An existing request file to start from; only what is missing is asked.",
            show_default=False,
        ),
    ] = None,
    output: RequestOutOpt = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Ask the buyer the NAMI questions interactively and write a request file that `nami check` reproduces.

    Enter accepts a default; Ctrl-C stops without writing anything (exit 130).
    Without -o the file name is asked at the end; an existing file is overwritten only after confirmation.
    Exit codes: 0 written, 2 stdin is not a terminal, 3 invalid FILE or rule pack.
    """
    if not _is_terminal():
        print(t("interview.not_a_terminal", resolve_lang(lang)), file=sys.stderr)
        raise typer.Exit(2)

    import shlex

    from nami_cli.interactive.interview import run_interview
    from nami_cli.interactive.interview.prompter import QuestionaryPrompter
    from nami_cli.render.text import request_panel
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([str(file)] if file is not None else [], [("-o", output)], rules)
    console = make_console(color)
    pack = load_pack(rules or [])
    prompter = QuestionaryPrompter(language, console)
    outcome = run_interview(prompter, pack, lang=language, source=file, output=output)
    console.print()
    from nami_cli.render.termwidth import keep_amounts_together

    keep_amounts_together()  # as in nami check: an amount is never split over two lines
    console.print(request_panel(outcome.result, language, console.width))
    command = ["nami", "check"]
    for folder in rules or []:
        command += ["--rules", str(folder)]
    command.append(str(outcome.path))
    from nami_cli.base.safetext import visible_line

    done = t("interview.done", language, file=outcome.path, command=shlex.join(command))
    print(visible_line(done), file=sys.stderr)
