"""Golden outputs: run the installed ``nami`` on every example in every output format, to show that a
refactoring leaves what users see byte-for-byte the same.

    python benchmarks/golden.py OUT_DIR [--nami PATH] [--jobs N] [--only GLOB]   # write the outputs
    python benchmarks/golden.py --compare BEFORE_DIR AFTER_DIR      # which files differ

Writing: each case runs ``nami`` as a process with a fixed environment (``SOURCE_DATE_EPOCH``,
``NO_COLOR``, ``COLUMNS``, ``TZ``, ``NAMI_LANG`` unset) in a scratch folder that holds a copy of
``examples/`` (so paths in messages are the same relative paths on every run), and keeps three files per
case in OUT_DIR: ``NAME.out`` (stdout, or the file written with ``-o``/``--report``/``--summary``, and
then stdout in ``NAME.stdout``), ``NAME.err`` (stderr) and ``NAME.exit`` (the exit code). The cases cover:

- ``nami check``: every request in ``examples/requests/`` in every ``--format`` and both ``--lang``; all
  requests at once (the overview); stdin; the example organisation pack (``--rules examples/rules``);
  the text format once with ``--color always`` and once on a terminal;
- ``nami screen``: every list in ``examples/lists/`` in every ``--format`` and both languages, with
  ``--summary`` and ``--report``, the CSV output options ``--delimiter``/``--encoding``, and on a
  terminal (stdout a pseudo-terminal: the table of rows and the summary);
- ``nami matrix`` (every format, with and without ``--ids``), ``nami rules list`` (every format and
  selection), ``nami rules show`` for every id the pack lists, ``nami rules validate``/``test`` (shipped and
  example pack), ``nami rules eval``, ``nami schema`` (every name), ``nami init -``, ``nami demo --auto``
  and the ``--help`` of every command.

Comparing: files present in one folder only, and files whose bytes differ, each with a short unified
diff (text) or the sizes (binary; for a zip such as xlsx, the members that differ). An xlsx whose only
difference is the creation/modification time openpyxl stamps into ``docProps/core.xml`` (nami does not
take it from ``SOURCE_DATE_EPOCH``) is counted apart, not as a difference. ``--only GLOB`` limits
either mode to the cases whose name matches. Exit 0 when the two folders hold the same files with the
same bytes (but for those timestamps), else 1.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LANGS = ("nl", "en")
CHECK_FORMATS = ("text", "json", "markdown", "html")
SCREEN_FORMATS = ("csv", "tsv", "xlsx", "jsonl", "json")
MATRIX_FORMATS = ("text", "json", "markdown")
LIST_FORMATS = ("text", "json")
LIST_SELECTIONS: dict[str, list[str]] = {
    "rules": [],
    "obstacles": ["--obstacles"],
    "interventions": ["--interventions"],
    "obstacles-interventions": ["--obstacles", "--interventions"],
    "all": ["--all"],
}
SCHEMAS = ("request", "rules", "result", "summary")  # summary: only once `nami schema summary` exists
COMMANDS = (
    [],
    ["check"],
    ["screen"],
    ["matrix"],
    ["schema"],
    ["init"],
    ["interview"],
    ["demo"],
    ["rules"],
    ["rules", "list"],
    ["rules", "show"],
    ["rules", "validate"],
    ["rules", "test"],
    ["rules", "eval"],
)
ENV = {
    "SOURCE_DATE_EPOCH": "1790000000",  # 2026-09-21: reports carry this date, not today's
    "NO_COLOR": "1",
    "COLUMNS": "100",
    "LINES": "40",
    "TZ": "UTC",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
}
DROP_ENV = ("NAMI_LANG", "NAMI_DEBUG", "FORCE_COLOR", "TERM", "COLORTERM", "CLICOLOR", "CLICOLOR_FORCE")


@dataclass
class Case:
    """One run of nami: its arguments; ``output`` names the file nami writes (else stdout is kept)."""

    name: str
    args: list[str]
    output: str | None = None
    stdin: str | None = None  # a path relative to the scratch folder, fed to stdin
    env: dict[str, str] = field(default_factory=dict)
    tty: bool = False  # stdout is a terminal (a pty): the views nami only shows on a terminal


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def cases(nami: str) -> Iterator[Case]:
    """Every case, in a fixed order; ``nami`` is asked once for the ids of the pack."""
    requests = sorted((EXAMPLES / "requests").iterdir())
    lists = sorted((EXAMPLES / "lists").iterdir())
    org_pack = _rel(EXAMPLES / "rules")

    for request in requests:
        for lang in LANGS:
            for fmt in CHECK_FORMATS:
                yield Case(
                    f"check/{request.stem}.{lang}.{fmt}", ["check", _rel(request), "-f", fmt, "--lang", lang]
                )
    all_requests = [_rel(r) for r in requests]
    for lang in LANGS:
        for fmt in CHECK_FORMATS:
            yield Case(f"check/_all.{lang}.{fmt}", ["check", *all_requests, "-f", fmt, "--lang", lang])
            yield Case(
                f"check/_orgpack.{lang}.{fmt}",
                ["check", "--rules", org_pack, *all_requests, "-f", fmt, "--lang", lang],
            )
        yield Case(
            f"check/_written.{lang}.html",
            ["check", all_requests[0], "-f", "html", "--lang", lang, "-o", "written.html"],
            output="written.html",
        )
    for lang in LANGS:
        yield Case(f"check/_terminal.{lang}.text", ["check", *all_requests, "--lang", lang], tty=True)
    yield Case("check/_stdin.nl.text", ["check", "-"], stdin=all_requests[0])
    yield Case("check/_failon-never.nl.text", ["check", all_requests[0], "--fail-on", "never"])
    yield Case("check/_failon-open.nl.json", ["check", *all_requests, "--fail-on", "open", "-f", "json"])
    yield Case("check/_color.nl.text", ["check", all_requests[0], "--color", "always"])
    yield Case("check/_color.en.text", ["check", *all_requests, "--color", "always", "--lang", "en"])

    for spend in lists:
        src = _rel(spend)
        for lang in LANGS:
            base = f"screen/{spend.stem}.{lang}"
            for fmt in SCREEN_FORMATS:
                out = f"screened.{fmt}"
                yield Case(f"{base}.{fmt}", ["screen", src, "-f", fmt, "-o", out, "--lang", lang], output=out)
            yield Case(f"{base}.stdout-csv", ["screen", src, "--lang", lang])
            yield Case(
                f"{base}.summary-json",
                ["screen", src, "--lang", lang, "-o", "/dev/null", "--summary", "summary.json"],
                output="summary.json",
            )
            yield Case(
                f"{base}.summary-stdout",
                ["screen", src, "--lang", lang, "-o", "/dev/null", "--summary", "-"],
            )
            yield Case(
                f"{base}.report-html",
                ["screen", src, "--lang", lang, "-o", "/dev/null", "--report", "report.html"],
                output="report.html",
            )
            yield Case(
                f"{base}.report-stdout",
                ["screen", src, "--lang", lang, "-o", "/dev/null", "--report", "-"],
            )
            yield Case(
                f"{base}.orgpack-csv", ["screen", src, "--lang", lang, "--rules", org_pack, "-f", "csv"]
            )
            yield Case(f"{base}.failon-never", ["screen", src, "--lang", lang, "--fail-on", "never"])
            yield Case(
                f"{base}.color", ["screen", src, "--lang", lang, "-o", "/dev/null", "--color", "always"]
            )
        yield Case(
            f"screen/{spend.stem}.nl.csv-semicolon-utf8sig",
            ["screen", src, "-f", "csv", "--delimiter", ";", "--encoding", "utf-8-sig"],
        )
        yield Case(f"screen/{spend.stem}.nl.tsv-tab", ["screen", src, "-f", "csv", "--delimiter", "\\t"])
    for spend in lists:
        for lang in LANGS:
            yield Case(
                f"screen/{spend.stem}.{lang}.terminal", ["screen", _rel(spend), "--lang", lang], tty=True
            )
    yield Case("screen/_stdin.nl.csv", ["screen", "-", "--input-format", "csv"], stdin=_rel(lists[0]))

    for lang in LANGS:
        for fmt in MATRIX_FORMATS:
            yield Case(f"matrix/matrix.{lang}.{fmt}", ["matrix", "-f", fmt, "--lang", lang])
            yield Case(f"matrix/matrix-ids.{lang}.{fmt}", ["matrix", "--ids", "-f", fmt, "--lang", lang])
            yield Case(
                f"matrix/matrix-orgpack.{lang}.{fmt}",
                ["matrix", "--rules", org_pack, "-f", fmt, "--lang", lang],
            )
        yield Case(f"matrix/matrix-terminal.{lang}.text", ["matrix", "--lang", lang], tty=True)
        yield Case(
            f"rules-list/all-terminal.{lang}.text", ["rules", "list", "--all", "--lang", lang], tty=True
        )
        yield Case(f"matrix/matrix-color.{lang}.text", ["matrix", "--color", "always", "--lang", lang])

    for lang in LANGS:
        for fmt in LIST_FORMATS:
            for sel, flags in LIST_SELECTIONS.items():
                yield Case(
                    f"rules-list/{sel}.{lang}.{fmt}", ["rules", "list", *flags, "-f", fmt, "--lang", lang]
                )
            yield Case(
                f"rules-list/all-orgpack.{lang}.{fmt}",
                ["rules", "list", "--all", "--rules", org_pack, "-f", fmt, "--lang", lang],
            )
        yield Case(
            f"rules-list/all-color.{lang}.text",
            ["rules", "list", "--all", "--color", "always", "--lang", lang],
        )

    listing = subprocess.run(
        [nami, "rules", "list", "--all", "--rules", str(EXAMPLES / "rules"), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    ids = [
        item["id"]
        for kind in ("rules", "categories", "obstacles", "interventions")
        for item in json.loads(listing.stdout)[kind]
    ]
    for ident in ids:
        for lang in LANGS:
            yield Case(
                f"rules-show/{ident}.{lang}", ["rules", "show", ident, "--lang", lang, "--rules", org_pack]
            )
    yield Case("rules-show/_unknown", ["rules", "show", "no-such-id"])
    yield Case(f"rules-show/{ids[0]}.color", ["rules", "show", ids[0], "--color", "always"])

    for name, extra in (("shipped", []), ("orgpack", [org_pack])):
        yield Case(f"rules/validate-{name}", ["rules", "validate", *extra])
        yield Case(f"rules/test-{name}", ["rules", "test", *extra])
    yield Case("rules/eval.text", ["rules", "eval", _rel(ROOT / "tests" / "corpus")])
    yield Case("rules/eval.json", ["rules", "eval", _rel(ROOT / "tests" / "corpus"), "-f", "json"])

    for schema in SCHEMAS:
        yield Case(f"schema/{schema}", ["schema", schema])
    yield Case("schema/request-orgpack", ["schema", "request", "--rules", org_pack])

    for lang in LANGS:
        yield Case(f"init/template.{lang}", ["init", "-", "--lang", lang])
        yield Case(f"demo/auto.{lang}", ["demo", "--auto", "--lang", lang])
        yield Case(f"demo/list.{lang}", ["demo", "--list", "--lang", lang])

    for command in COMMANDS:
        yield Case(f"help/{'-'.join(command) or 'nami'}", [*command, "--help"])
    yield Case("help/version", ["--version"])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env.update(ENV)
    return env


def run_case(nami: str, case: Case, out_dir: Path) -> None:
    """Run one case in its own scratch folder with a copy of the examples and keep its outputs."""
    with tempfile.TemporaryDirectory(prefix="nami-golden-") as tmp:
        work = Path(tmp)
        shutil.copytree(EXAMPLES, work / "examples")
        shutil.copytree(ROOT / "tests" / "corpus", work / "tests" / "corpus")
        stdin = (work / case.stdin).read_bytes() if case.stdin else b""
        env = {**_env(), **case.env}
        if case.tty:
            proc = _run_on_a_terminal([nami, *case.args], work, stdin, env)
        else:
            proc = subprocess.run(
                [nami, *case.args], cwd=work, input=stdin, capture_output=True, env=env, timeout=600
            )
        target = out_dir / case.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = work / case.output if case.output else None
        if written is not None and written.exists():
            main_out = written.read_bytes()
            Path(f"{target}.stdout").write_bytes(proc.stdout)
        else:
            main_out = proc.stdout
        Path(f"{target}.out").write_bytes(main_out)
        Path(f"{target}.err").write_bytes(proc.stderr)
        Path(f"{target}.exit").write_text(f"{proc.returncode}\n")


def _run_on_a_terminal(
    cmd: list[str], cwd: Path, stdin: bytes, env: dict[str, str]
) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout on a pseudo-terminal (stderr a pipe, so no progress bar): what a person sees."""
    import pty
    import threading

    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=secondary, stderr=subprocess.PIPE, env=env
    )
    os.close(secondary)
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read() if proc.stderr else b""))
    reader.start()
    if proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    out = bytearray()
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(primary)
    code = proc.wait(timeout=600)
    reader.join()
    return subprocess.CompletedProcess(cmd, code, bytes(out), err[0] if err else b"")


def write(out_dir: Path, nami: str, jobs: int, only: str | None) -> int:
    if out_dir.exists() and any(out_dir.iterdir()):
        sys.exit(f"golden: {out_dir} is not empty; give a new folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = [c for c in cases(nami) if only is None or fnmatch.fnmatch(c.name, only)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for _ in pool.map(lambda c: run_case(nami, c, out_dir), todo):
            pass
    (out_dir / "CASES.txt").write_text(
        "".join(f"{c.name}\tnami {' '.join(c.args)}{' < ' + c.stdin if c.stdin else ''}\n" for c in todo)
    )
    print(f"golden: {len(todo)} cases written to {out_dir}")
    return 0


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _describe(a: bytes, b: bytes, name: str, max_lines: int) -> list[str]:
    try:
        ta, tb = a.decode("utf-8"), b.decode("utf-8")
    except UnicodeDecodeError:
        lines = [f"  binary: {len(a)} bytes -> {len(b)} bytes"]
        try:
            za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
            names = sorted(set(za.namelist()) | set(zb.namelist()))
            for member in names:
                ma = za.read(member) if member in za.namelist() else None
                mb = zb.read(member) if member in zb.namelist() else None
                if ma != mb:
                    lines.append(f"  zip member differs: {member}")
                    if ma is not None and mb is not None:
                        lines.extend(_describe(ma, mb, f"{name}:{member}", max_lines)[:max_lines])
        except zipfile.BadZipFile:
            pass
        return lines
    diff = list(
        difflib.unified_diff(
            ta.splitlines(), tb.splitlines(), f"before/{name}", f"after/{name}", n=1, lineterm=""
        )
    )
    shown = ["  " + line for line in diff[:max_lines]]
    if len(diff) > max_lines:
        shown.append(f"  … {len(diff) - max_lines} more diff lines")
    return shown


_TIMESTAMP = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _timestamps_only(a: bytes, b: bytes) -> bool:
    """Two xlsx files that differ only in the creation/modification time openpyxl writes."""
    try:
        za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    except zipfile.BadZipFile:
        return False
    if za.namelist() != zb.namelist():
        return False
    for member in za.namelist():
        ma, mb = za.read(member), zb.read(member)
        if ma != mb and (member != "docProps/core.xml" or _TIMESTAMP.sub(b"", ma) != _TIMESTAMP.sub(b"", mb)):
            return False
    return True


def compare(before: Path, after: Path, max_lines: int, only: str | None) -> int:
    for folder in (before, after):
        if not folder.is_dir():
            sys.exit(f"golden: {folder} is not a folder")

    def wanted(name: str) -> bool:
        return name != "CASES.txt" and (only is None or fnmatch.fnmatch(name.rsplit(".", 1)[0], only))

    fa = {n for n in _files(before) if wanted(n)}
    fb = {n for n in _files(after) if wanted(n)}
    only_before, only_after = sorted(fa - fb), sorted(fb - fa)
    differ, stamped = [], []
    for name in sorted(fa & fb):
        a, b = (before / name).read_bytes(), (after / name).read_bytes()
        if a != b:
            (stamped if _timestamps_only(a, b) else differ).append(name)
    for name in only_before:
        print(f"only in {before}: {name}")
    for name in only_after:
        print(f"only in {after}: {name}")
    for name in differ:
        print(f"differs: {name}")
        for line in _describe((before / name).read_bytes(), (after / name).read_bytes(), name, max_lines):
            print(line)
    same = len(fa & fb) - len(differ) - len(stamped)
    print(
        f"golden: {same} files identical, {len(stamped)} xlsx differ only in their timestamps, "
        f"{len(differ)} differ, {len(only_before)} only before, {len(only_after)} only after"
    )
    return 0 if not (differ or only_before or only_after) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="folder to write the outputs to (new or empty)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument(
        "--nami", default=None, help="the nami executable (default: beside this Python, else PATH)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cases run at once")
    parser.add_argument("--only", metavar="GLOB", help="only the cases whose name matches, e.g. 'screen/*'")
    parser.add_argument("--diff-lines", type=int, default=20, help="unified diff lines shown per file")
    args = parser.parse_args()
    if args.compare:
        return compare(args.compare[0], args.compare[1], args.diff_lines, args.only)
    if args.out_dir is None:
        parser.error("give OUT_DIR, or --compare BEFORE AFTER")
    here = Path(sys.executable).parent / "nami"
    nami = args.nami or (str(here) if here.exists() else shutil.which("nami"))
    if not nami:
        sys.exit("golden: nami not found; pip install -e . first")
    return write(args.out_dir.resolve(), nami, args.jobs, args.only)


if __name__ == "__main__":
    sys.exit(main())
