"""``nami screen LIST``: screen a purchase list or spend file row by row."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nami_cli.commands.common import (
    Color,
    ColorOpt,
    FailOnOpt,
    LangOpt,
    OutputOpt,
    QuietOpt,
    RulesOpt,
    guard,
    refuse_clashes,
    resolve_lang,
    stderr_console,
    stdout_path,
)
from nami_cli.i18n import t
from nami_cli.lists.formats import INPUT_FORMATS, OUTPUT_FORMATS, choices

if TYPE_CHECKING:
    from nami_cli.assess.screening import Screened

TABLE_ROWS = 50  # rows shown in the terminal table; the file output holds them all


if TYPE_CHECKING:
    ScreenFormat = Enum
    InputFormat = Enum
else:  # the values of --format and --input-format: the formats nami writes and reads (lists/formats.py)
    ScreenFormat = choices("ScreenFormat", OUTPUT_FORMATS)
    InputFormat = choices("InputFormat", INPUT_FORMATS)


class CurrencyOpt(str, Enum):
    EUR = "EUR"
    GBP = "GBP"
    USD = "USD"


@guard
def screen(
    list_file: Annotated[
        str,
        typer.Argument(
            metavar="LIST",
            help="Purchase list or spend file: csv, xlsx, xls, ods, json, jsonl, OCDS; - = stdin.",
        ),
    ],
    fmt: Annotated[
        ScreenFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: from -o's extension, else csv).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", metavar="FIELD=COLUMN", help="Map a field to a column (repeatable).", show_default=False
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet", metavar="NAME", help="Sheet of a workbook, by name or number (default: the first)."
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None, typer.Option("--input-format", help="Read as this format (default: detected).")
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            metavar="CHAR",
            help="CSV output delimiter: one character, \\t for a tab (default: the input's).",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME", help="CSV output encoding (default: the input's)."),
    ] = None,
    summary_file: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            metavar="FILE",
            help="Write the summary as JSON to this file; - is stdout.",
            show_default=False,
        ),
    ] = None,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Write an HTML summary report to this file; - is stdout.",
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        CurrencyOpt | None,
        typer.Option(
            "--currency",
            case_sensitive=False,
            help="Currency of the amounts (default: from the list's headers and amounts, else EUR).",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    fail_on: FailOnOpt = "opportunity",
    color: ColorOpt = Color.auto,
    quiet: QuietOpt = False,
) -> None:
    """Screen every row of a purchase list: an annotated copy, and a summary of spend per strategy."""
    import contextlib

    from nami_cli.assess.result import exit_code_for
    from nami_cli.assess.screening import NAMI_COLUMNS, Screened, Screener, screen_source
    from nami_cli.assess.summary import ScreenTally
    from nami_cli.base.currency import DEFAULT_CURRENCY
    from nami_cli.base.errors import NamiError, Problem
    from nami_cli.lists.columns import map_columns
    from nami_cli.lists.readers import open_list
    from nami_cli.lists.writers import column_kinds, fmt_from_path, open_writer
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    delimiter = _check_delimiter(delimiter)
    _check_encoding(encoding)
    out = stdout_path(output)
    summary_out = None if summary_file is None else stdout_path(summary_file) or "-"
    report_out = None if report_file is None else stdout_path(report_file) or "-"
    on_stdout = [
        name
        for name, used in (
            ("the rows", out is None),
            ("--summary -", summary_out == "-"),
            ("--report -", report_out == "-"),
        )
        if used
    ]
    if len(on_stdout) > 1:
        raise NamiError(
            Problem(
                f"{' and '.join(on_stdout)} would all go to stdout; write the rows to a file with -o FILE "
                "(or -o /dev/null), or the summary or report to a file (nothing was read or written)"
            )
        )
    refuse_clashes(
        [list_file], [("-o", output), ("--summary", summary_file), ("--report", report_file)], rules
    )
    pack = load_pack(rules or [])
    err = stderr_console(color)
    show = not quiet
    table_mode = output is None and fmt is None and sys.stdout.isatty()
    out_fmt = fmt.value if fmt is not None else fmt_from_path(out) or "csv"
    if out_fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise typer.BadParameter(
            "xlsx is a binary format: write it to a file with -o FILE.xlsx", param_hint="--format"
        )

    with open_list(
        list_file, sheet=sheet, input_format=input_format.value if input_format else None
    ) as source:
        cmap = map_columns(
            source.headers, mapping or [], file=list_file, sample=source.sample(), sheets=source.other_sheets
        )
        if show:
            from nami_cli.render.screen_text import print_mapping

            print_mapping(err, list_file, source.sheet, source.format, cmap.describe(language), language)
        headers = [*source.headers, *NAMI_COLUMNS]
        csv_delimiter = delimiter or (source.delimiter if source.format == "csv" else None) or ","
        csv_encoding = (
            encoding or (source.encoding if source.format in ("csv", "json", "jsonl") else None) or "utf-8"
        )
        tally = ScreenTally(file=list_file)
        screener = Screener(pack)
        shown: list[Screened] = []
        writer_cm: Any = (
            contextlib.nullcontext(None)
            if table_mode
            else open_writer(
                out,
                out_fmt,
                headers,
                delimiter=csv_delimiter,
                encoding=csv_encoding,
                kinds=column_kinds(source.column_kinds(), len(source.headers), cmap.index("amount")),
                decimal=source.decimal,
            )
        )
        progress = _progress(source, show and sys.stderr.isatty(), color, language)
        with writer_cm as writer, progress as bar:
            task = bar.add_task("screening", total=source.size) if bar is not None else None
            blank = ("",) * (len(NAMI_COLUMNS) - 2)
            add = tally.add
            write = writer.write_parts if writer is not None else None
            items = screen_source(source, cmap, screener)
            if bar is not None:
                items = _updating(
                    items, lambda count: bar.update(task, completed=source.bytes_read(), rows=count)
                )
            for item in items:
                row, cells, outcome, amount, error, text, total = item
                add(row, outcome, amount, text, total)
                if write is not None:
                    write(cells, outcome.columns if outcome is not None else blank, error or "", row)
                elif outcome is not None and outcome.strategies and len(shown) < TABLE_ROWS:
                    shown.append(Screened(*item))  # the terminal table
            if bar is not None:
                bar.update(task, completed=source.size, rows=tally.rows_read)
        blank_rows = source.blank_rows

    summary = tally.summary(
        pack,
        language,
        blank_rows=blank_rows,
        currency=currency.value if currency is not None else cmap.currency or DEFAULT_CURRENCY,  # type: ignore[arg-type]
    )
    if table_mode:
        from nami_cli.commands.common import console
        from nami_cli.render.screen_text import print_table

        print_table(console(color), shown, summary, language)
    if show and (sys.stderr.isatty() or table_mode):
        from nami_cli.render.screen_text import print_summary

        print_summary(err, summary, language)
    elif show and summary.rows_with_errors:
        from nami_cli.render.screen_text import errors_line

        err.print(errors_line(summary, language), highlight=False)
    if summary_out is not None:
        from nami_cli.assess.summary import summary_json
        from nami_cli.commands.common import emit

        emit(summary_json(summary), summary_out, quiet=True)
    if report_out is not None:
        from nami_cli.commands.common import emit
        from nami_cli.render import RenderOptions
        from nami_cli.render.screen_report import render_screen_report

        emit(render_screen_report(summary, RenderOptions(lang=language)), report_out, quiet=True)
    verdicts = tally.verdicts()
    raise typer.Exit(exit_code_for(verdicts, fail_on))


def _check_delimiter(delimiter: str | None) -> str | None:
    """The CSV output delimiter: one character that can separate cells and be read back (exit 2 if not)."""
    if delimiter is None:
        return None
    if delimiter in ("\\t", "tab", "TAB"):
        return "\t"
    problem = None
    if len(delimiter) != 1:
        problem = "must be one character"
    elif delimiter in '"\r\n':
        problem = "cannot separate cells: a quote or line break marks text inside a cell; use , ; | or \\t"
    elif not delimiter.isprintable() and delimiter != "\t":
        problem = "must be a printable character; use , ; | or \\t"
    elif delimiter.isalnum():
        problem = "is a letter or digit, which the cells hold too; use , ; | or \\t"
    if problem is not None:
        from nami_cli.base.safetext import visible_line

        raise typer.BadParameter(f"{visible_line(repr(delimiter))} {problem}", param_hint="--delimiter")
    return delimiter


def _check_encoding(encoding: str | None) -> None:
    """An output encoding Python can write text in (exit 2 if not): utf-8, utf-8-sig, cp1252, ..."""
    if encoding is None:
        return
    import codecs

    from nami_cli.base.safetext import visible_line

    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise typer.BadParameter(
            f"unknown text encoding {visible_line(repr(encoding))}; use utf-8, utf-8-sig or cp1252",
            param_hint="--encoding",
        )


def _updating(items: Iterator[Any], update: Callable[[int], Any], every: int = 5000) -> Iterator[Any]:
    """``items`` as they come, calling ``update(count)`` after every ``every`` items (the progress bar;
    without one, the rows are not counted on the way)."""
    for count, item in enumerate(items, start=1):
        yield item
        if count % every == 0:
            update(count)


def progress_text(rows: int, rate: float, lang: str) -> str:
    """The progress bar's count, in the reader's number format: ``12.345 rijen  4.100 rijen/s``."""
    from nami_cli.render.number_format import number

    return t("screen.progress", lang, rows=number(rows, lang), rate=number(rate, lang, 0))


def _progress(source: Any, enabled: bool, color: Color, lang: str) -> Any:
    """A rich progress bar on stderr (bytes of the file, rows and rows per second), or nothing."""
    import contextlib

    if not enabled:
        return contextlib.nullcontext(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    class _Rate(TextColumn):
        def render(self, task: Any) -> Any:
            from rich.text import Text

            rows = int(task.fields.get("rows", 0))
            elapsed = task.elapsed or 0.0
            rate = rows / elapsed if elapsed > 0 else 0.0
            return Text(progress_text(rows, rate, lang))

    return Progress(
        TextColumn("nami screen"),
        BarColumn(),
        _Rate(""),
        TimeElapsedColumn(),
        console=stderr_console(color),
        transient=True,
    )
