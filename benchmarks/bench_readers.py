"""Two hand-written parts of the list readers against the library that could replace them.

    python benchmarks/bench_readers.py [--items 200000] [--runs 3]

1. The CSV delimiter: nami's own ``sniff_delimiter`` against the standard library's ``csv.Sniffer``
   (left free, and told to choose among , ; and tab), on the CSV files of tests/unit/lists/data,
   tests/data, examples/lists and ../shared/data/spend-dev (when there), each also rewritten with
   each of the three delimiters, and on a few made-up lists of the shapes people have (one column,
   texts full of commas, quoted line breaks, ragged rows). Accuracy: the delimiter the file was
   written with; time: per sample.
2. The JSON array stream: nami's own ``JsonStream`` (the standard library's decoder pulled value by
   value) against ijson (``pip install ijson``; its fastest backend), on a generated array of
   --items purchase objects: time and peak memory of a whole process reading every item, and the
   position each one gives for a few broken files (nami prints ``file:line:col``).

Ratios are against nami's own part measured in the same run. The generated files are kept in
benchmarks/data/ (not in git).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SPEND_DEV = ROOT.parent.parent / "shared" / "data" / "spend-dev"  # /work/shared from a worktree
DELIMITERS = (",", ";", "\t")


# --- 1. the CSV delimiter -------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _rewrite(text: str, source: str, target: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=target, lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text, newline=""), delimiter=source))
    return out.getvalue()


def _made_up() -> list[tuple[str, str, str]]:
    """(name, text, delimiter) of list shapes that trip a frequency count."""
    one_column = "Omschrijving\r\n" + "".join(f"Bureaustoel, zwart, model {i}\r\n" for i in range(300))
    commas = "Omschrijving;Bedrag\r\n" + "".join(
        f"Papier, A4, 80 gr, wit, {i} dozen, levering week {i % 52};{i},50\r\n" for i in range(300)
    )
    quoted = 'description,amount\r\n"Chairs\r\nfor the\r\nmeeting room, 12",1200.00\r\n' * 200
    spaces = "Omschrijving\tBedrag\tKostenplaats\r\n" + "".join(
        f"Koffie en thee voor de afdeling {i}\t{i},25\tKP 100\r\n" for i in range(300)
    )
    short = "omschrijving;bedrag\r\nlaptop;1200\r\n"
    ragged = "Omschrijving;Bedrag;Kostenplaats;Project\r\n" + "".join(
        f"Toner {i};1,5\r\n" if i % 3 else f"Toner {i};1,5;KP1;P{i}\r\n" for i in range(300)
    )
    return [
        ("made-up: one column with commas", one_column, ","),
        ("made-up: ; and texts full of commas", commas, ";"),
        ("made-up: quoted line breaks", quoted, ","),
        ("made-up: tab, texts with spaces", spaces, "\t"),
        ("made-up: two rows", short, ";"),
        ("made-up: ragged rows, decimal commas", ragged, ";"),
    ]


def sniff_cases() -> list[tuple[str, str, str]]:
    """(name, sample, true delimiter): each real file as written and rewritten with every delimiter."""
    from nami_cli.lists.formats import SNIFF_CHARS

    files = sorted((ROOT / "tests" / "unit" / "lists" / "data").glob("*.csv"))
    files += sorted((ROOT / "tests" / "data").glob("**/*.csv"))
    files += sorted((ROOT / "examples" / "lists").glob("*.csv"))
    files += sorted(SPEND_DEV.glob("*.csv")) if SPEND_DEV.is_dir() else []
    cases = []
    for path in files:
        text = _read_text(path)
        written = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        for delimiter in DELIMITERS:
            body = text if delimiter == written else _rewrite(text, written, delimiter)
            label = f"{path.name} ({'as written' if delimiter == written else repr(delimiter)})"
            cases.append((label, body[:SNIFF_CHARS], delimiter))
    cases += [(name, text[:SNIFF_CHARS], delimiter) for name, text, delimiter in _made_up()]
    return cases


def _stdlib(delimiters: str | None) -> Callable[[str], str]:
    def sniff(sample: str) -> str:
        try:
            return csv.Sniffer().sniff(sample, delimiters=delimiters).delimiter
        except csv.Error:
            return "(none)"

    return sniff


def bench_sniffers(runs: int) -> None:
    from nami_cli.lists.read.csv import sniff_delimiter

    cases = sniff_cases()
    sniffers: dict[str, Callable[[str], str]] = {
        "nami sniff_delimiter": lambda sample: sniff_delimiter(sample, ","),
        "csv.Sniffer": _stdlib(None),
        "csv.Sniffer(',;\\t')": _stdlib(",;\t"),
    }
    print(f"CSV delimiter: {len(cases)} samples (up to 64 KiB each), {runs} runs")
    base = 0.0
    for name, sniff in sniffers.items():
        wrong = []
        times = []
        for label, sample, truth in cases:
            found = sniff(sample)
            if found != truth:
                wrong.append(f"{label}: {found!r} for {truth!r}")
            start = time.perf_counter()
            for _ in range(runs):
                sniff(sample)
            times.append((time.perf_counter() - start) / runs)
        total = sum(times)
        base = base or total
        print(
            f"  {name:22} right {len(cases) - len(wrong):2}/{len(cases)}  "
            f"{total * 1000 / len(cases):8.2f} ms a sample, max {max(times) * 1000:8.1f} ms  "
            f"({total / base:.1f}x)"
        )
        for line in wrong:
            print(f"      wrong: {line}")


# --- 2. the JSON stream -----------------------------------------------------------------------------------


def json_array(items: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"purchases-{items}.json"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        words = ["bureaustoel", "laptop", "koffie", "papier A4", "schoonmaak", "catering", "drukwerk"]
        with path.open("w", encoding="utf-8") as out:
            out.write("[\n")
            for i in range(items):
                obj = {
                    "factuur": f"F-{i:07d}",
                    "omschrijving": f"{words[i % len(words)]} {i % 97} stuks, levering week {i % 52}",
                    "bedrag": round((i * 37) % 100_000 / 7, 2),
                    "aantal": i % 50,
                    "cpv": f"{30190000 + i % 9:08d}",
                    "crediteur": {"naam": f"Leverancier {i % 300} BV", "land": "NL"},
                }
                out.write(("  " if i == 0 else ",\n  ") + json.dumps(obj, ensure_ascii=False))
            out.write("\n]\n")
    return path


def _child(parser: str, path: str) -> None:
    """Read every item of ``path`` with ``parser`` (run in a process of its own); print the count."""
    count = 0
    with open(path, encoding="utf-8", newline="\n") as text:
        if parser == "nami":
            from nami_cli.lists.read.base import ListSource
            from nami_cli.lists.read.json import JsonStream

            for _ in JsonStream(text, ListSource(path)).documents():
                count += 1
        else:
            import ijson

            for _ in ijson.items(text.buffer, "item", use_float=True):
                count += 1
    print(count, _peak_mib())


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: its own, not the parent's it was forked from)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_child(parser: str, path: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", parser, str(path)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"the {parser} child failed:\n{proc.stderr}")
    return wall, float(proc.stdout.split()[1])


BROKEN = {
    "missing comma": '[\n  {"a": "x"}\n  {"a": "y"}\n]\n',
    "unclosed string": '[\n  {"a": "x"},\n  {"a": "y}\n]\n',
    "bad literal": '[\n  {"a": "x"},\n  {"a": nul}\n]\n',
    "trailing comma": '[\n  {"a": "x"},\n  {"a": "y"},\n]\n',
    "not closed": '[\n  {"a": "x"},\n  {"a": "y"}\n',
}


def _positions() -> None:
    from nami_cli.base.errors import NamiError
    from nami_cli.lists.read.base import ListSource
    from nami_cli.lists.read.json import JsonStream

    try:
        import ijson
    except ImportError:
        print("  (ijson not installed: no error positions compared)")
        return
    print("  error positions (nami: what the user sees; ijson: its exception):")
    for name, text in BROKEN.items():
        try:
            list(JsonStream(io.StringIO(text), ListSource("f.json")).documents())
            own = "no error"
        except NamiError as exc:
            own = str(exc)
        try:
            list(ijson.items(io.BytesIO(text.encode()), "item"))
            lib = "no error"
        except Exception as exc:  # ijson raises its own error classes per backend
            lib = " ".join(str(exc).split())
        print(f"    {name:16} nami: {own}")
        print(f"    {'':16} ijson: {lib}")


def bench_json(items: int, runs: int) -> None:
    path = json_array(items)
    print(f"JSON array: {items:,} objects ({path.stat().st_size >> 20} MiB), {runs} runs, whole processes")
    try:
        import ijson

        parsers = ["nami", "ijson"]
        backend = f"ijson {ijson.__version__}, backend {ijson.backend}"
    except ImportError:
        parsers, backend = ["nami"], "ijson not installed"
    results: dict[str, list[tuple[float, float]]] = {p: [] for p in parsers}
    for _ in range(runs):
        for parser in parsers:
            results[parser].append(_run_child(parser, path))
    base = statistics.median(w for w, _ in results["nami"])
    for parser in parsers:
        wall = statistics.median(w for w, _ in results[parser])
        peak = max(m for _, m in results[parser])
        label = "nami JsonStream" if parser == "nami" else backend
        print(f"  {label:34} median {wall:6.2f} s ({wall / base:.2f}x)  peak {peak:6.1f} MiB")
    _positions()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=200_000, help="objects in the generated JSON array")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench_sniffers(args.runs)
    print()
    bench_json(args.items, args.runs)


if __name__ == "__main__":
    main()
