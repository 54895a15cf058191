"""The HTML justification printed to A4 PDF with headless Chromium, as a buyer prints it for the tender file.

Every example request is printed in both languages and the PDF is checked page by page:

- the number of pages stays within bounds;
- no page is mostly blank: on every page but the last of a request, ink reaches at least half-way down the
  printable area (measured on a greyscale raster from ``pdftoppm``), so a block that does not fit is not
  pushed whole to the next page leaving a near-empty one;
- every page carries the request's reference and "page n / N" (``pdftotext`` per page);
- list numbers 10, 11 and 12 are inside the printable area, not clipped by the left margin
  (``pdftotext -bbox``).

Needs ``chromium`` and ``poppler-utils`` (``.ci/run`` installs them). Without them the test is skipped on
a developer's machine and fails in CI (``CI`` set), so it can never silently not run there.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nami_cli.cli import app

pytestmark = pytest.mark.slow  # Chromium prints every example: tens of seconds

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")
MM = 72 / 25.4  # PDF points per millimetre
PAGE_MM = (210, 297)
MARGIN_MM = {"top": 16, "right": 15, "bottom": 18, "left": 15}  # report.css: @page margin
MIN_PAGES, MAX_PAGES = 2, 7  # one request, A4, 10pt
MIN_INK = 0.5  # a page (not a request's last) is "mostly blank" when ink ends above half its height
PAGE_WORD = {"nl": "pagina", "en": "page"}


def _browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    found = _browser()
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if found is not None and not missing:
        return found
    message = f"printing needs chromium and poppler-utils (missing: {', '.join(missing or ['chromium'])})"
    if os.environ.get("CI"):
        pytest.fail(message + "; .ci/run installs them")
    pytest.skip(message)


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def print_pdf(browser: str, html: Path) -> Path:
    """Print ``html`` to a PDF beside it as a person would: ``chromium --headless --print-to-pdf``."""
    pdf = html.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert pdf.is_file() and pdf.stat().st_size > 0, f"chromium wrote no PDF for {html}"
    return pdf


class Printer:
    """One headless Chromium for many prints, driven over the DevTools pipe (fd 3 in, fd 4 out).

    Starting Chromium takes about two seconds; ``--print-to-pdf`` starts it once per file. Over the pipe
    each print is a ``Page.printToPDF`` with the page's own CSS size and no header or footer, as
    ``--print-to-pdf --no-pdf-header-footer`` does (:func:`test_the_pipe_prints_as_the_command_line_does`).
    """

    def __init__(self, browser: str) -> None:
        self.profile = tempfile.TemporaryDirectory()
        to_browser, self._write_fd = os.pipe()
        self._read_fd, from_browser = os.pipe()

        def pipes_as_3_and_4() -> None:
            a, b = os.dup(to_browser), os.dup(from_browser)  # dup2 to 3 and 4 clears close-on-exec
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile.name}", "--remote-debugging-pipe"],
            preexec_fn=pipes_as_3_and_4,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._id = 0
        self._buffer = b""

    def _message(self, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read_fd], [], [], left)[0]:
                raise TimeoutError("chromium did not answer within a minute")
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(message)
        return found

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, until: str = ""
    ) -> dict[str, Any]:
        """Send a DevTools command; wait for its result (and for the event ``until`` of the session)."""
        self._id += 1
        command: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        os.write(self._write_fd, json.dumps(command).encode() + b"\0")
        result: dict[str, Any] | None = None
        seen = not until
        while result is None or not seen:
            message = self._message()
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result = message["result"]
            elif message.get("method") == until and message.get("sessionId") == session:
                seen = True
        return result

    def print(self, html: Path) -> Path:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=session)
        self.call("Page.navigate", {"url": html.resolve().as_uri()}, session, until="Page.loadEventFired")
        options = {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False}
        data = self.call("Page.printToPDF", options, session)["data"]
        self.call("Target.closeTarget", {"targetId": target})
        pdf = html.with_suffix(".pdf")
        pdf.write_bytes(base64.b64decode(data))
        return pdf

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write_fd)
        os.close(self._read_fd)
        self.profile.cleanup()


@pytest.fixture(scope="module")
def printer(browser: str) -> Iterator[Printer]:
    chromium = Printer(browser)
    yield chromium
    chromium.close()


@dataclass
class Page:
    number: int
    text: str
    ink: float  # how far down the printable area the lowest ink is, 0..1


@functools.lru_cache(maxsize=64)
def pages(pdf: Path) -> list[Page]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))  # type: ignore[union-attr]
    inks = ink_extents(pdf)
    out = []
    for n in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        out.append(Page(n, text, inks[n]))
    return out


def ink_extents(pdf: Path, dpi: int = 30) -> dict[int, float]:
    """Per page: the lowest row with ink in the printable area (margins excluded), as a share of it."""
    out: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), f"{folder}/p"], check=True)
        for image in Path(folder).glob("p-*.pgm"):
            magic, width, height, _maxval, pixels = image.read_bytes().split(maxsplit=4)
            assert magic == b"P5"
            w, h = int(width), int(height)
            top = round(h * (MARGIN_MM["top"] + 2) / PAGE_MM[1])  # the reference line sits in the margin
            bottom = round(h * (PAGE_MM[1] - MARGIN_MM["bottom"] - 2) / PAGE_MM[1])
            inked = [y for y in range(top, bottom) if min(pixels[y * w : (y + 1) * w]) < 160]
            out[int(image.stem.split("-")[1])] = (inked[-1] - top + 1) / (bottom - top) if inked else 0.0
    return out


@dataclass
class Printed:
    name: str
    lang: str
    reference: str
    pdf: Path


def _reference(path: Path) -> str:
    match = re.search(r"^id:\s*(\S.*)$", path.read_text(encoding="utf-8"), flags=re.M)
    return match.group(1).strip().strip("\"'") if match else ""


@pytest.fixture(scope="module")
def printed(printer: Printer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Printed]]:
    """Every example in both languages as HTML (via ``nami check --format html``) and as a PDF."""
    folder = tmp_path_factory.mktemp("print")
    runner = CliRunner()
    jobs: dict[str, tuple[Path, Printed]] = {}
    for example in EXAMPLES:
        for lang in ("nl", "en"):
            html = folder / f"{example.stem}-{lang}.html"
            args = ["check", "--format", "html", "--lang", lang, "--fail-on", "never", "-q", "-o", str(html)]
            result = runner.invoke(app, [*args, str(example)], catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
            key = f"{example.stem}-{lang}"
            jobs[key] = (html, Printed(example.stem, lang, _reference(example), html.with_suffix(".pdf")))
    for html, _ in jobs.values():
        printer.print(html)
    yield {key: job[1] for key, job in jobs.items()}


CASES = [f"{e.stem}-{lang}" for e in EXAMPLES for lang in ("nl", "en")]


@pytest.mark.parametrize("case", CASES)
def test_every_example_prints_on_a4_without_near_empty_pages(printed: dict[str, Printed], case: str) -> None:
    report = printed[case]
    found = pages(report.pdf)
    assert MIN_PAGES <= len(found) <= MAX_PAGES, f"{case}: {len(found)} pages"
    for page in found[:-1]:
        assert page.ink >= MIN_INK, f"{case}: page {page.number} is mostly blank (ink to {page.ink:.0%})"
    assert found[-1].ink > 0.05 and len(found[-1].text.split()) > 20, f"{case}: the last page is empty"


@pytest.mark.parametrize("case", CASES)
def test_every_page_has_the_reference_and_its_number(printed: dict[str, Printed], case: str) -> None:
    report = printed[case]
    found = pages(report.pdf)
    word = PAGE_WORD[report.lang]
    for page in found:
        assert f"{word} {page.number} / {len(found)}" in page.text, f"{case}: page {page.number}"
        assert report.reference and report.reference in page.text, f"{case}: page {page.number}"


def test_several_requests_each_start_on_a_page_with_their_own_reference(
    printer: Printer, tmp_path: Path
) -> None:
    html = tmp_path / "all.html"
    args = ["check", "--format", "html", "--fail-on", "never", "-q", "-o", str(html)]
    result = CliRunner().invoke(app, [*args, *map(str, EXAMPLES)], catch_exceptions=False)
    assert result.exit_code == 0
    found = pages(printer.print(html))
    references = [_reference(e) for e in EXAMPLES]
    owner = []
    for page in found:
        head = page.text.strip().splitlines()[0]  # the reference sits at the top right
        owner.append(next((r for r in references if r in head), None))
    assert owner[0] is None  # the overview: the document's own first page
    shown = [r for i, r in enumerate(owner) if r is not None and (i == 0 or owner[i - 1] != r)]
    assert shown == references  # each request once, in order, on consecutive pages
    for i, page in enumerate(found[:-1]):
        last_of_request = owner[i + 1] != owner[i]
        if not last_of_request:
            assert page.ink >= MIN_INK, f"page {page.number} is mostly blank (ink to {page.ink:.0%})"


def test_two_digit_list_numbers_are_not_clipped(printer: Printer, tmp_path: Path) -> None:
    """A list of twelve sources: 10., 11. and 12. stand inside the left margin."""
    from nami_cli.api import check_file, load_pack
    from nami_cli.assess.document import build_report
    from nami_cli.assess.result import SourceResult
    from nami_cli.render import RenderOptions
    from nami_cli.render import html as html_render

    pack = load_pack()
    result = check_file(str(ROOT / "examples" / "requests" / "laptops-vervanging.yaml"), pack, lang="nl")
    refuse = result.strategies[0]
    twelve = [SourceResult(title=f"Bron nummer {i}", year=2000 + i) for i in range(1, 13)]
    finding = refuse.findings[0].model_copy(update={"sources": twelve})
    strategies = [refuse.model_copy(update={"findings": [finding]}), *result.strategies[1:]]
    report = build_report([result.model_copy(update={"strategies": strategies})], pack, "nl")
    html = tmp_path / "twelve.html"
    html.write_text(html_render.render(report, RenderOptions(lang="nl")), encoding="utf-8")
    assert html.read_text(encoding="utf-8").count('<li id="source-') >= 12
    pdf = printer.print(html)
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True)
    numbers = re.findall(r'<word xMin="([0-9.]+)"[^>]*>(1[0-2])\.</word>', bbox.stdout)
    assert {n for _, n in numbers} == {"10", "11", "12"}
    left = MARGIN_MM["left"] * MM
    for x_min, n in numbers:
        assert float(x_min) >= left - 0.5, (
            f"list number {n}. starts at {float(x_min):.1f}pt, left of the margin"
        )


def test_the_pipe_prints_as_the_command_line_does(
    browser: str, printed: dict[str, Printed], tmp_path: Path
) -> None:
    """The command a buyer runs (``chromium --headless --print-to-pdf``) gives the same pages."""
    report = printed["meubilair-nl"]
    html = tmp_path / "meubilair.html"
    shutil.copy(report.pdf.with_suffix(".html"), html)
    by_command = pages(print_pdf(browser, html))
    by_pipe = pages(report.pdf)
    assert [p.text for p in by_command] == [p.text for p in by_pipe]
