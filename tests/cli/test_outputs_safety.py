"""Outputs never destroy an input, a device or a link; failures leave the old file and no temporary file.

Issue 9: ``-o`` on the input, ``--summary`` on ``-o``, ``-o /dev/null``, ``-o link``, a FIFO, ``-o -``,
a full disk, SIGTERM in the middle of ``screen -o``, stale temporary files of a killed run.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read nami's messages in English (the default language is Dutch)."""
    monkeypatch.setenv("NAMI_LANG", "en")


ROOT = Path(__file__).resolve().parents[2]
REQUEST = ROOT / "examples" / "requests" / "relatiegeschenken.yaml"
LIST = ROOT / "examples" / "lists" / "inkoop-2026.csv"
WORKBOOK = ROOT / "examples" / "lists" / "inkoop-klein.xlsx"

Run = Callable[..., Any]


def nami(*args: str, cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NAMI_LANG": "en"}
    env.pop("NAMI_DEBUG", None)
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "nami_cli", *args], cwd=cwd, env=env, **kwargs)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def request_copy(tmp_path: Path) -> Path:
    target = tmp_path / "request.yaml"
    shutil.copy(REQUEST, target)
    return target


@pytest.fixture
def list_copy(tmp_path: Path) -> Path:
    target = tmp_path / "list.csv"
    shutil.copy(LIST, target)
    return target


# --- an output that is an input, or another output: refused before anything happens ------------------


def test_check_output_on_its_own_request_is_refused(run: Run, request_copy: Path) -> None:
    before = request_copy.read_bytes()
    result = run("check", str(request_copy), "-o", str(request_copy))
    assert result.exit_code == 3
    assert "same file as the input" in result.stderr
    assert request_copy.read_bytes() == before
    assert files_in(request_copy.parent) == ["request.yaml"]


@pytest.mark.parametrize("option", ["-o", "--summary", "--report"])
def test_screen_output_on_its_list_is_refused(run: Run, list_copy: Path, option: str) -> None:
    before = list_copy.read_bytes()
    result = run("screen", str(list_copy), option, str(list_copy))
    assert result.exit_code == 3
    assert f"{option} " in result.stderr and "same file as the input" in result.stderr
    assert list_copy.read_bytes() == before
    assert files_in(list_copy.parent) == ["list.csv"]


def test_two_sheet_workbook_is_not_overwritten(run: Run, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(WORKBOOK, book)
    before = book.read_bytes()
    assert run("screen", str(book), "-o", str(book)).exit_code == 3
    assert book.read_bytes() == before


def test_same_file_through_a_link_a_hard_link_or_dots(run: Run, list_copy: Path) -> None:
    folder = list_copy.parent
    (folder / "soft.csv").symlink_to(list_copy)
    os.link(list_copy, folder / "hard.csv")
    before = list_copy.read_bytes()
    for other in (folder / "soft.csv", folder / "hard.csv", folder / "sub" / ".." / "list.csv"):
        (folder / "sub").mkdir(exist_ok=True)
        result = run("screen", str(list_copy), "-o", str(other))
        assert result.exit_code == 3, other
        assert list_copy.read_bytes() == before


def test_two_outputs_on_one_file_are_refused(run: Run, list_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    (tmp_path / "sub").mkdir()
    result = run(
        "screen", str(list_copy), "-o", str(out), "--summary", str(tmp_path / "sub" / ".." / "out.csv")
    )
    assert result.exit_code == 3
    assert "--summary" in result.stderr and "same file as -o" in result.stderr
    assert not out.exists()  # refused before anything was written
    out.write_text("old")
    result = run("screen", str(list_copy), "-o", str(out), "--report", str(out))
    assert result.exit_code == 3
    assert out.read_text() == "old"


def test_interview_output_on_its_starting_file_is_refused(
    run: Run, request_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nami_cli.commands.interview

    monkeypatch.setattr(nami_cli.commands.interview, "_is_terminal", lambda: True)
    before = request_copy.read_bytes()
    result = run("interview", str(request_copy), "-o", str(request_copy))
    assert result.exit_code == 3
    assert "same file as the input" in result.stderr
    assert request_copy.read_bytes() == before


def test_an_output_into_a_rule_pack_is_refused(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "examples" / "rules", pack)
    target = pack / "pack.yaml"
    before = target.read_bytes()
    result = run("check", str(REQUEST), "--rules", str(pack), "-o", str(target))
    assert result.exit_code == 3
    assert target.read_bytes() == before


def test_stdin_redirected_from_the_output_file_is_refused(list_copy: Path) -> None:
    before = list_copy.read_bytes()
    with list_copy.open("rb") as stdin:
        result = nami("screen", "-", "-o", str(list_copy), cwd=list_copy.parent, stdin=stdin)
    assert result.returncode == 3, result.stderr
    assert b"same file as the input 'stdin'" in result.stderr
    assert list_copy.read_bytes() == before


def test_the_null_device_may_take_two_outputs(run: Run, list_copy: Path) -> None:
    result = run("screen", str(list_copy), "-o", os.devnull, "--summary", os.devnull)
    assert result.exit_code in (0, 1), result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# --- devices, FIFOs, links and stdout: written into, never replaced -----------------------------------


def test_dev_null_stays_a_device(run: Run) -> None:
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", os.devnull)
    assert result.exit_code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert not any(name.startswith(".null.") for name in os.listdir("/dev"))


def test_a_fifo_is_written_into(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    result = run("check", "--fail-on", "never", "-f", "json", str(REQUEST), "-o", str(fifo))
    thread.join(10)
    assert result.exit_code == 0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["results"]
    assert files_in(tmp_path) == ["pipe"]


def test_a_link_is_followed_and_stays_a_link(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "real" / "report.txt"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", str(link))
    assert result.exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert "Relatiegeschenken" in real.read_text() or "relatiegeschenken" in real.read_text().lower()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # the permissions of the file replaced
    assert files_in(real.parent) == ["report.txt"]


def test_dev_stdout_is_written_into(tmp_path: Path) -> None:
    result = nami(
        "check", "--fail-on", "never", "-f", "json", str(REQUEST), "-o", "/dev/stdout", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]
    assert files_in(tmp_path) == []


def test_dash_is_stdout(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, list_copy: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check", "--fail-on", "never", "-f", "json", str(REQUEST), "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"]
    result = run("screen", "--fail-on", "never", str(list_copy), "-o", "-", "-f", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()]
    assert not (tmp_path / "-").exists()


def test_summary_dash_is_stdout(run: Run, list_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run("screen", "--fail-on", "never", str(list_copy), "-o", str(out), "--summary", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rows_read"] > 0
    assert out.exists()
    # the rows and the summary cannot both go to stdout
    result = run("screen", "--fail-on", "never", str(list_copy), "--summary", "-")
    assert result.exit_code == 3
    assert "stdout" in result.stderr
    assert not (tmp_path / "-").exists()


# --- failures: exit 3 with the path and the reason, the old file intact, no temporary file -------------


def test_missing_folder_or_a_folder_as_target(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "out.txt"
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", str(missing))
    assert result.exit_code == 3
    assert str(missing) in result.stderr and "does not exist" in result.stderr
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", str(tmp_path))
    assert result.exit_code == 3
    assert "folder" in result.stderr


def test_read_only_target_is_left_alone(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nami_cli.base.atomic

    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o444)
    if os.access(target, os.W_OK):  # root may write anything: ask as an ordinary user would be answered
        monkeypatch.setattr(nami_cli.base.atomic, "_read_only", lambda path: True)
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", str(target))
    assert result.exit_code == 3
    assert "read-only" in result.stderr and str(target) in result.stderr
    assert target.read_text() == "old"
    assert files_in(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("command", ["check", "screen", "summary", "report", "xlsx"])
def test_full_disk_keeps_the_old_file(
    run: Run, tmp_path: Path, list_copy: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import nami_cli.base.atomic

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(nami_cli.base.atomic.os, "fsync", full)
    target = tmp_path / ("out.xlsx" if command == "xlsx" else "out.txt")
    target.write_text("old")
    args = {
        "check": ["check", str(REQUEST), "-o", str(target)],
        "screen": ["screen", str(list_copy), "-f", "csv", "-o", str(target)],
        "summary": ["screen", str(list_copy), "-o", os.devnull, "--summary", str(target)],
        "report": ["screen", str(list_copy), "-o", os.devnull, "--report", str(target)],
        "xlsx": ["screen", str(list_copy), "-o", str(target)],
    }[command]
    result = run(*args, "--fail-on", "never")
    assert result.exit_code == 3, result.stderr
    assert str(target) in result.stderr and "disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text() == "old"
    assert sorted(files_in(tmp_path)) == sorted(["list.csv", target.name])


def test_full_device_is_exit_3(run: Run) -> None:
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", "/dev/full")
    assert result.exit_code == 3
    assert "/dev/full" in result.stderr and "disk is full" in result.stderr


@pytest.mark.parametrize("command", ["check", "screen", "version", "demo"])
def test_full_stdout_is_exit_3_without_traceback(tmp_path: Path, command: str) -> None:
    args = {
        "check": ["check", "--fail-on", "never", str(REQUEST)],
        "screen": ["screen", "--fail-on", "never", str(LIST), "-f", "csv"],
        "version": ["--version"],  # printed before any command runs
        "demo": ["demo", "--list"],  # a few lines, left in the buffer until exit
    }[command]
    with open("/dev/full", "wb") as full:
        result = nami(*args, cwd=tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 3, result.stderr
    assert b"stdout" in result.stderr
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr


def test_closed_pipe_is_a_quiet_end(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "nami_cli", "screen", str(LIST), "-f", "csv", "--fail-on", "never"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(20) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err


# --- temporary files: removed on every exit path --------------------------------------------------------


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid -= 1


def test_stale_temporary_files_of_a_killed_run_are_removed(run: Run, tmp_path: Path) -> None:
    stale = tmp_path / f".out.txt.{_dead_pid()}.abc123.tmp"
    live = tmp_path / ".out.txt.1.abc123.tmp"  # pid 1 is alive: its temporary file stays
    other = tmp_path / ".other.txt.999999.abc123.tmp"  # another target: left alone
    for path in (stale, live, other):
        path.write_text("partial")
    result = run("check", "--fail-on", "never", str(REQUEST), "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 0
    assert files_in(tmp_path) == sorted([live.name, other.name, "out.txt"])


@pytest.mark.parametrize(
    ("fmt", "signum"), [("csv", signal.SIGTERM), ("xlsx", signal.SIGTERM), ("csv", signal.SIGINT)]
)
def test_a_signal_during_screen_removes_temporary_files(tmp_path: Path, fmt: str, signum: int) -> None:
    """SIGTERM or Ctrl-C while ``screen -o`` writes a long list: exit 143 or 130, no temporary file."""
    work = tmp_path / "work"
    scratch = tmp_path / "tmp"  # openpyxl's own temporary file goes to TMPDIR
    work.mkdir()
    scratch.mkdir()
    source = work / "in.csv"
    with source.open("w") as handle:
        handle.write("Omschrijving;Bedrag\n")
        handle.writelines(f"Pennen met logo {i};{i},50\n" for i in range(150_000))
    target = work / f"out.{fmt}"
    target.write_text("old")
    env = {**os.environ, "TMPDIR": str(scratch), "NAMI_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "nami_cli", "screen", str(source), "-o", str(target)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None

    def writing() -> bool:  # csv streams into .out.csv.*.tmp; xlsx into openpyxl's file in TMPDIR
        return any(n.startswith(".out.") for n in os.listdir(work)) or bool(os.listdir(scratch))

    deadline = time.monotonic() + 20
    while not writing() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert writing(), "no temporary file was made"
    time.sleep(0.2)
    assert proc.poll() is None, "the run ended before the signal; make the list longer"
    proc.send_signal(signum)
    err = proc.stderr.read()
    code = proc.wait(20)
    assert code == (130 if signum == signal.SIGINT else 128 + signal.SIGTERM), err
    assert b"Traceback" not in err
    assert files_in(work) == sorted(["in.csv", target.name])
    assert target.read_text() == "old"
    assert files_in(scratch) == []


# --- XLSX beyond the sheet's row limit: refused, never cut short --------------------------------------


def test_xlsx_beyond_the_row_limit_is_refused(
    run: Run, tmp_path: Path, list_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from openpyxl import load_workbook

    import nami_cli.lists.writers

    target = tmp_path / "out.xlsx"
    assert run("screen", "--fail-on", "never", str(list_copy), "-o", str(target)).exit_code == 0
    with target.open("rb") as handle:
        rows = load_workbook(handle).active.max_row  # the header and every row
    target.write_text("old")
    (tmp_path / "scratch").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "scratch"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # openpyxl's scratch file goes to the new TMPDIR
    monkeypatch.setattr(nami_cli.lists.writers, "XLSX_MAX_ROWS", rows - 1)  # one row too many
    result = run("screen", "--fail-on", "never", str(list_copy), "-o", str(target))
    assert result.exit_code == 3
    assert f"at most {rows - 1:,} rows" in result.stderr and str(target) in result.stderr
    assert target.read_text() == "old"
    assert files_in(tmp_path) == sorted(["list.csv", "out.xlsx", "scratch"])
    assert files_in(tmp_path / "scratch") == []
    monkeypatch.setattr(nami_cli.lists.writers, "XLSX_MAX_ROWS", rows)  # exactly full: written
    assert run("screen", "--fail-on", "never", str(list_copy), "-o", str(target)).exit_code == 0
    with target.open("rb") as handle:
        assert load_workbook(handle).active.max_row == rows


FILL_UP = """
import errno, os, sys
import nami_cli.base.atomic as atomic

real_fdopen = os.fdopen

class Full:
    '''A file on a disk that fills up after {limit} bytes.'''

    def __init__(self, handle):
        self._handle = handle
        self._written = 0

    def write(self, data):
        self._written += len(data)
        if self._written > {limit}:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)

class FakeOs:
    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def fdopen(*args, **kwargs):
        return Full(real_fdopen(*args, **kwargs))

atomic.os = FakeOs()
from nami_cli.cli import main
sys.argv = ["nami", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_disk_full_in_the_middle_of_a_list(tmp_path: Path, fmt: str) -> None:
    """The disk fills up while the rows stream out: exit 3, the old file intact, no traceback at exit."""
    target = tmp_path / f"out.{fmt}"
    target.write_text("old")
    env = {**os.environ, "NAMI_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-c", FILL_UP.format(limit=3000), "screen", str(LIST), "-q", "-o", str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3, result.stderr
    assert "disk is full" in result.stderr and str(target) in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert target.read_text() == "old"
    assert files_in(tmp_path) == [target.name]
