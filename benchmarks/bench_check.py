"""Start-up benchmark: ``nami check`` on an example as a whole process, against ``yamllint`` on the
same file, side by side in one run (interleaved, so both see the same machine load).

    python benchmarks/bench_check.py [FILE] [--runs N]

Needs yamllint (``pip install '.[bench]'``). Prints the median wall time of each and the ratio;
the target is nami within 1.8x of yamllint's median. It also prints the median CPU time (user + system)
of each process, which a busy machine disturbs much less than the wall time: compare those when other
work runs beside the benchmark. Exit 0 always (a benchmark reports, it does not judge); use the printed
ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "examples" / "requests" / "relatiegeschenken.yaml"


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found; install it with: pip install '.[bench]'")
    return found


CPU: dict[str, list[float]] = {}


def timed(cmd: list[str]) -> float:
    """Wall time of one run; its CPU time (user + system) is kept in ``CPU`` under the command name."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    CPU.setdefault(cmd[0], []).append(usage.ru_utime + usage.ru_stime)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    nami = [tool("nami"), "check", "--fail-on", "never", "--color", "never", args.file]
    yamllint = [tool("yamllint"), "-f", "parsable", args.file]
    for cmd in (nami, yamllint):  # warm the file system cache and .pyc files
        timed(cmd)
    CPU.clear()
    # The floor: a process that only imports the libraries nami's stack requires (typer, rich, pydantic,
    # pyyaml) and exits. It shows how much of nami's time the required stack takes before nami runs.
    floor = [sys.executable, "-c", "import typer, rich.console, rich.panel, pydantic, yaml"]
    nami_times: list[float] = []
    lint_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(args.runs):
        nami_times.append(timed(nami))
        lint_times.append(timed(yamllint))
        floor_times.append(timed(floor))
    n, y, f = statistics.median(nami_times), statistics.median(lint_times), statistics.median(floor_times)
    print(f"file:      {args.file}  ({args.runs} runs each, interleaved)")
    print(f"nami:      median {n * 1000:7.1f} ms  (min {min(nami_times) * 1000:.1f})")
    print(f"yamllint:  median {y * 1000:7.1f} ms  (min {min(lint_times) * 1000:.1f})")
    print(f"ratio:     {n / y:.2f}x  (target: at most 1.8x)")
    print(
        f"floor:     median {f * 1000:7.1f} ms = {f / y:.2f}x yamllint"
        " (a process that only imports typer, rich, pydantic and yaml)"
    )
    nc, yc, fc = (statistics.median(CPU[cmd[0]]) for cmd in (nami, yamllint, floor))
    print(
        f"cpu:       nami {nc * 1000:.0f} ms, yamllint {yc * 1000:.0f} ms, floor {fc * 1000:.0f} ms"
        f"  (median user + system; ratio {nc / yc:.2f}x)"
    )


if __name__ == "__main__":
    main()
