"""``nami init [FILE]``: write a commented request template to start from."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nami_cli.commands.common import LangOpt, RulesOpt, guard, refuse_clashes, resolve_lang


@guard
def init(
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE",
            help="Where to write the template; - writes to stdout. "
            "Default: aanvraag.yaml (--lang nl) or request.yaml (--lang en) in the current folder.",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite FILE if it exists (otherwise nami refuses).")
    ] = False,
) -> None:
    """Write a request template: every field with a comment on what it means, ready for `nami check`."""
    from nami_cli.base.atomic import atomic_write_text
    from nami_cli.base.errors import NamiError, Problem
    from nami_cli.i18n import Msg, t
    from nami_cli.load.request_template import DEFAULT_FILE, request_template
    from nami_cli.rulepack.pack import load_pack

    language = resolve_lang(lang)
    target = file if file is not None else DEFAULT_FILE[language]
    refuse_clashes([], [("FILE", target)], rules)  # "-" is stdout: never a clash
    pack = load_pack(rules or [])
    if target == "-":
        sys.stdout.write(request_template(pack, language))
        sys.stdout.flush()
        return
    path = Path(target)
    if path.is_dir():
        raise NamiError(Problem(Msg("init.is_folder"), file=target))
    if path.exists() and not force:
        raise NamiError(Problem(Msg("init.exists"), file=target))
    atomic_write_text(path, request_template(pack, language, file=target))
    done = t("init.done", language, file=target)
    from nami_cli.base.safetext import visible_line

    print(visible_line(done), file=sys.stderr)
