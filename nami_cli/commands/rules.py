"""``nami rules list | show ID | validate [DIR] | test [DIR] | eval [CORPUS]`` and ``nami matrix``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nami_cli.base.safetext import markup_escape, plain, visible, visible_line
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
    from nami_cli.rulepack.pack import Pack

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

    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL, STRATEGY_LABEL

    en = language == "en"
    show_rules = all_ or not (obstacles or interventions)
    console = _console(color, output)
    console.print(
        f"[bold]{markup_escape(pack.name)} {markup_escape(pack.version, line=True)}[/bold]  "
        + " + ".join(p["name"] for p in pack.packs[1:])
    )
    if show_rules:
        _section(
            console,
            "Rules" if en else "Regels",
            [
                "strategy" if en else "strategie",
                "title" if en else "titel",
                "categories" if en else "categorieën",
            ],
            [
                [
                    rule["id"],
                    STRATEGY_LABEL[rule["strategy"]][language],
                    markup_escape(rule["title"], line=True),
                    ", ".join(rule["categories"]),
                ]
                for rule in data["rules"]
            ],
        )
        _section(
            console,
            "Categories" if en else "Categorieën",
            ["title" if en else "titel", "CPV"],
            [
                [cat["id"], markup_escape(cat["title"], line=True), ", ".join(cat["cpv"])]
                for cat in data["categories"]
            ],
        )
    if obstacles or all_:
        _section(
            console,
            "Obstacles" if en else "Belemmeringen",
            ["dimension / level" if en else "dimensie / niveau", "title" if en else "titel"],
            [
                [
                    ob["id"],
                    f"{DIMENSION_LABEL[ob['dimension']][language]} / {LEVEL_LABEL[ob['level']][language]}",
                    markup_escape(ob["title"], line=True),
                ]
                for ob in data["obstacles"]
            ],
        )
    if interventions or all_:
        _section(
            console,
            "Interventions" if en else "Interventies",
            ["strategies" if en else "strategieën", "title" if en else "titel"],
            [
                [
                    iv["id"],
                    ", ".join(STRATEGY_LABEL[s][language] for s in iv["strategies"]),
                    markup_escape(iv["title"], line=True),
                ]
                for iv in data["interventions"]
            ],
        )
    console.print(
        f"{len(data['rules'])} rules, {len(data['categories'])} categories, "
        f"{len(data['obstacles'])} obstacles, {len(data['interventions'])} interventions"
        + (f", disabled: {', '.join(data['disabled'])}" if data["disabled"] else "")
    )
    emit(_text(console), output, quiet=True)


#: Below this width a table would cut its cells ("Bedrijfskle…"): the items are listed one under another.
TABLE_MIN_WIDTH = 110


def _section(console: Any, title: str, headers: list[str], rows: list[list[str]]) -> None:
    """Items with an id: a table on a wide terminal, else one paragraph per item; ids are never cut."""
    from rich.table import Table

    if console.width >= TABLE_MIN_WIDTH:
        table = Table(title=title, show_lines=False)
        width = max((len(row[0]) for row in rows), default=2)
        table.add_column("id", no_wrap=True, min_width=width, overflow="ignore")
        for header in headers:
            table.add_column(header, ratio=1)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    console.print(f"\n[bold]{title}[/bold]")
    for row in rows:
        console.print(f"[bold]{row[0]}[/bold]", no_wrap=True, overflow="ignore", crop=False)
        for header, cell in zip(headers, row[1:], strict=True):
            if cell:
                console.print(f"  {header}: {cell}")


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
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([], [("-o", output)], rules)
    pack = load_pack(rules or [])
    console = _console(color, output)
    if pack.rule(item_id) is not None:
        _show_rule(console, pack, item_id, language)
    elif item_id in pack.obstacles:
        _show_obstacle(console, pack, item_id, language)
    elif item_id in pack.interventions:
        _show_intervention(console, pack, item_id, language)
    elif item_id in pack.categories:
        _show_category(console, pack, item_id, language)
    else:
        import difflib

        known = (
            [r.id for r in pack.rules]
            + list(pack.obstacles)
            + list(pack.interventions)
            + list(pack.categories)
        )
        close = difflib.get_close_matches(item_id, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `nami rules list` shows the ids"
        if item_id in pack.disabled:
            hint = "; this rule is disabled by a rule pack in use"
        raise NamiError(Problem(f"no rule, obstacle, intervention or category {item_id!r}{hint}"))
    emit(_text(console), output, quiet=True)


def _heading(console: Any, text: str) -> None:
    console.print(f"\n[bold]{text}[/bold]")


def _show_rule(console: Any, pack: Pack, rule_id: str, lang: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL, QUESTION, STRATEGY_LABEL
    from nami_cli.rulepack.describe import describe

    nl = lang == "nl"
    compiled = pack.rule(rule_id)
    assert compiled is not None
    rule = compiled.rule
    body = [
        Text.assemble((STRATEGY_LABEL[rule.strategy][lang], "bold"), f" — {QUESTION[rule.strategy][lang]}"),
        Text(""),
        Text.assemble(("Waarom: " if nl else "Why: ", "bold"), visible(rule.message(lang))),
    ]
    console.print(
        Panel(
            Text("\n").join(body),
            title=Text(visible_line(f"{rule.title(lang)}  ({rule.id})"), style="bold"),
            expand=True,
        )
    )
    _heading(console, "Wanneer" if nl else "When")
    for line in describe(
        rule.when, lang, lambda c: pack.categories[c].title(lang) if c in pack.categories else c
    ):
        console.print(visible("  " + line), markup=False)
    if rule.questions:
        _heading(console, "Vervolgvragen" if nl else "Follow-up questions")
        for question in rule.questions:
            console.print(visible(f"  • {question(lang)}"), markup=False)
    for kind, label in (
        ("match", "Voorbeelden die de regel raken" if nl else "Examples that trigger it"),
        ("no_match", "Voorbeelden die de regel niet raken" if nl else "Examples that do not"),
    ):
        _heading(console, label)
        for example in getattr(rule.examples, kind):
            extra = {k: v for k, v in example.items() if k != "title"}
            console.print(
                visible(
                    f"  • {example.get('title')}  "
                    + (json.dumps(extra, ensure_ascii=False, default=str) if extra else "")
                ),
                markup=False,
            )
    if rule.obstacles:
        _heading(console, "Belemmeringen" if nl else "Obstacles")
        for ob_id in rule.obstacles:
            ob = pack.obstacles[ob_id]
            console.print(
                visible(
                    f"  • {ob.title(lang)} ({ob.id}) — "
                    f"{DIMENSION_LABEL[ob.dimension][lang]} / {LEVEL_LABEL[ob.level][lang]}"
                ),
                markup=False,
            )
    if rule.interventions:
        _heading(console, "Interventies" if nl else "Interventions")
        for iv_id in rule.interventions:
            iv = pack.interventions[iv_id]
            console.print(visible(f"  • {iv.title(lang)} ({iv.id})"), markup=False)
            if iv.first_step:
                console.print(
                    visible(f"    {'Eerste stap' if nl else 'First step'}: {iv.first_step(lang)}"),
                    markup=False,
                )
    _heading(console, "Bron" if nl else "Source")
    console.print(visible(f"  {rule.source}"), markup=False)
    console.print(visible(f"  {compiled.at.where} ({compiled.pack})"), style="dim", markup=False)


def _show_obstacle(console: Any, pack: Pack, ob_id: str, lang: str) -> None:
    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL

    nl = lang == "nl"
    ob = pack.obstacles[ob_id]
    console.print(visible(f"{ob.title(lang)} ({ob.id})"), style="bold", markup=False)
    console.print(f"{DIMENSION_LABEL[ob.dimension][lang]} / {LEVEL_LABEL[ob.level][lang]}")
    console.print(visible("\n" + ob.explanation(lang)), markup=False)
    if ob.example:
        console.print(visible(f"\n{'Voorbeeld' if nl else 'Example'}: {ob.example(lang)}"), markup=False)
    _heading(console, "Interventies" if nl else "Interventions")
    for iv_id in pack.interventions_for(ob_id):
        console.print(visible(f"  • {pack.interventions[iv_id].title(lang)} ({iv_id})"), markup=False)
    rules = [r.id for r in pack.rules if ob_id in r.rule.obstacles]
    if rules:
        _heading(console, "Regels" if nl else "Rules")
        console.print(visible("  " + ", ".join(rules)), markup=False)
    _heading(console, "Bron" if nl else "Source")
    console.print(visible(f"  {ob.source}"), markup=False)


def _show_intervention(console: Any, pack: Pack, iv_id: str, lang: str) -> None:
    from nami_cli.base.vocab import STRATEGY_LABEL

    nl = lang == "nl"
    iv = pack.interventions[iv_id]
    console.print(visible(f"{iv.title(lang)} ({iv.id})"), style="bold", markup=False)
    console.print(", ".join(STRATEGY_LABEL[s][lang] for s in iv.strategies))
    console.print(visible("\n" + iv.description(lang)), markup=False)
    if iv.first_step:
        console.print(
            visible(f"\n{'Eerste stap' if nl else 'First step'}: {iv.first_step(lang)}"), markup=False
        )
    _heading(console, "Belemmeringen" if nl else "Obstacles")
    for ob_id in iv.obstacles:
        console.print(visible(f"  • {pack.obstacles[ob_id].title(lang)} ({ob_id})"), markup=False)
    _heading(console, "Bron" if nl else "Source")
    console.print(visible(f"  {iv.source}"), markup=False)


def _show_category(console: Any, pack: Pack, cat_id: str, lang: str) -> None:
    cat = pack.categories[cat_id]
    console.print(visible(f"{cat.title(lang)} ({cat.id})"), style="bold", markup=False)
    console.print(visible(f"CPV: {', '.join(cat.cpv)}"), markup=False)
    for lang_key in ("nl", "en"):
        shown = [
            w if isinstance(w, str) else f"{w.word} (-{', -'.join(w.unless)})"
            for w in getattr(cat.keywords, lang_key)
        ]
        console.print(visible(f"{lang_key}: {', '.join(shown)}"), markup=False)
    rules = [r.id for r in pack.rules if cat_id in r.condition.categories]
    if rules:
        console.print(visible(f"{'Regels' if lang == 'nl' else 'Rules'}: {', '.join(rules)}"), markup=False)


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
    """Run every rule's examples; ends with 'N passed, M failed'; exit 1 on any failure."""
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
    from nami_cli.rulepack.catalog import matrix as matrix_data
    from nami_cli.rulepack.catalog import matrix_markdown
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    refuse_clashes([], [("-o", output)], rules)
    data = matrix_data(load_pack(rules or []), language)
    if fmt is MatrixFormat.json:
        emit(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n", output, quiet=True)
        return
    if fmt is MatrixFormat.markdown:
        emit(matrix_markdown(data), output, quiet=True)
        return
    from rich import box
    from rich.table import Table

    console = _console(color, output, width=None)
    title = "Belemmeringenmatrix" if language == "nl" else "Obstacles matrix"
    if ids or console.width < TABLE_MIN_WIDTH:  # a grid narrower than this cuts words
        _matrix_ids(console, data, f"{title} — {data['pack']['name']} {data['pack']['version']}", ids=ids)
        emit(_text(console), output, quiet=True)
        return
    table = Table(
        title=plain(f"{title} — {data['pack']['name']} {data['pack']['version']}", line=True),
        box=box.HEAVY,
        show_lines=True,
        expand=True,
    )
    table.add_column("")
    for dim in data["dimensions"]:
        table.add_column(data["labels"]["dimensions"][dim].upper(), ratio=1)
    for level in data["levels"]:
        row = [f"[bold]{data['labels']['levels'][level].upper()}[/bold]"]
        for dim in data["dimensions"]:
            cell = next(c for c in data["cells"] if c["dimension"] == dim and c["level"] == level)
            row.append("\n".join(f"• {markup_escape(o['title'], line=True)}" for o in cell["obstacles"]))
        table.add_row(*row)
    console.print(table)
    emit(_text(console), output, quiet=True)


def _matrix_ids(console: Any, data: dict[str, Any], title: str, *, ids: bool = True) -> None:
    """The matrix as a list: each cell (dimension / level) with its obstacles (and their ids)."""
    from rich import box
    from rich.table import Table

    obstacles = [o for cell in data["cells"] for o in cell["obstacles"]]
    table = Table(title=plain(title, line=True), box=box.SIMPLE_HEAD, show_header=False, pad_edge=False)
    width = max((len(o["id"]) for o in obstacles), default=2) if ids else 1
    table.add_column("id", no_wrap=True, min_width=width, overflow="ignore")
    table.add_column("title", ratio=1)
    labels = data["labels"]
    for dim in data["dimensions"]:
        for level in data["levels"]:
            cell = next(c for c in data["cells"] if c["dimension"] == dim and c["level"] == level)
            if not cell["obstacles"]:
                continue
            heading = f"{labels['dimensions'][dim].upper()} / {labels['levels'][level].upper()}"
            bold = f"[bold]{markup_escape(heading, line=True)}[/bold]"
            table.add_row(*((bold, "") if ids else ("", bold)), end_section=False)
            for ob in cell["obstacles"]:
                first = markup_escape(ob["id"], line=True) if ids else "•"
                table.add_row(first, markup_escape(ob["title"], line=True))
            table.add_section()
    console.print(table)


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
