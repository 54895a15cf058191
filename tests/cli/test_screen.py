"""``nami screen`` end to end: formats, nothing lost, summary reconciles, mapping, exit codes, API."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.api import check_request
from nami_cli.assess.screening import (
    CACHE_BYTES,
    CACHE_SHARES,
    NAMI_COLUMNS,
    Screener,
    screen_file,
    screen_rows,
    screen_source,
)
from nami_cli.rulepack.pack import Pack, load_pack

DUTCH = (
    "Boekdatum;Crediteur;Omschrijving;Kostensoort;Aantal;Bedrag\r\n"
    "02-01-2026;Promo BV;Pennen met logo jubileum;Relatiegeschenken;500;1.050,00\r\n"
    "03-01-2026;Lyreco;Kopieerpapier A4;Kantoorartikelen;20;89,90\r\n"
    "04-01-2026;Schindler;Onderhoud liften kwartaal;Onderhoud;1;4.500,00\r\n"
    "05-01-2026;Sodexo;Wegwerpbekers karton;Catering;5000;12,3,4\r\n"
    '06-01-2026;Ahrend;"Bureaustoelen\nverbouwing 3e verdieping";Meubilair;40;18.000,00\r\n'
    "07-01-2026;Onbekend;;;;250,00\r\n"
    "08-01-2026;Te kort;Pennen\r\n"
    '09-01-2026;Athlon;=HYPERLINK("http://x");Vervoer;1;-300,00\r\n'
)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


def read_csv(path: Path, delimiter: str = ";", encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_dutch_csv_nothing_lost(run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path) -> None:
    source = write("inkoop.csv", DUTCH.encode("cp1252"))
    out = tmp_path / "uit.csv"
    summary = tmp_path / "summary.json"
    result = run("screen", str(source), "-o", str(out), "--summary", str(summary), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert "description <- Omschrijving" in result.stderr
    rows = read_csv(out, encoding="cp1252")  # same delimiter and encoding as the input
    assert len(rows) == 8
    assert [r["nami_row"] for r in rows] == ["2", "3", "4", "5", "6", "7", "8", "9"]
    assert list(rows[0])[:6] == ["Boekdatum", "Crediteur", "Omschrijving", "Kostensoort", "Aantal", "Bedrag"]
    assert list(rows[0])[6:] == list(NAMI_COLUMNS)
    pens, paper, lift, cups, chairs, empty, short, formula = rows
    assert pens["nami_advice"] == "refuse" and pens["nami_category"] == "promotional-items"
    assert pens["nami_refuse"] == "opportunity" and "refuse-promotional-items" in pens["nami_rules"].split()
    assert paper["nami_category"] == "office-supplies"
    assert lift["nami_advice"] == "none" and lift["nami_refuse"] == "open"
    assert cups["nami_error"] == 'column "Bedrag": "12,3,4" is not a number' and cups["nami_advice"] == ""
    assert chairs["Omschrijving"] == "Bureaustoelen\nverbouwing 3e verdieping"
    assert chairs["nami_category"] == "furniture" and chairs["nami_advice"] == "rethink"
    assert empty["nami_error"] == "no description, category or CPV code"
    assert "header has 6" in short["nami_error"]
    assert formula["Omschrijving"].startswith("'=HYPERLINK")
    assert formula["Bedrag"] == "-300,00"  # a plain negative number stays a number
    data = json.loads(summary.read_text())
    assert data["rows_read"] == 8
    assert data["rows_with_errors"] == 3
    assert data["rows_screened"] == 5
    assert sum(data["rows_per_advice"].values()) == data["rows_read"]
    readable = 1050 + 89.9 + 4500 + 18000 + 250 - 300  # the amounts of every row that has a readable one
    assert data["spend_total"] == pytest.approx(readable)
    assert sum(data["spend_per_advice"].values()) == pytest.approx(readable)
    assert sum(c["rows"] for c in data["spend_per_category"].values()) == data["rows_screened"]
    assert data["top_rows"]["refuse"][0]["row"] == 2
    assert sum(cell["count"] > 0 for cell in data["matrix"]) >= 1


def test_stdout_keeps_the_dialect_and_exit_code(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    source = write("inkoop.csv", DUTCH)
    result = run("screen", str(source), "--quiet")
    assert result.exit_code == 1  # opportunities found; --fail-on opportunity is the default
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=";"))
    assert len(rows) == 9 and rows[0][-1] == "nami_row"
    assert result.stderr == ""
    assert run("screen", str(source), "--quiet", "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize("suffix", ["xlsx", "jsonl", "json", "tsv"])
def test_output_formats(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path, suffix: str
) -> None:
    source = write("inkoop.csv", DUTCH)
    out = tmp_path / f"uit.{suffix}"
    assert run("screen", str(source), "-o", str(out), "--quiet", "--fail-on", "never").exit_code == 0
    if suffix == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(out, read_only=True).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 9 and values[0][-1] == "nami_row"
        assert str(values[8][2]).startswith("'=HYPERLINK")
    elif suffix == "tsv":
        assert len(read_csv(out, delimiter="\t")) == 8
    else:
        text = out.read_text(encoding="utf-8")
        items = [json.loads(line) for line in text.splitlines()] if suffix == "jsonl" else json.loads(text)
        assert len(items) == 8
        assert items[0]["nami_advice"] == "refuse" and items[0]["Omschrijving"] == "Pennen met logo jubileum"


def test_json_lines_input_and_map(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    lines = [
        {"artikel": "Balpennen met logo", "merk": "give-away", "netto": 120.5},
        {"artikel": "Lunch vergadering", "merk": "", "netto": 300},
    ]
    source = write("lijst.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "uit.jsonl"
    result = run(
        "screen",
        str(source),
        "--map",
        "description=artikel",
        "--map",
        "description=merk",
        "--map",
        "amount=netto",
        "-o",
        str(out),
        "--fail-on",
        "never",
    )
    assert result.exit_code == 0, result.output
    assert "description <- artikel + merk" in result.stderr or "artikel" in result.stderr
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert items[0]["nami_category"] == "promotional-items"
    assert items[1]["nami_category"] == "catering"


def test_no_usable_column_is_exit_3(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    source = write("x.csv", "Datum;Bedrag\n01-01-2026;12,00\n")
    result = run("screen", str(source))
    assert result.exit_code == 3
    assert "Datum" in result.stderr and "Bedrag" in result.stderr and "--map" in result.stderr


def test_bad_inputs_are_exit_3(run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path) -> None:
    assert run("screen", str(tmp_path / "none.csv")).exit_code == 3
    assert run("screen", str(write("b.csv", b"\x00\x01\x02binary"))).exit_code == 3
    assert run("screen", str(write("c.csv", DUTCH)), "--map", "colour=Omschrijving").exit_code == 3
    assert run("screen", str(write("d.csv", DUTCH)), "--map", "description=Nope").exit_code == 3
    # an unknown encoding is a usage error (exit 2), see tests/test_exit_codes.py
    out = tmp_path / "no" / "uit.csv"
    assert run("screen", str(write("f.csv", DUTCH)), "-o", str(out)).exit_code == 3
    assert not out.exists()


def test_report_and_summary_files(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    source = write("inkoop.csv", DUTCH)
    report = tmp_path / "rapport.html"
    result = run("screen", str(source), "--report", str(report), "-o", str(tmp_path / "o.csv"), "--quiet")
    assert result.exit_code == 1
    html = report.read_text()
    assert "<svg" in html or "bar" in html
    assert "&#39;=HYPERLINK" in html or "=HYPERLINK" not in html.split("<body")[0]
    assert "<script" not in html


def test_screen_runs_the_engine_functions(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Screening has no assessment of its own: it calls the engine's scan, recognise, build_facts and
    aggregate (caching their results per distinct text), and gets what ``nami check`` gets."""
    import nami_cli.assess.engine as engine
    import nami_cli.assess.screening as screening

    calls: dict[str, int] = {}
    for name in ("scan", "recognise", "build_facts", "aggregate"):
        original = getattr(engine, name)

        def counted(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(screening, name, counted)
    screener = Screener(pack)
    row = {"title": "Restpartij bureaustoelen", "quantity": 40, "estimated_value": 4000}
    outcome = screener.screen(row)
    again = screener.screen({**row, "quantity": 2, "estimated_value": 30})
    assert calls["scan"] == calls["recognise"] == 1  # once per distinct text
    assert calls["aggregate"] >= 1 and calls["build_facts"] >= 1
    expected = check_request({"title": row["title"], "quantity": 40, "estimated_value": 4000}, pack)
    assert outcome.category == (expected.category.id if expected.category else None)
    assert list(outcome.categories) == [c.id for c in expected.categories]
    assert sorted(outcome.rules) == sorted(f.rule for s in expected.strategies for f in s.findings)
    assert outcome.verdicts == tuple(s.verdict for s in expected.strategies)
    assert again.category == outcome.category


def test_screen_and_check_agree_on_every_example(pack: Pack) -> None:
    """For every rule, scope and signal example that a list row can hold, screen gives what check gives:
    categories, scope and verdicts."""
    screener = Screener(pack)
    fields = ("title", "description", "cpv", "quantity", "unit_price", "estimated_value", "unit", "category")
    examples = [e for r in pack.rules for e in [*r.rule.examples.match, *r.rule.examples.no_match]]
    examples += [e for s in pack.scope.values() for e in [*s.examples.match, *s.examples.no_match]]
    for example in examples:
        if set(example) - set(fields):
            continue  # reason, usage, replaces: a list row never has them
        request = {k: v for k, v in example.items() if k in fields}
        if "cpv" in request:
            request["cpv"] = str(request["cpv"])[:8]
        expected = check_request(dict(example), pack)
        outcome = screener.screen(request)
        fired = sorted(f.rule for s in expected.strategies for f in s.findings)
        assert sorted(outcome.rules) == fired, example
        assert list(outcome.categories) == [c.id for c in expected.categories], example
        assert outcome.scope == expected.scope.id, example
        assert outcome.verdicts == tuple(s.verdict for s in expected.strategies), example


def test_numbers_in_texts_of_one_shape_are_kept_or_folded_as_check_needs(pack: Pack) -> None:
    """Texts that differ only in their numbers share what screening remembers of their shape; a number a
    signal captures (``nog voor 3 jaar op voorraad``, ``8 jaar oud``) or a keyword holds (``31
    december``) still decides the outcome, as in ``nami check``; other numbers are folded away."""
    screener = Screener(pack)
    titles = [
        f"{template.format(n=n)}"
        for template in (
            "Bureaustoelen {n} st, nog voor {n} jaar op voorraad",
            "Laptops {n} jaar oud, vervanging",
            "Kopieerpapier {n} dozen, levering voor {n} december",
            "Balpennen blauw doos {n}",
        )
        for n in (1, 2, 3, 8, 12, 31, 2026)
    ]
    for title in titles * 2:  # the second round comes from the caches
        request = {"title": title, "quantity": 10, "estimated_value": 500}
        expected = check_request(dict(request), pack)
        outcome = screener.screen(request)
        fired = sorted(f.rule for s in expected.strategies for f in s.findings)
        assert sorted(outcome.rules) == fired, title
        assert list(outcome.categories) == [c.id for c in expected.categories], title
        assert outcome.verdicts == tuple(s.verdict for s in expected.strategies), title
    key = screener._key
    assert key({"title": "Balpennen blauw doos 12"}) == key({"title": "Balpennen blauw doos 7"})
    assert screener._key({"title": "levering voor 31 december"}) != screener._key(
        {"title": "levering voor 30 december"}
    )
    assert screener._key({"title": "nog voor 2 jaar op voorraad"}) != screener._key(
        {"title": "nog voor 3 jaar op voorraad"}
    )


class _Rows:
    """Rows of cells as an opened list (what ``screen_source`` reads)."""

    decimal = ","

    def __init__(self, headers: list[str], rows: list[list[str]]) -> None:
        self.headers = headers
        self._rows = rows

    def rows(self) -> Any:
        for i, cells in enumerate(self._rows, start=2):
            yield i, cells, ("a cell too many" if len(cells) > len(self.headers) else None)


@pytest.mark.parametrize("cache_bytes", [4 * 1024 * 1024, 40_000])
def test_screen_source_keeps_text_parts_and_gives_what_each_row_gives(pack: Pack, cache_bytes: int) -> None:
    """``screen_source`` keeps the text part of a row and what its text decides per distinct raw text
    cells; every row still gets exactly what ``row_to_request`` and ``Screener.screen`` give it, with
    repeated texts, other numbers, errors of the text or of the numbers, total rows, and caches so small
    that they are emptied all the time."""
    from nami_cli.assess.screening import screen_source
    from nami_cli.lists.columns import map_columns
    from nami_cli.lists.rows import row_to_request

    headers = ["Omschrijving", "Kostensoort", "CPV", "Aantal", "Prijs per stuk", "Bedrag"]
    texts = [
        ["Restpartij bureaustoelen", "Meubilair", ""],
        ["Restpartij bureaustoelen", "Kantoorartikelen", ""],
        ["Restpartij bureaustoelen", "Meubilair", "30192000"],
        ["Bureaustoelen 40 st, nog voor 2 jaar op voorraad", "", ""],
        ["", "Kantoorartikelen", "30192000-1"],
        ["Totaal", "", ""],
        ["", "", ""],
        ["Laptops", "ICT", "3019"],  # a CPV code that cannot be read
        [" Kopieerpapier A4 ", "Kantoorartikelen", ""],
        ["Kopieerpapier A4", "Kantoorartikelen", ""],
        ["x" * 40_000, "", ""],
    ]
    numbers = [
        ["40", "112,50", "4.500,00"],
        ["2", "", "30"],
        ["", "", "-12,5"],
        ["1", "x", ""],
        ["0", "", ""],
    ]
    rows = [[*t, *n] for n in numbers for t in texts] * 2 + [[*texts[0], *numbers[0], "extra"]]
    cmap = map_columns(headers, [], file="<rows>")
    screener = Screener(pack, cache_bytes=cache_bytes)
    got = list(screen_source(_Rows(headers, rows), cmap, screener))
    assert len(got) == len(rows)
    reference = Screener(pack)
    for number, ((row, cells, outcome, amount, error, text, total), source) in enumerate(
        zip(got, rows, strict=True), 2
    ):
        assert row == number
        request, extra, expected_error = row_to_request(source, cmap, ",")
        if len(source) > len(headers):
            expected_error = "a cell too many" + (f"; {expected_error}" if expected_error else "")
        assert cells is source
        assert error == expected_error, source
        assert (amount, total) == (extra["amount"], extra.get("total")), source
        assert text == request.get("title", ""), source
        assert outcome == (reference.screen(request) if expected_error is None else None), source
    assert screener._rows.data  # the texts were kept (the one too long for the cache was not)


def test_python_api(pack: Pack, write: Callable[..., Path]) -> None:
    results = list(screen_file(str(write("inkoop.csv", DUTCH)), pack))
    assert [r.row for r in results] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert results[0].outcome is not None and results[0].outcome.advice == "refuse"
    assert results[0].as_dict()["nami_advice"] == "refuse"
    rows = [
        {"Omschrijving": "Pennen met logo", "Bedrag": "100"},
        {"Omschrijving": "Onderhoud lift", "Bedrag": "x"},
    ]
    screened = list(screen_rows(rows, pack))
    assert screened[0].outcome is not None and screened[0].outcome.category == "promotional-items"
    assert screened[1].error == 'column "Bedrag": "x" is not a number'


#: the memory test screens with a quarter of the default budget, so that lists of a few thousand rows
#: fill every cache (bounded is bounded, whatever the budget)
BUDGET = CACHE_BYTES // 4


def _peak_for(rows: int, pack: Pack, path: Path) -> int:
    """Peak traced memory of screening a list of ``rows`` rows, every description distinct (the worst
    case for the caches: each row is a new key of the row cache and the exact-text cache)."""
    from nami_cli.lists.columns import map_columns
    from nami_cli.lists.readers import open_list

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Omschrijving", "Kostensoort", "Aantal", "Bedrag"])
        for i in range(rows):
            writer.writerow(
                [f"Artikel nummer {i} kopieerpapier", "Kantoorartikelen", str(i % 50 + 1), f"{i},50"]
            )
    tracemalloc.start()
    with open_list(str(path)) as source:
        cmap = map_columns(source.headers, [], file=str(path))
        count = sum(1 for _ in screen_source(source, cmap, Screener(pack, cache_bytes=BUDGET)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == rows
    return peak


@pytest.mark.slow
def test_streaming_memory_does_not_grow(pack: Pack, tmp_path: Path) -> None:
    """Four times the rows, (nearly) the same peak: nothing is held per row, and the caches stay within
    their byte budget.

    The small list (8,000 rows) is long enough for every cache to have filled and been emptied at least
    once (the row cache's newer half holds about 3,800 of these rows, the exact-text cache about 400),
    so what grows from the small list to the large one is what is held per row. A run's fixed cost (the
    pack's compiled conditions, the reader) is measured on a list of 100 rows after a first run has
    warmed the lazily built parts; above it, memory stays within the caches' budget (CACHE_SHARES times
    the screener's cache_bytes)."""
    _peak_for(100, pack, tmp_path / "warm.csv")
    base = _peak_for(100, pack, tmp_path / "tiny.csv")
    small = _peak_for(8_000, pack, tmp_path / "small.csv")
    large = _peak_for(32_000, pack, tmp_path / "large.csv")
    assert large < small * 1.25, (small, large)
    assert large - base < BUDGET * CACHE_SHARES, (base, large)
