"""Speed and memory of ``nami screen`` on a generated Dutch purchase list, side by side with a baseline
that only reads the same CSV with the csv module and writes it back with one extra column.

    python benchmarks/bench_screen.py [--rows 1000000] [--small 100000] [--runs 3] [--workbooks]

Both run as whole processes, interleaved. Wall time is the median of --runs; peak memory is the
maximum resident set size of the process (from wait4). Targets: nami at most 3x the baseline's wall
time; nami's peak memory under 150 MiB, and at most 20% higher for --rows than for --small rows.
The generated files are kept in benchmarks/data/ (not in git).

Every process (nami's warm-up and measured runs, and the baseline) runs with PYTHONDONTWRITEBYTECODE
removed from its environment, so the warm-up writes the .pyc files once and the measured runs use them,
as in an installed package (``pip install`` compiles them at install time). Without that, a machine
that sets PYTHONDONTWRITEBYTECODE=1 would compile nami from source in every measured run.

With ``--workbooks`` it also screens the --small list saved as XLSX and as ODS, and prints the time per
100,000 rows against the CSV run of the same rows (python-calamine reads both; peak memory is that of
a sheet held in memory).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def nami_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "nami"
    return [str(exe)] if exe.exists() else [shutil.which("nami") or "nami"]


#: the environment of every measured process: .pyc files written and used (see the module docstring)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
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


def workbook(rows: int, fmt: str) -> Path:
    """The CSV list of ``rows`` rows saved as an XLSX (openpyxl) or ODS (written as XML) workbook."""
    import csv
    import zipfile
    from xml.sax.saxutils import escape

    path = DATA / f"purchases-{rows}.{fmt}"
    if path.exists():
        return path
    print(f"generating {path} ...", flush=True)

    def values() -> Iterator[list[object]]:
        with dataset(rows).open(encoding="cp1252", newline="") as f:
            for i, row in enumerate(csv.reader(f, delimiter=";")):
                out: list[object] = []
                for cell in row:
                    plain = cell.replace(".", "").replace(",", ".")
                    is_number = i > 0 and plain.replace(".", "", 1).lstrip("-").isdigit()
                    out.append(float(plain) if is_number else cell)
                yield out

    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Inkoop")
        for row in values():
            ws.append(row)
        wb.save(path)
        return path
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        with z.open(zipfile.ZipInfo("content.xml"), "w") as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
                '<office:body><office:spreadsheet><table:table table:name="Inkoop">'.encode()
            )
            for row in values():
                cells = []
                for v in row:
                    if isinstance(v, float):
                        cells.append(f'<table:table-cell office:value-type="float" office:value="{v!r}"/>')
                    else:
                        cells.append(
                            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
                            "</text:p></table:table-cell>"
                        )
                out.write(("<table:table-row>" + "".join(cells) + "</table:table-row>").encode())
            out.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workbooks", action="store_true", help="also screen the --small list as XLSX and ODS"
    )
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
    if args.workbooks:
        csv_wall = statistics.median(run([*nami, str(small)])[0] for _ in range(args.runs))
        per = 100_000 / args.small
        print(f"csv  {args.small:,} rows: median {csv_wall * per:6.2f} s per 100,000 rows")
        for fmt in ("xlsx", "ods"):
            book = workbook(args.small, fmt)
            results = [run([*nami, str(book)]) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in results)
            print(
                f"{fmt} {args.small:,} rows: median {wall * per:6.2f} s per 100,000 rows "
                f"({wall / csv_wall:.2f}x the CSV run), peak {max(r[1] for r in results):6.1f} MiB"
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
