"""The baseline for bench_screen.py: read a CSV with the csv module and write it back with one extra
column. Nothing else — the least any screening tool has to do."""

from __future__ import annotations

import csv
import sys


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with (
        open(source, encoding="cp1252", newline="") as fin,
        open(target, "w", encoding="cp1252", newline="") as fout,
    ):
        reader = csv.reader(fin, delimiter=";")
        writer = csv.writer(fout, delimiter=";", lineterminator="\r\n")
        writer.writerow([*next(reader), "extra"])
        for row in reader:
            row.append("")
            writer.writerow(row)


if __name__ == "__main__":
    main()
