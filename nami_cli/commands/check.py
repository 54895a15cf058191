"""``nami check FILE... | -``: assess request files."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from nami_cli.commands.common import (
    Color,
    ColorOpt,
    FailOnOpt,
    LangOpt,
    OutputOpt,
    QuietOpt,
    RulesOpt,
    emit,
    guard,
    refuse_clashes,
    resolve_lang,
    stdout_path,
    use_color,
)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@guard
def check(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE", help="Request files (YAML or JSON); - reads stdin.", show_default=False
        ),
    ],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = "opportunity",
    color: ColorOpt = Color.auto,
    quiet: QuietOpt = False,
) -> None:
    """Assess purchase requests: the three NAMI questions, obstacles and interventions."""
    from nami_cli.assess.document import build_report
    from nami_cli.assess.engine import assess
    from nami_cli.base.errors import NamiError, Problem
    from nami_cli.i18n import Msg
    from nami_cli.load.request import MAX_REQUEST_BYTES, load_request
    from nami_cli.render import FORMATS, RenderOptions, renderer
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    if files.count("-") > 1:
        raise NamiError(Problem(Msg("check.stdin_twice")))
    refuse_clashes(files, [("-o", output)], rules)
    if fmt.value not in FORMATS:
        raise NamiError(Problem(f"--format {fmt.value} is not available in this version"))
    pack = load_pack(rules or [])
    results = []
    problems = []
    for name in files:
        try:
            data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1) if name == "-" else None
            shown = "<stdin>" if name == "-" else name
            request, doc = load_request(shown, data=data, pack=pack)
            results.append(assess(request, pack, lang=language, file=shown, doc=doc))
        except NamiError as exc:
            problems.extend(exc.problems)
    if problems:
        raise NamiError(problems)
    report = build_report(results, pack, language)
    colored = stdout_path(output) is None and use_color(color)
    matrix = None
    if fmt in (CheckFormat.markdown, CheckFormat.html):
        from nami_cli.render.matrix import ObstacleMatrix

        matrix = ObstacleMatrix.of_pack(pack, language)
    from nami_cli.render.termwidth import DEFAULT_WIDTH, terminal_width

    width = terminal_width() if output is None else DEFAULT_WIDTH
    options = RenderOptions(lang=language, color=colored, matrix=matrix, width=width)
    text = renderer(fmt.value)(report, options)
    emit(text, output, quiet=quiet)
    raise typer.Exit(report.exit_code(fail_on))
