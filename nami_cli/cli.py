"""The ``nami`` command line: wires the commands together. No domain logic lives here."""

from __future__ import annotations

from typing import Annotated

import typer

from nami_cli import __version__
from nami_cli.commands.check import check
from nami_cli.commands.demo import demo
from nami_cli.commands.helpfmt import NamiCommand, NamiGroup, examples
from nami_cli.commands.init import init
from nami_cli.commands.interview import interview
from nami_cli.commands.rules import matrix, rules_app
from nami_cli.commands.schema import schema
from nami_cli.commands.screen import screen

app = typer.Typer(
    name="nami",
    help="nami — Niet, Anders, Minder Inkopen: refuse, rethink, reduce before you buy.",
    no_args_is_help=True,
    cls=NamiGroup,
    epilog=examples(""),
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def shipped_pack_version() -> str:
    """Name and version of the shipped rule pack, read without importing yaml or pydantic."""
    from nami_cli.rulepack.info import shipped_pack_label

    return shipped_pack_label()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nami {__version__}")
        typer.echo(f"rules {shipped_pack_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Show the version of nami and of its rule pack.",
            is_eager=True,
            callback=_version,
        ),
    ] = False,
) -> None:
    """nami — Niet, Anders, Minder Inkopen: refuse, rethink, reduce before you buy."""


app.command("init", cls=NamiCommand, epilog=examples("init"))(init)
app.command("check", cls=NamiCommand, epilog=examples("check"))(check)
app.command("screen", cls=NamiCommand, epilog=examples("screen"))(screen)
app.command("interview", cls=NamiCommand, epilog=examples("interview"))(interview)
app.command("demo", cls=NamiCommand, epilog=examples("demo"))(demo)
app.command("schema", cls=NamiCommand, epilog=examples("schema"))(schema)
app.command("matrix", cls=NamiCommand, epilog=examples("matrix"))(matrix)
app.add_typer(rules_app, name="rules")


def main() -> None:
    """The ``nami`` entry point: the app, plus the ends no command guard sees.

    An unexpected error outside a command (while parsing the command line) is exit 4 with one line, as
    inside one; stdout that cannot take the last buffered output (a full disk) is exit 3 with a message
    instead of Python's "Exception ignored" at shutdown.
    """
    import sys

    from nami_cli.commands.common import (
        INTERNAL_ERROR,
        STOPPED,
        argv_lang,
        finish_stdout,
        report_internal_error,
        report_os_error,
    )

    try:
        app()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, (int, str)) or exc.code is None else 1
    except KeyboardInterrupt:
        print(STOPPED[argv_lang(sys.argv)]["interrupted"], file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0 if finish_stdout() else 3
    except OSError as exc:
        report_os_error(exc, argv_lang(sys.argv))
        code = 3
    except (Exception, MemoryError) as exc:
        report_internal_error(exc, argv_lang(sys.argv))
        code = INTERNAL_ERROR
    if not finish_stdout() and code in (0, 1, None):
        code = 3
    sys.exit(code)
