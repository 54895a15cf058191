"""``nami demo``: play a built-in workshop scenario step by step, in large panels for a projector.

A scenario (:mod:`.scenarios`) is a request. It is assessed with the real engine and rule pack, then shown
as a series of steps: the case, the request, each of the three questions with its verdict and why, the
obstacles on the matrix, the interventions and the advice. :func:`steps` builds the panels (pure, easy to
test); :func:`play` prints them, waiting for Enter between steps unless ``auto``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nami_cli.base.safetext import visible
from nami_cli.i18n import words
from nami_cli.interactive.demo.scenarios import BY_ID, SCENARIOS, Scenario

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from nami_cli.assess.result import RequestResult
    from nami_cli.rulepack.pack import Pack

WORDS: dict[str, dict[str, Any]] = words("demo")

VERDICT_STYLE = {
    "opportunity": "bold black on yellow",
    "open": "bold black on cyan",
    "justified": "bold black on green",
}


def assess_scenario(scenario: Scenario, pack: Pack, lang: str) -> RequestResult:
    """The scenario's request assessed by the real engine, as ``nami check`` would."""
    from nami_cli.assess.engine import assess
    from nami_cli.load.request import validate_request

    name = f"demo:{scenario.id}"
    request = validate_request(scenario.request_for(lang), file=name)
    return assess(request, pack, lang=lang, file=name)


def _number(value: float | None, lang: str) -> str:
    """A quantity as a reader writes it: thousands grouped (1.200 in Dutch, 1,200 in English)."""
    from nami_cli.interactive.interview.prompter import format_number

    if value is None:
        return ""
    if float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "nl" else text
    return format_number(value, lang)


def _money(value: float, lang: str) -> str:
    text = f"{value:,.2f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"EUR {text}"


def _card(
    body: RenderableType,
    title: str,
    step: int,
    total: int,
    lang: str,
    *,
    style: str = "bold",
    part: tuple[int, int] | None = None,
) -> Any:
    from rich import box
    from rich.panel import Panel
    from rich.text import Text

    subtitle = WORDS[lang]["step"].format(n=step, total=total)
    if part is not None:
        subtitle = WORDS[lang]["page"].format(step=subtitle, n=part[0], total=part[1])
    return Panel(
        body,
        title=Text(f" {title} ", style=style),
        title_align="left",
        subtitle=Text(subtitle, style="dim"),
        subtitle_align="right",
        box=box.HEAVY,
        padding=(1, 3),
        expand=True,
    )


def _request_table(scenario: Scenario, result: RequestResult, pack: Pack, lang: str) -> Any:
    from rich.table import Table

    from nami_cli.interactive.interview.flow import WORDS as FLOW_WORDS

    w = WORDS[lang]
    fields = w["fields"]
    data = scenario.request_for(lang)
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    rows: list[tuple[str, str]] = []
    for key in ("id", "title", "description"):
        if data.get(key):
            rows.append((fields[key], str(data[key])))
    if result.category is not None:
        rows.append((fields["category"], f"{result.category.title} ({result.category.id})"))
    if data.get("cpv"):
        rows.append((fields["cpv"], str(data["cpv"])))
    if data.get("quantity") is not None:
        rows.append((fields["quantity"], f"{_number(data['quantity'], lang)} {data.get('unit', '')}".strip()))
    if data.get("unit_price") is not None:
        rows.append((fields["unit_price"], _money(float(data["unit_price"]), lang)))
    if result.request.value is not None:
        rows.append((fields["value"], _money(result.request.value, lang)))
    if data.get("reason"):
        rows.append((fields["reason"], FLOW_WORDS[lang]["reasons"][data["reason"]]))
    replaces = data.get("replaces")
    if replaces:
        rows.append(
            (
                fields["replaces"],
                w["replaces"].format(
                    age=_number(replaces.get("age_years"), lang) or "?",
                    condition=FLOW_WORDS[lang]["conditions"].get(replaces.get("condition"), "?"),
                    trigger=FLOW_WORDS[lang]["triggers"].get(replaces.get("trigger"), "?"),
                ),
            )
        )
    usage = data.get("usage")
    if usage:
        parts = [
            w["usage"][k].format(v=_number(usage[k], lang))
            for k in ("stock", "annual_use", "users")
            if k in usage
        ]
        rows.append((fields["usage"], ", ".join(parts)))
    if data.get("requester"):
        rows.append((fields["requester"], str(data["requester"])))
    if data.get("obstacles"):
        titles = [pack.obstacles[o].title(lang) for o in data["obstacles"] if o in pack.obstacles]
        rows.append((fields["obstacles"], "; ".join(titles)))
    from nami_cli.base.safetext import plain

    for label, value in rows:
        table.add_row(label, plain(value))
    return table


def _strategy_body(result: RequestResult, strategy: str, lang: str) -> Any:
    from rich.console import Group
    from rich.text import Text

    from nami_cli.base.vocab import VERDICT_LABEL

    w = WORDS[lang]
    strat = result.strategy(strategy)
    parts: list[Any] = []
    parts.append(Text(visible(strat.question), style="bold"))
    verdict = Text("\n")
    verdict.append(f"{w['verdict']}: ", style="bold")
    verdict.append(f"  {VERDICT_LABEL[strat.verdict][lang].upper()}  ", style=VERDICT_STYLE[strat.verdict])
    parts.append(verdict)
    if strat.answer is not None:
        from nami_cli.base.vocab import ANSWER_MEANING

        answer = Text(f"\n{w['answer']}: ", style="bold")
        answer.append(ANSWER_MEANING[strat.strategy][strat.answer][lang])
        if strat.justification:
            answer.append(visible(f" — {strat.justification}"))
        parts.append(answer)
    parts.append(Text(f"\n{w['why']}:", style="bold"))
    if not strat.findings:
        parts.append(Text(w["no_findings"]))
    for finding in strat.findings:
        item = Text("• ")
        item.append(visible(finding.message))
        evidence = ", ".join(f"{k} = {v}" for k, v in finding.evidence.items())
        item.append(
            visible(f"\n  {w['rule']} {finding.rule}" + (f" · {evidence}" if evidence else "")), style="dim"
        )
        parts.append(item)
    if strat.verdict == "justified":
        parts.append(Text(f"\n{w['justified']}", style="italic"))
    return Group(*parts)


MATRIX_MIN_WIDTH = 100  # below this the demo shows the matrix as a list


def _matrix(result: RequestResult, lang: str, width: int) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from nami_cli.render.matrix import ObstacleMatrix

    w = WORDS[lang]
    grid = ObstacleMatrix.of_obstacles(result.obstacles, lang)
    if width < MATRIX_MIN_WIDTH:  # five columns this narrow would split words: a list per level instead
        rows: list[Any] = []
        for level, cells in grid.rows():
            here = [(cell.dimension, ob) for cell in cells for ob in cell.obstacles]
            if not here:
                continue
            rows.append(Text(grid.level_label(level), style="bold"))
            for dimension, ob in here:
                line = Text("  ")
                line.append("★ " if ob.expected else "• ", style="bold")
                line.append(visible(ob.title), style="bold yellow")
                line.append(f" ({grid.dimension_label(dimension)})", style="dim")
                rows.append(line)
        rows.append(Text(w["matrix_note"] if result.obstacles else w["no_obstacles"], style="dim"))
        return Group(*rows)
    table = Table(box=box.HEAVY_HEAD, show_lines=True, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    for label in grid.dimension_labels():
        table.add_column(label, ratio=1, header_style="bold", overflow="fold")
    for level, cells in grid.rows():
        shown: list[Any] = []
        for cell in cells:
            if not cell.obstacles:
                shown.append(Text("·", style="dim", justify="center"))
                continue
            text = Text()
            for i, ob in enumerate(cell.obstacles):
                if i:
                    text.append("\n")
                text.append("★ " if ob.expected else "• ", style="bold")
                text.append(visible(ob.title), style="bold yellow")
            shown.append(text)
        table.add_row(grid.level_label(level), *shown)
    parts: list[Any] = [table, Text(w["matrix_note"], style="dim")]
    if not result.obstacles:
        parts.append(Text(w["no_obstacles"]))
    return Group(*parts)


def _interventions(result: RequestResult, lang: str) -> Any:
    from rich.console import Group
    from rich.text import Text

    w = WORDS[lang]
    if not result.interventions:
        return Text(w["no_interventions"])
    titles = {o.id: o.title for o in result.obstacles}
    parts: list[Any] = []
    for i, iv in enumerate(result.interventions):
        item = Text("\n" if i else "")
        item.append(visible(f"▸ {iv.title}"), style="bold")
        if iv.first_step:
            item.append(f"\n  {w['first_step']}: ", style="bold")
            item.append(visible(iv.first_step))
        if iv.obstacles:
            item.append(
                visible(f"\n  {w['addresses']}: " + "; ".join(titles.get(o, o) for o in iv.obstacles)),
                style="dim",
            )
        parts.append(item)
    return Group(*parts)


def _advice(result: RequestResult, lang: str) -> Any:
    from rich.align import Align
    from rich.console import Group
    from rich.text import Text

    from nami_cli.base.vocab import STRATEGY_LABEL

    w = WORDS[lang]
    if result.advice is None:
        line = Text(w["no_advice"], style="bold")
    else:
        label = STRATEGY_LABEL[result.advice][lang]
        line = Text(
            w["advice_text"].format(label=label.upper(), question=result.strategy(result.advice).question),
            style="bold black on yellow",
        )
    return Group(Align.center(line), Text(""), Align.center(Text(w["end"], style="dim")))


def _specs(
    scenario: Scenario, result: RequestResult, pack: Pack, lang: str, width: int
) -> list[tuple[Any, str, str]]:
    """Each step as (body, title, title style)."""
    from rich.console import Group
    from rich.text import Text

    from nami_cli.base.vocab import STRATEGIES, STRATEGY_LABEL, STRATEGY_RUNG

    w = WORDS[lang]
    opening = Group(
        Text(scenario.title[lang].upper(), style="bold"),
        Text(""),
        Text(scenario.case[lang]),
        Text(""),
        Text(f"{w['source']}: {scenario.source}", style="dim"),
    )
    out: list[tuple[Any, str, str]] = [
        (opening, f"{w['demo']} · {w['case']}", "bold"),
        (_request_table(scenario, result, pack, lang), w["request"], "bold"),
    ]
    for strategy in STRATEGIES:
        title = f"{STRATEGY_LABEL[strategy][lang].upper()} ({STRATEGY_RUNG[strategy]})"
        style = VERDICT_STYLE[result.strategy(strategy).verdict]
        out.append((_strategy_body(result, strategy, lang), title, style))
    out.append((_matrix(result, lang, width), w["matrix"], "bold"))
    out.append((_interventions(result, lang), w["interventions"], "bold"))
    out.append((_advice(result, lang), w["advice"], "bold"))
    return out


def steps(scenario: Scenario, result: RequestResult, pack: Pack, lang: str, width: int = 100) -> list[Any]:
    """The panels of a scenario, in the order they are shown, for a screen ``width`` columns wide."""
    specs = _specs(scenario, result, pack, lang, width)
    return [
        _card(body, title, i, len(specs), lang, style=style)
        for i, (body, title, style) in enumerate(specs, 1)
    ]


CARD_FRAME = 4  # a card's border and padding: the lines around its body
CARD_SIDES = 8  # and the columns beside it


def _split(lines: list[Any], size: int) -> list[list[Any]]:
    """Rendered body lines in pages of at most ``size`` lines, broken at a blank line where one is near."""

    def blank(line: list[Any]) -> bool:
        return not "".join(segment.text for segment in line).strip()

    pages: list[list[Any]] = []
    rest = list(lines)
    while len(rest) > size:
        cut = size
        for i in range(size, size // 2, -1):  # the last blank line in the second half of the page
            if blank(rest[i - 1]):
                cut = i
                break
        page = rest[:cut]
        while page and blank(page[-1]):
            page.pop()
        pages.append(page)
        rest = rest[cut:]
        while rest and blank(rest[0]):
            rest.pop(0)
    pages.append(rest)
    return pages


def cards(
    console: Console,
    scenario: Scenario,
    result: RequestResult,
    pack: Pack,
    lang: str,
    height: int,
) -> list[tuple[Any, bool]]:
    """The cards to show on a ``console`` of ``height`` lines: (card, ends a step).

    A step taller than the screen (less one line for the prompt) is split over several cards, "part 1/2".
    """
    from rich.segment import Segment, Segments

    specs = _specs(scenario, result, pack, lang, console.width)
    size = max(3, height - 1 - CARD_FRAME)
    options = console.options.update(width=max(10, console.width - CARD_SIDES))
    out: list[tuple[Any, bool]] = []
    for step, (body, title, style) in enumerate(specs, 1):
        lines = console.render_lines(body, options, pad=False)
        pages = _split(lines, size)
        if len(pages) == 1:
            out.append((_card(body, title, step, len(specs), lang, style=style), True))
            continue
        for n, page in enumerate(pages, 1):
            segments: list[Any] = []
            for i, line in enumerate(page):
                if i:
                    segments.append(Segment.line())
                segments.extend(line)
            part = _card(Segments(segments), title, step, len(specs), lang, style=style, part=(n, len(pages)))
            out.append((part, n == len(pages)))
    return out


def screen_height() -> int:
    """Lines on the screen: ``LINES``, else the terminal's height, else 24."""
    import shutil

    return max(12, shutil.get_terminal_size((80, 24)).lines)


def play(
    console: Console,
    scenario: Scenario,
    pack: Pack,
    lang: str,
    *,
    auto: bool = False,
    pause: Callable[[str], object] | None = None,
    height: int | None = None,
) -> RequestResult:
    """Show a scenario; between steps wait for Enter (``pause``, default ``console.input``) unless ``auto``.

    Every card fits a screen of ``height`` lines (default :func:`screen_height`) with the prompt below it:
    a taller step is shown in parts, with "continue" between them. On a terminal each card starts on a
    clean screen, like a slide. When the input ends (EOF), the rest plays without pauses.
    """
    result = assess_scenario(scenario, pack, lang)
    wait = pause or (lambda prompt: console.input(prompt))
    shown = cards(console, scenario, result, pack, lang, height or screen_height())
    slides = not auto and console.is_terminal  # at a projector: one panel on a clean screen per step
    for i, (card, step_ends) in enumerate(shown):
        if slides and not auto:
            console.clear()
        console.print(card)
        if not auto and i < len(shown) - 1:
            try:
                wait(WORDS[lang]["next" if step_ends else "more"])
            except EOFError:
                auto = True
                console.print()
    return result


__all__ = ["BY_ID", "SCENARIOS", "Scenario", "assess_scenario", "cards", "play", "steps"]
