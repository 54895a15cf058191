"""``nami rules list | show ID | validate [DIR] | test [DIR] | eval [CORPUS]`` and ``nami matrix``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nami_cli.base.safetext import visible
from nami_cli.commands.common import (
    Color,
    ColorOpt,
    LangOpt,
    OutputOpt,
    RulesOpt,
    emit,
    guard,
    refuse_clashes,
    resolve_lang,
    stdout_path,
    use_color,
)
from nami_cli.commands.helpfmt import NamiCommand, NamiGroup, examples

if TYPE_CHECKING:
    pass

rules_app = typer.Typer(
    help="Inspect, validate and test rule packs.",
    no_args_is_help=True,
    add_completion=False,
    cls=NamiGroup,
    epilog=examples("rules"),
)


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


DirArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="DIR",
        help="A rule pack folder, checked on top of the shipped pack (default: the shipped pack).",
    ),
]


def _console(color: Color, output: Path | None, width: int | None = None) -> Any:
    import io

    from rich.console import Console

    colored = stdout_path(output) is None and use_color(color)
    return Console(
        file=io.StringIO(),
        color_system="standard" if colored else None,
        force_terminal=colored,
        width=width or (Console().width if stdout_path(output) is None else 100),
        highlight=False,
    )


def _text(console: Any) -> str:
    text: str = console.file.getvalue()
    return text


@rules_app.command("list", cls=NamiCommand, epilog=examples("rules list"))
@guard
def list_rules(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
    obstacles: Annotated[
        bool, typer.Option("--obstacles", help="List the obstacles (id, dimension, level, title).")
    ] = False,
    interventions: Annotated[
        bool, typer.Option("--interventions", help="List the interventions (id, strategies, title).")
    ] = False,
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="List rules, categories, obstacles and interventions.")
    ] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """List the rules and categories of the pack in use; --obstacles, --interventions or --all for those.

    The text lists only what is asked (the rules and categories when nothing is); --format json always
    holds all four.
    """
    from nami_cli.rulepack.catalog import rules_list
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([], [("-o", output)], rules)
    pack = load_pack(rules or [])
    data = rules_list(pack, language)
    if fmt is ListFormat.json:
        emit(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n", output, quiet=True)
        return

    from nami_cli.render.rules_text import print_rules_list

    console = _console(color, output)
    print_rules_list(
        console, pack, data, language, obstacles=obstacles, interventions=interventions, all_=all_
    )
    emit(_text(console), output, quiet=True)


@rules_app.command("show", cls=NamiCommand, epilog=examples("rules show"))
@guard
def show(
    item_id: Annotated[
        str, typer.Argument(metavar="ID", help="A rule, obstacle, intervention or category id.")
    ],
    lang: LangOpt = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Show a rule (why, condition in words, examples, obstacles, interventions, source) or another item."""
    from nami_cli.base.errors import NamiError, Problem
    from nami_cli.render.rules_text import print_item
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([], [("-o", output)], rules)
    pack = load_pack(rules or [])
    console = _console(color, output)
    if not print_item(console, pack, item_id, language):
        import difflib

        known = (
            [r.id for r in pack.rules]
            + list(pack.obstacles)
            + list(pack.interventions)
            + list(pack.categories)
        )
        close = difflib.get_close_matches(item_id, known, n=3)
        from nami_cli.i18n import Msg

        hint = Msg("rules.no_item.close", options=", ".join(close)) if close else Msg("rules.no_item.list")
        if item_id in pack.disabled:
            hint = Msg("rules.no_item.disabled")
        raise NamiError(Problem(Msg("rules.no_item", id=repr(item_id), hint=hint)))
    emit(_text(console), output, quiet=True)


@rules_app.command("validate", cls=NamiCommand, epilog=examples("rules validate"))
@guard
def validate(
    directory: DirArg = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    lang: LangOpt = None,
) -> None:
    """Validate a rule pack: every problem with file:line:col; exit 3 if there is any."""
    from nami_cli.i18n import count, t
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    pack = load_pack([directory] if directory else [])
    if not quiet:
        found = {
            "rules": count("noun.rule", len(pack.rules), language),
            "categories": count("noun.category", len(pack.categories), language),
            "obstacles": count("noun.obstacle", len(pack.obstacles), language),
            "interventions": count("noun.intervention", len(pack.interventions), language),
        }
        print(t("rules.validated", language, packs=" + ".join(p["name"] for p in pack.packs), **found))


@rules_app.command("test", cls=NamiCommand, epilog=examples("rules test"))
@guard
def test(
    directory: DirArg = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    lang: LangOpt = None,
) -> None:
    """Run every rule's examples; ends with 'N passed, M failed' ('N geslaagd, M mislukt' with --lang nl,
    the default); exit 1 on any failure."""
    from nami_cli.i18n import count, t
    from nami_cli.rulepack.pack import load_pack
    from nami_cli.rulepack.selftest import run_examples

    language = resolve_lang(lang)
    pack = load_pack([directory] if directory else [])
    own = [r for r in pack.rules if directory is None or r.pack == pack.packs[-1]["name"]]
    outcomes = run_examples(pack, own, only_dir=str(directory) if directory else None)
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        print(visible(t("selftest.fail", language, what=outcome.describe(language))))
    if not quiet:
        print(t("rules.tested", language, rules=count("noun.rule", len(own), language)))
    print(t("rules.passed", language, passed=len(outcomes) - len(failed), failed=len(failed)))
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


@guard
def matrix(
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.text,
    ids: Annotated[
        bool,
        typer.Option(
            "--ids",
            help="List the cells one under another, each obstacle with its id (what obstacles: takes).",
        ),
    ] = False,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    output: OutputOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Print the obstacles matrix: 4 dimensions x 3 levels, with the obstacles in each cell."""
    from nami_cli.render.matrix import ObstacleMatrix, matrix_markdown, print_matrix
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([], [("-o", output)], rules)
    grid = ObstacleMatrix.of_pack(load_pack(rules or []), language)
    if fmt is MatrixFormat.json:
        emit(
            json.dumps(grid.as_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n",
            output,
            quiet=True,
        )
        return
    if fmt is MatrixFormat.markdown:
        emit(matrix_markdown(grid), output, quiet=True)
        return
    console = _console(color, output, width=None)
    print_matrix(console, grid, ids=ids)
    emit(_text(console), output, quiet=True)


DEFAULT_CORPUS = Path("tests/corpus")


@rules_app.command("eval", cls=NamiCommand, epilog=examples("rules eval"))
@guard
def evaluate(
    corpus: Annotated[
        Path | None,
        typer.Argument(
            metavar="CORPUS",
            help="Labelled corpus: a YAML file or a folder of them (default: tests/corpus).",
            show_default=False,
        ),
    ] = None,
    rules: RulesOpt = None,
    spend: Annotated[
        Path | None,
        typer.Option(
            "--spend",
            metavar="DIR_OR_FILE",
            help="Measure on real spend files instead, labelled by --labels.",
            show_default=False,
        ),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            metavar="MAP",
            help="Label map for --spend (default: CORPUS/spend-dev-labels.yaml).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
    min_precision: Annotated[
        float | None,
        typer.Option(
            "--min-precision",
            metavar="P",
            help="Exit 1 below this precision (0-1).",
            min=0.0,
            max=1.0,
            show_default=False,
        ),
    ] = None,
    min_recall: Annotated[
        float | None,
        typer.Option(
            "--min-recall",
            metavar="R",
            help="Exit 1 below this recall (0-1).",
            min=0.0,
            max=1.0,
            show_default=False,
        ),
    ] = None,
    max_fp_advice: Annotated[
        float | None,
        typer.Option(
            "--max-fp-advice",
            metavar="F",
            help="Exit 1 when more than this share (0-1) of no-goods items get an opportunity.",
            min=0.0,
            max=1.0,
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Measure recognition: precision and recall per category, false-positive advice, confusions."""
    from nami_cli.rulepack.evaluate import (
        corpus_text,
        evaluate_corpus,
        evaluate_spend,
        load_corpus,
        load_labels,
        spend_text,
    )
    from nami_cli.rulepack.pack import load_pack

    inputs = [str(p) for p in (corpus, spend, labels) if p is not None and Path(p).is_file()]
    refuse_clashes(inputs, [("-o", output)], rules)
    pack = load_pack(rules or [])
    base = corpus if corpus is not None else DEFAULT_CORPUS
    report: Any
    if spend is not None:
        label_map = (
            labels
            if labels is not None
            else (base if base.is_dir() else base.parent) / "spend-dev-labels.yaml"
        )
        report = evaluate_spend(spend, load_labels(label_map, pack.categories), pack)
        text = spend_text(report)
    else:
        if labels is not None:
            from nami_cli.base.errors import NamiError, Problem

            raise NamiError(Problem("--labels goes with --spend"))
        cases = load_corpus(base, pack.categories, getattr(pack, "scope", None) or ())
        report = evaluate_corpus(cases, pack)
        text = corpus_text(report)
    failures = report.failures(min_precision, min_recall, max_fp_advice)
    if fmt is ListFormat.json:
        data = {**report.as_dict(), "failures": failures}
        emit(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n", output, quiet=True)
    else:  # corpus texts are data: control characters shown as \x1b
        emit(visible(text + "".join(f"BELOW THRESHOLD {f}\n" for f in failures)), output, quiet=True)
    if failures:
        raise typer.Exit(1)
