"""Options shared by the commands, the console, output writing and the error guard."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


class Lang(str, Enum):
    nl = "nl"
    en = "en"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class FailOn(str, Enum):
    opportunity = "opportunity"
    open = "open"
    never = "never"


LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang", help="Language of the output: nl or en (default: $NAMI_LANG, else nl).", show_default=False
    ),
]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="DIR",
        help="An extra rule pack folder, applied on top of the shipped pack (repeatable).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to this file (atomically) instead of stdout.",
        show_default=False,
    ),
]
ColorOpt = Annotated[
    Color, typer.Option("--color", help="Colour: auto (a terminal without NO_COLOR), always or never.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")]
FailOnOpt = Annotated[
    FailOn,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a strategy has this verdict or worse: opportunity, open (also unanswered), never.",
    ),
]


def resolve_lang(lang: Lang | None) -> str:
    from nami_cli.vocab import default_lang

    return lang.value if lang is not None else default_lang()


def use_color(choice: Color, stream: Any = None) -> bool:
    """Colour or not, from --color, NO_COLOR, FORCE_COLOR and whether ``stream`` is a terminal."""
    if choice is Color.always:
        return True
    if choice is Color.never:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream if stream is not None else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(color: Color = Color.auto, *, stderr: bool = False) -> Any:
    """A rich console on stdout (or stderr), built per invocation (never at import time)."""
    from rich.console import Console

    colored = use_color(color, sys.stderr if stderr else sys.stdout)
    return Console(
        stderr=stderr,
        color_system="standard" if colored else None,
        force_terminal=colored if color is not Color.auto else None,
        highlight=False,
        emoji=False,
    )


def stderr_console(color: Color = Color.auto) -> Any:
    """A rich console on stderr."""
    return console(color, stderr=True)


def emit(text: str, output: Path | None, *, quiet: bool = False, binary: bytes | None = None) -> None:
    """Write ``text`` to ``output`` atomically, or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from nami_cli.atomic import atomic_write_text

    atomic_write_text(output, text)
    if not quiet:
        print(f"nami: wrote {output}", file=sys.stderr)


def print_problems(problems: list[Any]) -> None:
    for problem in problems:
        print(f"nami: {problem}" if not problem.file else str(problem), file=sys.stderr)


def guard(fn: F) -> F:
    """Map invalid input to exit 3 with its messages, Ctrl-C to 130, a closed pipe to a quiet end."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nami_cli.errors import NamiError

        try:
            return fn(*args, **kwargs)
        except NamiError as exc:
            print_problems(exc.problems)
            raise typer.Exit(3) from None
        except KeyboardInterrupt:
            print("nami: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]
