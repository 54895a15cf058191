"""``--format text``: a rich panel per request, readable with and without colour."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nami_cli.base.safetext import visible, visible_line
from nami_cli.base.vocab import (
    ANSWER_MEANING,
    DECISION_LABEL,
    DIMENSION_LABEL,
    LEVEL_LABEL,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
    VERDICT_LABEL,
)
from nami_cli.i18n import noun, words
from nami_cli.render.number_format import money, number
from nami_cli.render.viewmodel import MAX_INTERVENTIONS, category_summary, shown_interventions

if TYPE_CHECKING:
    from nami_cli.assess.result import Report, RequestResult, SourceResult
    from nami_cli.render import RenderOptions

VERDICT_STYLE = {"opportunity": "bold yellow", "open": "bold cyan", "justified": "bold green"}

WORDS: dict[str, dict[str, Any]] = words("text")


def short_source(source: SourceResult, lang: str, limit: int = 60) -> str:
    """A short reference to a source: its title up to the first comma or bracket (at most ``limit``
    characters) and its year; the full reference is in the JSON result and the reports."""
    title = source.title.strip().strip("\"'")
    for stop in (" (", ", ", ": "):
        if stop in title[8:]:
            title = title[: title.index(stop, 8)]
    if title.count("'") % 2:  # a quote the cut left open
        title = title.replace("'", "")
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "…"
    year = str(source.year) if source.year else WORDS[lang]["no_year"]
    return f"{title}, {year}"


def _where(file: str | None, line: int | None, column: int | None) -> str:
    if line is None:
        return file or ""
    return f"{file or '<request>'}:{line}:{column}"


def _bullets() -> Table:
    """Two columns: a bullet, and text that wraps under itself (hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # wraps at spaces; only a token wider than a line is folded
    return grid


def request_panel(result: RequestResult, lang: str, width: int | None = None) -> Panel:
    """The panel of one assessed request (also used by ``nami interview`` and ``nami demo``).

    With ``width`` (of the console), a title or file name too long for the border goes inside the panel
    rather than being cut.
    """
    w = WORDS[lang]
    parts: list[Any] = []
    head = Text()
    head.append(f"{w['category']}: ", style="bold")
    head.append(visible(category_summary(result, lang)))
    if result.request.value is not None:
        head.append(f"   {w['value']}: ", style="bold")
        head.append(money(result.request.value, lang))
    parts.append(head)
    for strat in result.strategies:
        label = STRATEGY_LABEL[strat.strategy][lang]
        line = Text()
        line.append("\n")
        line.append(f"{label} ({STRATEGY_RUNG[strat.strategy]}) ", style="bold")
        line.append(visible(strat.question))
        line.append("  ")
        line.append(f"[{VERDICT_LABEL[strat.verdict][lang].upper()}]", style=VERDICT_STYLE[strat.verdict])
        parts.append(line)
        if strat.answer is not None:
            answer = Text(f"  {w['answer']}: {ANSWER_MEANING[strat.strategy][strat.answer][lang]}")
            if strat.justification:
                answer.append(visible(f" — {strat.justification}"))
            parts.append(answer)
        if strat.findings:
            grid = _bullets()
            for finding in strat.findings:
                item = Text(visible(finding.message))
                tag = f"  [{finding.rule}"
                where = _where(result.file, finding.line, finding.column)
                if where:
                    tag += f", {where}"
                if finding.acknowledged:
                    tag += f", {w['acknowledged']}"
                if finding.sources:
                    tag += f"; {w['source']}: {short_source(finding.sources[0], lang)}"
                item.append(visible(tag + "]"), style="dim")
                grid.add_row("  •", item)
            parts.append(grid)
    if result.obstacles:
        parts.append(Text(f"\n{w['obstacles']}", style="bold"))
        # one paragraph per obstacle (title, then its cell of the matrix), so it wraps at any width
        grid = _bullets()
        for ob in result.obstacles:
            cell = f"{DIMENSION_LABEL[ob.dimension][lang]} / {LEVEL_LABEL[ob.level][lang]}"
            if ob.expected:
                cell += f" ({w['expected']})"
            grid.add_row("•", Text.assemble(visible(ob.title), "  ", (visible(cell), "dim")))
        parts.append(grid)
    if result.interventions:
        parts.append(Text(f"\n{w['interventions']}", style="bold"))
        grid = _bullets()
        for iv in shown_interventions(result):
            item = Text(visible(iv.title))
            if iv.first_step:
                item.append(visible(f"\n{w['first']}: {iv.first_step}"), style="dim")
            grid.add_row("•", item)
        parts.append(grid)
        more = len(result.interventions) - MAX_INTERVENTIONS
        if more > 0:
            parts.append(Text(w["more"].format(n=more), style="dim"))
    advice = Text(f"\n{w['advice']}: ", style="bold")
    if result.advice:
        advice.append(w["advice_label"].format(label=STRATEGY_LABEL[result.advice][lang]))
        question = next(s for s in result.strategies if s.strategy == result.advice).question
        advice.append(visible(f" — {question}"))
    else:
        advice.append(w["no_advice"])
    parts.append(advice)
    parts.extend(_decision(result, lang))
    title = result.request.title if not result.request.id else f"{result.request.id} · {result.request.title}"
    title = visible_line(title)
    room = (width or 10**6) - 8  # the border's corners and the spaces around a title
    subtitle = visible_line(result.file) if result.file else None
    inside: list[Any] = []
    if len(title) > room:
        inside.append(Text(title, style="bold"))
    if subtitle is not None and len(subtitle) > room:
        inside.append(Text(subtitle, style="dim", overflow="fold"))  # a path has no spaces to wrap at
        subtitle = None
    if inside:
        parts = [*inside, Text(""), *parts]
    return Panel(
        Group(*parts),
        title=Text(title, style="bold") if len(title) <= room else None,
        subtitle=Text(subtitle) if subtitle is not None else None,
        expand=True,
    )


def _decision(result: RequestResult, lang: str) -> list[Any]:
    """The buyer's decision: the choice, who and when, the reasoning and any contradiction."""
    w = WORDS[lang]
    decision = result.decision
    line = Text(f"{w['decision']}: ", style="bold")
    if decision is None:
        line.append(w["no_decision"], style="dim")
        return [line]
    line.append(DECISION_LABEL[decision.chosen][lang])
    extra = []
    if decision.quantity is not None:
        unit = f" {result.request.unit}" if result.request.unit else ""
        extra.append(f"{w['new_quantity']}: {number(decision.quantity, lang)}{unit}")
    if decision.form:
        extra.append(f"{w['new_form']}: {visible_line(decision.form)}")
    if extra:
        line.append(visible(f" ({'; '.join(extra)})"))
    who = []
    if decision.decided_by is not None:
        by = decision.decided_by
        who.append(f"{w['by']} {visible_line(by.name)}" + (f", {visible_line(by.role)}" if by.role else ""))
    if decision.date:
        who.append(decision.date)
    if who:
        line.append(visible(" — " + ", ".join(who)))
    lines: list[Any] = [line]
    if decision.reasoning or decision.warnings:
        grid = _bullets()
        if decision.reasoning:
            grid.add_row(" ", Text(f"{w['reasoning']}: {visible(decision.reasoning)}"))
        for warning in decision.warnings:
            grid.add_row(" ⚠", Text(f"{w['conflict']}: {visible(warning.message)}", style="bold yellow"))
        lines.append(grid)
    return lines


def make_console(options: RenderOptions, file: io.StringIO) -> Console:
    from nami_cli.render.termwidth import keep_amounts_together

    keep_amounts_together()
    return Console(
        file=file,
        width=options.width or 100,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


"""The word for the count of requests: singular for exactly one."""


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = make_console(options, buffer)
    for result in report.results:
        console.print(request_panel(result, options.lang, console.width))
    counts = report.summary.advice
    line = (
        WORDS[options.lang]["summary"].format(
            n=report.summary.requests,
            requests=noun("noun.request", report.summary.requests, options.lang),
            refuse=counts.refuse,
            rethink=counts.rethink,
            reduce=counts.reduce,
            none=counts.none,
        )
        + f"  ({WORDS[options.lang]['rules']}: {report.rules.name} {report.rules.version})"
    )
    console.print(visible(line), style="dim", markup=False)
    return buffer.getvalue()
