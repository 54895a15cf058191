"""``nami interview``: ask the buyer the questions, write a request file that ``nami check`` reproduces.

:func:`run_interview` wires the parts: the starting request (``FILE``), the flow (:mod:`.flow`, asking
through a :mod:`.prompter`), the output file name, the writer (:mod:`.writer`) and the assessment. The
assessment is made by reading the written file back with the same loader and engine as ``nami check``, so
what the buyer sees at the end is what ``nami check OUT`` prints. Nothing is written before the last
question is answered; Ctrl-C (``KeyboardInterrupt``) leaves every file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nami_cli.i18n import Msg, words

if TYPE_CHECKING:
    from nami_cli.assess.result import RequestResult
    from nami_cli.interactive.interview.prompter import Prompter
    from nami_cli.rulepack.pack import Pack

WORDS: dict[str, dict[str, str]] = words("interview.file")


@dataclass
class InterviewOutcome:
    """What an interview produced: the file written, the request data and its assessment."""

    path: Path
    data: dict[str, Any]
    result: RequestResult


def path_problem(name: str, lang: str) -> str | None:
    """Why ``name`` cannot be written to, or None."""
    target = Path(name)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        return WORDS[lang]["is_folder"].format(file=name)
    if not folder.is_dir():
        return WORDS[lang]["no_folder"].format(folder=str(folder))
    return None


def load_start(path: Path, pack: Pack) -> dict[str, Any]:
    """An existing request as a dict of the keys its file sets; invalid files raise NamiError (exit 3)."""
    from nami_cli.assess.engine import check_references
    from nami_cli.load.request import load_request

    request, doc = load_request(str(path), pack=pack)
    check_references(request, pack, doc, str(path))
    from nami_cli.interactive.interview.writer import plain_data

    data: dict[str, Any] = plain_data(
        request.model_dump(mode="python", exclude_unset=True, exclude_none=True)
    )
    return data


def choose_output(prompter: Prompter, lang: str, *, output: Path | None, source: Path | None) -> Path:
    """The file to write: ``-o``, else asked; an existing file only after the buyer confirms."""
    words = WORDS[lang]
    target = output
    while True:
        if target is None:
            default = str(source) if source is not None else words["default_file"]
            name = prompter.text(
                "output",
                words["save_as"],
                default=default,
                required=True,
                check=lambda v: path_problem(v, lang),
            )
            target = Path(name or default)
        if not target.exists():
            return target
        if prompter.confirm("overwrite", words["overwrite"].format(file=target), default=False):
            return target
        target = None


def run_interview(
    prompter: Prompter,
    pack: Pack,
    *,
    lang: str,
    source: Path | None = None,
    output: Path | None = None,
) -> InterviewOutcome:
    """Run the interview, write the request file atomically and assess it as ``nami check`` would."""
    from nami_cli.assess.engine import assess
    from nami_cli.base.atomic import atomic_write_text
    from nami_cli.base.errors import NamiError, Problem
    from nami_cli.interactive.interview.flow import run_flow
    from nami_cli.interactive.interview.writer import canonical, dump_request
    from nami_cli.load.request import load_request, validate_request

    if output is not None:
        problem = path_problem(str(output), lang)
        if problem is not None:
            raise NamiError(Problem(Msg("output.cannot_write_why", reason=problem), file=str(output)))
    start = load_start(source, pack) if source is not None else None
    data = run_flow(prompter, pack, lang=lang, start=start)
    validate_request(canonical(data), file="<interview>")
    target = choose_output(prompter, lang, output=output, source=source)
    atomic_write_text(target, dump_request(data, name=str(target)))
    request, doc = load_request(str(target), pack=pack)
    result = assess(request, pack, lang=lang, file=str(target), doc=doc)
    return InterviewOutcome(target, canonical(data), result)


__all__ = ["InterviewOutcome", "choose_output", "load_start", "path_problem", "run_interview"]
