"""Options shared by the commands, the console, output writing and the error guard."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from nami_cli.base.vocab import LANGS, FailOn, Lang
from nami_cli.i18n import words

F = TypeVar("F", bound=Callable[..., Any])


class Color(str, Enum):
    auto = "auto"
    always = "always"
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
        help="Write to this file (atomically) instead of stdout; - is stdout.",
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
    from nami_cli.base.vocab import default_lang

    return lang if lang is not None else default_lang()


STOPPED = words("stopped")
"""How nami says it was stopped (Ctrl-C, a signal), in the language of the command."""


def argv_lang(argv: list[str]) -> str:
    """The language a command line asks for (``--lang en``, ``--lang=en``), else the default."""
    from nami_cli.base.vocab import LANGS, default_lang

    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            return value
    return default_lang()


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


INTERNAL_ERROR = 4  # an unexpected error (a bug, or memory exhausted): never 0, 1, 2 or 3


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C, so temporary files are removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stdout_path(output: Path | str | None) -> str | None:
    """The file an ``-o`` option names, or None for stdout (no option, or ``-o -``)."""
    if output is None:
        return None
    name = str(output)
    return None if name == "-" else name


def refuse_clashes(
    inputs: list[str], outputs: list[tuple[str, Path | str | None]], rules: list[Path] | None = None
) -> None:
    """Exit 3 before anything is read or written if an output would replace an input or another output."""
    from nami_cli.base.atomic import refuse_clashes as check
    from nami_cli.base.atomic import rule_files
    from nami_cli.rulepack.location import shipped_rules_dir

    check([*inputs, *rule_files([shipped_rules_dir(), *(rules or [])])], outputs)


def emit(text: str, output: Path | str | None, *, quiet: bool = False, lang: str | None = None) -> None:
    """Write ``text`` to ``output`` (atomically for a regular file), or to stdout (None or ``-``)."""
    path = stdout_path(output)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from nami_cli.base.atomic import atomic_write_text

    atomic_write_text(path, text)
    if not quiet:
        from nami_cli.base.safetext import visible_line
        from nami_cli.i18n import t

        print(visible_line(t("common.wrote", lang or argv_lang(sys.argv), path=path)), file=sys.stderr)


def print_problems(problems: list[Any], lang: str = "en") -> None:
    for problem in problems:  # problem.text() shows control characters in data as \x1b
        line = problem.text(lang)
        print(f"nami: {line}" if not problem.file else line, file=sys.stderr)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: output still buffered for a pipe or disk that failed is dropped at exit
    instead of failing again (with a traceback) while the interpreter shuts down."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _stdout_failed() -> bool:
    """Whether stdout is what failed: flushing it fails again."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def finish_stdout(lang: str | None = None) -> bool:
    """Flush stdout at the end of a run; on failure say so, drop what is left, return False."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading: a quiet end, as in the guard
        _quiet_stdout()
        return True
    except (OSError, ValueError) as exc:
        _quiet_stdout()
        reason = getattr(exc, "strerror", None) or str(exc)
        from nami_cli.i18n import t

        print(t("common.stdout_failed_reason", lang or argv_lang(sys.argv), reason=reason), file=sys.stderr)
        return False
    return True


def _install_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP end the run like Ctrl-C does (cleanly, temporary files removed)."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, signal.SIG_IGN)  # a second signal must not interrupt the clean-up
        raise Terminated(signum)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, stop)
        except (ValueError, OSError):  # not the main thread
            continue
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    import signal

    for signum, handler in previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def report_os_error(exc: OSError, lang: str = "en") -> None:
    """One line for an I/O error nami did not turn into a message itself: which file (or stdout), why."""
    import errno

    from nami_cli.base.safetext import visible_line
    from nami_cli.i18n import t

    write_error = exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EIO, getattr(errno, "EDQUOT", 0))
    if _stdout_failed() or (exc.filename is None and write_error):
        _quiet_stdout()
        where = t("common.stdout_failed", lang)
    else:
        where = str(exc.filename) if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    print(visible_line(f"nami: {where}: {reason}" if where else f"nami: {reason}"), file=sys.stderr)


def report_internal_error(exc: BaseException, lang: str = "en") -> None:
    """One line on stderr for an unexpected error (exit 4); the traceback only with NAMI_DEBUG=1."""
    from nami_cli import __version__
    from nami_cli.base.safetext import visible_line
    from nami_cli.i18n import t

    if isinstance(exc, MemoryError):
        print(t("common.out_of_memory", lang), file=sys.stderr)
        return
    if os.environ.get("NAMI_DEBUG"):
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    detail = visible_line(str(exc))
    if len(detail) > 300:
        detail = detail[:300] + "…"
    message = t(
        "common.internal_error",
        lang,
        error=type(exc).__name__,
        detail=f": {detail}" if detail else "",
        version=__version__,
    )
    print(message, file=sys.stderr)


def _lang_of(kwargs: dict[str, Any]) -> str:
    lang = kwargs.get("lang")
    return lang if lang in LANGS else argv_lang(sys.argv)


def guard(fn: F) -> F:
    """Map every way a command can end to its exit code, with a message and never a traceback.

    invalid input or output (and an I/O error) -> 3 with its messages; Ctrl-C -> 130; SIGTERM/SIGHUP
    -> 128 + the signal; a closed pipe -> a quiet end (0); anything unexpected -> 4 (internal error).
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from typer.exceptions import TyperException

        from nami_cli.base.errors import NamiError

        previous = _install_signals()
        try:
            return fn(*args, **kwargs)
        except NamiError as exc:
            print_problems(exc.problems, _lang_of(kwargs))
            raise typer.Exit(3) from None
        except KeyboardInterrupt:
            print(STOPPED[_lang_of(kwargs)]["interrupted"], file=sys.stderr)
            raise typer.Exit(130) from None
        except Terminated as exc:
            print(STOPPED[_lang_of(kwargs)]["signal"], file=sys.stderr)
            raise typer.Exit(128 + exc.signum) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, TyperException):  # typer's own ends (usage errors: exit 2)
            raise
        except OSError as exc:
            report_os_error(exc, _lang_of(kwargs))
            raise typer.Exit(3) from None
        except (Exception, MemoryError) as exc:
            report_internal_error(exc, _lang_of(kwargs))
            raise typer.Exit(INTERNAL_ERROR) from None
        finally:
            _restore_signals(previous)

    return wrapper  # type: ignore[return-value]
