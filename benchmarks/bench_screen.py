"""Speed and memory of ``nami screen`` on a generated Dutch purchase list, side by side with a baseline
that only reads the same CSV with the csv module and writes it back with one extra column.

    python benchmarks/bench_screen.py [--rows 1000000] [--small 100000] [--runs 3]

Both run as whole processes, interleaved. Wall time is the median of --runs; peak memory is the
maximum resident set size of the process (from wait4). Targets: nami at most 3x the baseline's wall
time; nami's peak memory under 150 MiB, and at most 20% higher for --rows than for --small rows.
The generated files are kept in benchmarks/data/ (not in git).
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

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def nami_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "nami"
    return [str(exe)] if exe.exists() else [shutil.which("nami") or "nami"]


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit code {code}:\n{err}")
    return wall, usage.ru_maxrss / 1024


def dataset(rows: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"purchases-{rows}.csv"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "gen_purchases.py"), str(path), "--rows", str(rows)], check=True
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    big, small = dataset(args.rows), dataset(args.small)
    out = DATA / "out.csv"
    nami = [*nami_cmd(), "screen", "--quiet", "--fail-on", "never", "-o", str(out)]
    baseline = [sys.executable, str(HERE / "baseline_csv.py")]
    run([*nami, str(small)])  # warm caches (file system, .pyc, rule pack cache)
    nami_walls, base_walls, nami_mem, base_mem = [], [], [], []
    for _ in range(args.runs):
        wall, mem = run([*baseline, str(big), str(out)])
        base_walls.append(wall)
        base_mem.append(mem)
        wall, mem = run([*nami, str(big)])
        nami_walls.append(wall)
        nami_mem.append(mem)
    _, small_mem = run([*nami, str(small)])
    n, b = statistics.median(nami_walls), statistics.median(base_walls)
    size = big.stat().st_size / 2**20
    print(f"rows:            {args.rows:,} ({size:.0f} MiB), {args.runs} runs each, interleaved")
    print(f"baseline (csv):  median {b:6.2f} s   peak {max(base_mem):6.1f} MiB")
    print(f"nami screen:     median {n:6.2f} s   peak {max(nami_mem):6.1f} MiB")
    print(f"time ratio:      {n / b:.2f}x  (target: at most 3x)")
    peak = max(nami_mem)
    print(
        f"memory:          {small_mem:.1f} MiB for {args.small:,} rows, "
        f"{peak:.1f} MiB for {args.rows:,} rows: {peak / small_mem:.2f}x"
        "  (targets: under 150 MiB, at most 1.2x)"
    )
    out.unlink(missing_ok=True)
    org_pack_line(args.runs)


def org_pack(keywords: int = 10_000) -> tuple[Path, Path]:
    """An organisation pack of ``keywords`` prefix keywords (100 categories) and a list of 10,000 rows
    with distinct texts (the worst case for the caches), both generated once into benchmarks/data/."""
    import random

    rng = random.Random(10)
    folder = DATA / f"org-pack-{keywords}"
    rows = DATA / "distinct-10000.csv"
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word(n: int) -> str:
        return "".join(rng.choice(letters) for _ in range(n))

    if not folder.exists():
        folder.mkdir(parents=True)
        (folder / "pack.yaml").write_text("pack: {name: org-bench, version: '1', standalone: false}\n")
        lines = ["categories:"]
        per = keywords // 100
        for c in range(100):
            nl = ", ".join(f"{word(rng.randint(4, 9))}*" for _ in range(per // 2))
            en = ", ".join(f"{word(rng.randint(4, 9))}*" for _ in range(per - per // 2))
            lines += [
                f"  - id: org-{c}",
                f"    title: {{nl: Org {c}, en: Org {c}}}",
                f"    keywords: {{nl: [{nl}], en: [{en}]}}",
            ]
        (folder / "categories.yaml").write_text("\n".join(lines) + "\n")
    if not rows.exists():
        common = ["kopieerpapier", "bureaustoelen", "laptops", "koffiebekers", "drukwerk", "catering"]
        with rows.open("w", encoding="utf-8") as handle:
            handle.write("Omschrijving;Bedrag\n")
            for i in range(10_000):
                handle.write(f"{rng.choice(common)} {word(6)} {word(8)} levering {i % 7};{i},50\n")
    return folder, rows


def org_pack_line(runs: int) -> None:
    """Screening 10,000 distinct rows with an organisation pack of 10,000 prefix keywords on top of the
    shipped pack, against the shipped pack alone (target: at most 1.5x)."""
    folder, rows = org_pack()
    out = DATA / "out-org.csv"
    base = [*nami_cmd(), "screen", "--quiet", "--fail-on", "never", "-o", str(out)]
    run([*base, "--rules", str(folder), str(rows)])  # warm up
    shipped, org = [], []
    for _ in range(runs):
        shipped.append(run([*base, str(rows)])[0])
        org.append(run([*base, "--rules", str(folder), str(rows)])[0])
    s, o = statistics.median(shipped), statistics.median(org)
    print(f"org pack:        10,000 prefix keywords, 10,000 distinct rows: {o:.2f} s vs shipped {s:.2f} s:")
    print(f"                 {o / s:.2f}x  (target: at most 1.5x)")
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
