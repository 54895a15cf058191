"""Write output files safely, and refuse outputs that would destroy an input.

- A regular file (or a path that does not exist yet) is written atomically: into a hidden temporary file
  ``.NAME.PID.XXXX.tmp`` beside the target, synced, then renamed over the target. The old file stays as
  it was until the new one is complete; on any error, Ctrl-C or SIGTERM the temporary file is removed
  (the command guard turns SIGTERM into an exception, so the ``except`` below runs). A temporary file
  left by a run killed with SIGKILL is removed by the next run that writes the same target, once the
  process that made it is gone.
- A symbolic link is followed: the file it points to is replaced atomically, the link stays a link.
- Anything that is not a regular file — a device (``/dev/null``, a terminal), a FIFO, ``/dev/stdout``,
  anything under ``/dev`` or ``/proc`` — is written into directly: renaming over it would replace the
  device node or the pipe with a plain file.
- :func:`refuse_clashes` refuses, before anything is read or written, an output that is the same file as
  an input (also through a link or a hard link, or a path that does not exist yet), and two outputs that
  are the same file.
- Every failure (missing folder, read-only file, full disk) is a :class:`NamiError` that names the file
  and the reason: exit 3, and the old file is intact.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from nami_cli.base.errors import NamiError, Problem
from nami_cli.i18n import Concat, Msg

STDIO = "-"  # ``-o -``: stdout


def _problem(path: str, reason: Msg | Concat | str) -> NamiError:
    return NamiError(Problem(Msg("output.cannot_write", reason=reason), file=path))


def _reason(exc: OSError) -> Concat | str:
    reason = exc.strerror or str(exc)
    reason = reason.lower() if reason[:1].isupper() and reason[1:2].islower() else reason
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return reason + Msg("output.disk_full")
    return reason


def writes_directly(path: str) -> bool:
    """Whether ``path`` is written into as it is (a device, a FIFO, ``/dev/stdout``) instead of replaced."""
    for name in (path, os.path.realpath(path)):
        if name.startswith(("/dev/", "/proc/")):
            return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # does not exist (yet): a new regular file
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _read_only(path: str) -> bool:
    """Whether we may not write ``path`` (``>`` in a shell would fail): then it is not replaced either."""
    return not os.access(path, os.W_OK)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _remove_stale_temps(directory: str, base: str) -> None:
    """Remove ``.BASE.PID.*.tmp`` files of ours whose process is gone (a run killed with SIGKILL)."""
    pattern = re.compile(r"\." + re.escape(base) + r"\.([0-9]+)\.[A-Za-z0-9_]+\.tmp\Z")
    try:
        names = os.listdir(directory)
    except OSError:
        return
    me = os.getpid()
    for name in names:
        found = pattern.match(name)
        if found is None:
            continue
        pid = int(found.group(1))
        if pid == me or _process_alive(pid):
            continue
        path = os.path.join(directory, name)
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(path)


@contextlib.contextmanager
def _direct_open(path: str, mode: str, encoding: str | None, newline: str | None) -> Iterator[IO[Any]]:
    binary = "b" in mode
    try:
        # append: a FIFO or device ignores it; /dev/stdout redirected to a file (> or >>) keeps its place
        handle = open(  # noqa: SIM115
            path,
            "ab" if binary else "a",
            encoding=None if binary else encoding,
            newline=None if binary else newline,
        )
    except OSError as exc:
        raise _problem(path, _reason(exc)) from None
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise _problem(path, _reason(exc)) from None
        raise


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing: atomically for a regular file, directly for a device or FIFO."""
    name = os.fspath(path)
    if writes_directly(name):
        with _direct_open(name, mode, encoding, newline) as handle:
            yield handle
        return
    target = os.path.realpath(name) if os.path.islink(name) else name  # a link: replace what it points to
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        raise _problem(name, Msg("output.no_folder", folder=repr(directory)))
    existing: os.stat_result | None = None
    with contextlib.suppress(FileNotFoundError):
        existing = os.stat(target)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise _problem(name, Msg("output.is_folder"))
    if existing is not None and _read_only(target):
        raise _problem(name, Msg("output.read_only"))
    base = os.path.basename(target)
    _remove_stale_temps(directory, base)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{base}.{os.getpid()}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _problem(name, _reason(exc)) from None
    try:
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            mode_bits = stat.S_IMODE(existing.st_mode)  # keep the permissions of the file replaced
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode_bits = 0o666 & ~umask  # those an ordinary new file would get
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode_bits)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None and exc.errno in _WRITE_ERRNOS:
            raise _problem(name, _reason(exc)) from None
        if isinstance(exc, OSError) and exc.filename in (tmp, target):
            raise _problem(name, _reason(exc)) from None
        raise


# errors of a write (never of a read): the output is named in the message
_WRITE_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG) if code is not None
)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


# --- outputs that would destroy an input ---------------------------------------------------------------


def _identity(path: str) -> tuple[Any, bool] | None:
    """What makes two paths the same file: (device, inode) if it exists, else the resolved path.

    The second value says whether the file is a character device (``/dev/null``, a terminal), which two
    outputs may share.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ("path", os.path.realpath(path)), False
    except OSError:
        return None
    return ("inode", info.st_dev, info.st_ino), stat.S_ISCHR(info.st_mode)


def _stdin_identity() -> tuple[Any, bool] | None:
    try:
        info = os.fstat(0)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a terminal or a pipe: no file to destroy
    return ("inode", info.st_dev, info.st_ino), False


def rule_files(folders: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The YAML files of rule pack folders (inputs too: an output must not replace one)."""
    found: list[str] = []
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.name.endswith((".yaml", ".yml")):
                    found.append(entry.path)
    return found


def refuse_clashes(
    inputs: Iterable[str | os.PathLike[str]],
    outputs: Iterable[tuple[str, str | os.PathLike[str] | None]],
) -> None:
    """Raise a :class:`NamiError` (exit 3) if an output is the same file as an input or another output.

    ``inputs`` are file names (``-`` is stdin: its file counts when stdin is redirected from one);
    ``outputs`` are ``(option, path)`` pairs, ``None`` or ``-`` meaning stdout (not checked). Call this
    before anything is read or written.
    """
    seen_inputs: list[tuple[Any, str]] = []
    for item in inputs:
        name = os.fspath(item)
        ident = _stdin_identity() if name == STDIO else _identity(name)
        if ident is not None:
            seen_inputs.append((ident[0], "stdin" if name == STDIO else name))
    seen_outputs: list[tuple[Any, str]] = []
    problems: list[Problem] = []
    for option, given in outputs:
        if given is None:
            continue
        name = os.fspath(given)
        if name == STDIO:
            continue
        ident = _identity(name)
        if ident is None:
            continue
        key, is_device = ident
        for other, other_name in seen_inputs:
            if other == key:
                problems.append(
                    Problem(
                        Msg("output.same_as_input", option=option, name=repr(name), other=repr(other_name))
                    )
                )
                break
        else:
            for other, other_option in seen_outputs:
                if other == key and not is_device:
                    problems.append(
                        Problem(
                            Msg("output.same_as_output", option=option, name=repr(name), other=other_option)
                        )
                    )
                    break
        seen_outputs.append((key, f"{option} {name!r}"))
    if problems:
        raise NamiError(problems)
