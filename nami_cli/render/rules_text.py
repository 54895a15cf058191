"""The rule pack as text a person reads: ``nami rules list`` and ``nami rules show ID``.

Each view prints to a rich console the command made; the data comes from the pack (``rules list`` reads
the document of :func:`nami_cli.rulepack.catalog.rules_list`, the same one ``--format json`` prints).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from nami_cli.base.safetext import markup_escape, visible, visible_line
from nami_cli.i18n import t
from nami_cli.render.matrix import TABLE_MIN_WIDTH

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack


def print_rules_list(
    console: Any,
    pack: Pack,
    data: dict[str, Any],
    language: str,
    *,
    obstacles: bool,
    interventions: bool,
    all_: bool,
) -> None:
    """``nami rules list`` as text: only what is asked (the rules and categories when nothing is)."""
    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL, STRATEGY_LABEL
    from nami_cli.i18n import count

    show_rules = all_ or not (obstacles or interventions)
    console.print(
        f"[bold]{markup_escape(pack.name)} {markup_escape(pack.version, line=True)}[/bold]  "
        + " + ".join(p["name"] for p in pack.packs[1:])
    )
    if show_rules:
        _section(
            console,
            t("rules.title.rules", language),
            [
                t("rules.col.strategy", language),
                t("rules.col.title", language),
                t("rules.col.categories", language),
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
            t("rules.title.categories", language),
            [t("rules.col.title", language), "CPV"],
            [
                [cat["id"], markup_escape(cat["title"], line=True), ", ".join(cat["cpv"])]
                for cat in data["categories"]
            ],
        )
    if obstacles or all_:
        _section(
            console,
            t("rules.title.obstacles", language),
            [t("rules.col.dimension_level", language), t("rules.col.title", language)],
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
            t("rules.title.interventions", language),
            [t("rules.col.strategies", language), t("rules.col.title", language)],
            [
                [
                    iv["id"],
                    ", ".join(STRATEGY_LABEL[s][language] for s in iv["strategies"]),
                    markup_escape(iv["title"], line=True),
                ]
                for iv in data["interventions"]
            ],
        )
    counts = t(
        "rules.counts",
        language,
        rules=count("noun.rule", len(data["rules"]), language),
        categories=count("noun.category", len(data["categories"]), language),
        obstacles=count("noun.obstacle", len(data["obstacles"]), language),
        interventions=count("noun.intervention", len(data["interventions"]), language),
    )
    disabled = t("rules.disabled", language, ids=", ".join(data["disabled"])) if data["disabled"] else ""
    console.print(counts + disabled)


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


def print_item(console: Any, pack: Pack, item_id: str, language: str) -> bool:
    """``nami rules show ID``: the rule, obstacle, intervention or category ``item_id``; False if none."""
    if pack.rule(item_id) is not None:
        _show_rule(console, pack, item_id, language)
    elif item_id in pack.obstacles:
        _show_obstacle(console, pack, item_id, language)
    elif item_id in pack.interventions:
        _show_intervention(console, pack, item_id, language)
    elif item_id in pack.categories:
        _show_category(console, pack, item_id, language)
    else:
        return False
    return True


def _print_sources(console: Any, source: Any) -> None:
    """Each source on a line: title, year and address (never the list's Python form)."""
    from nami_cli.rulepack.pack import sources_of

    for ref in sources_of(source):
        year = f" ({ref.year})" if ref.year else ""
        url = f" {ref.url}" if ref.url else ""
        console.print(visible(f"  {ref.title}{year}{url}"), markup=False)


def _heading(console: Any, text: str) -> None:
    console.print(f"\n[bold]{text}[/bold]")


def _show_rule(console: Any, pack: Pack, rule_id: str, lang: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL, QUESTION, STRATEGY_LABEL
    from nami_cli.rulepack.describe import describe

    compiled = pack.rule(rule_id)
    assert compiled is not None
    rule = compiled.rule
    body = [
        Text.assemble((STRATEGY_LABEL[rule.strategy][lang], "bold"), f" — {QUESTION[rule.strategy][lang]}"),
        Text(""),
        Text.assemble((t("rules.why", lang), "bold"), visible(rule.message(lang))),
    ]
    console.print(
        Panel(
            Text("\n").join(body),
            title=Text(visible_line(f"{rule.title(lang)}  ({rule.id})"), style="bold"),
            expand=True,
        )
    )
    _heading(console, t("rules.when", lang))
    for line in describe(
        rule.when, lang, lambda c: pack.categories[c].title(lang) if c in pack.categories else c
    ):
        console.print(visible("  " + line), markup=False)
    if rule.questions:
        _heading(console, t("rules.follow_up", lang))
        for question in rule.questions:
            console.print(visible(f"  • {question(lang)}"), markup=False)
    for kind, label in (
        ("match", t("rules.examples.match", lang)),
        ("no_match", t("rules.examples.no_match", lang)),
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
        _heading(console, t("rules.obstacles", lang))
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
        _heading(console, t("rules.interventions", lang))
        for iv_id in rule.interventions:
            iv = pack.interventions[iv_id]
            console.print(visible(f"  • {iv.title(lang)} ({iv.id})"), markup=False)
            if iv.first_step:
                console.print(
                    visible(f"    {t('rules.first_step', lang)}: {iv.first_step(lang)}"),
                    markup=False,
                )
    _heading(console, t("rules.source", lang))
    _print_sources(console, rule.source)
    console.print(visible(f"  {compiled.at.where} ({compiled.pack})"), style="dim", markup=False)


def _show_obstacle(console: Any, pack: Pack, ob_id: str, lang: str) -> None:
    from nami_cli.base.vocab import DIMENSION_LABEL, LEVEL_LABEL

    ob = pack.obstacles[ob_id]
    console.print(visible(f"{ob.title(lang)} ({ob.id})"), style="bold", markup=False)
    console.print(f"{DIMENSION_LABEL[ob.dimension][lang]} / {LEVEL_LABEL[ob.level][lang]}")
    console.print(visible("\n" + ob.explanation(lang)), markup=False)
    if ob.example:
        console.print(visible(f"\n{t('rules.example', lang)}: {ob.example(lang)}"), markup=False)
    _heading(console, t("rules.interventions", lang))
    for iv_id in pack.interventions_for(ob_id):
        console.print(visible(f"  • {pack.interventions[iv_id].title(lang)} ({iv_id})"), markup=False)
    rules = [r.id for r in pack.rules if ob_id in r.rule.obstacles]
    if rules:
        _heading(console, t("rules.rules", lang))
        console.print(visible("  " + ", ".join(rules)), markup=False)
    _heading(console, t("rules.source", lang))
    _print_sources(console, ob.source)


def _show_intervention(console: Any, pack: Pack, iv_id: str, lang: str) -> None:
    from nami_cli.base.vocab import STRATEGY_LABEL

    iv = pack.interventions[iv_id]
    console.print(visible(f"{iv.title(lang)} ({iv.id})"), style="bold", markup=False)
    console.print(", ".join(STRATEGY_LABEL[s][lang] for s in iv.strategies))
    console.print(visible("\n" + iv.description(lang)), markup=False)
    if iv.first_step:
        console.print(visible(f"\n{t('rules.first_step', lang)}: {iv.first_step(lang)}"), markup=False)
    _heading(console, t("rules.obstacles", lang))
    for ob_id in iv.obstacles:
        console.print(visible(f"  • {pack.obstacles[ob_id].title(lang)} ({ob_id})"), markup=False)
    _heading(console, t("rules.source", lang))
    _print_sources(console, iv.source)


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
        console.print(visible(f"{t('rules.rules', lang)}: {', '.join(rules)}"), markup=False)
