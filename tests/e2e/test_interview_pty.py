"""``nami interview`` end to end in a real pseudo-terminal (pexpect): keys in, a request file out, and
``nami check`` on that file printing exactly the assessment the interview showed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow  # real terminals and fresh processes: seconds per test

ENTER = "\r"
UP = "\x1b[A"
CLEAR = "\x15"  # Ctrl-U
CTRL_C = "\x03"
WIDTH = 100
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")


def env() -> dict[str, str]:
    out = {
        k: v for k, v in os.environ.items() if not k.startswith(("NAMI_", "FORCE_COLOR", "COLUMNS", "LINES"))
    }
    out.update({"NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "NAMI_LANG": "en"})
    return out


def spawn(*args: str, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "nami_cli", "interview", *args],
        env=env(),
        cwd=str(cwd),
        dimensions=(50, WIDTH),
        encoding="utf-8",
        timeout=20,
    )


class Terminal:
    """Answers prompts: wait for the question's text, then type."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.screen = ""

    def answer(self, question: str, keys: str) -> None:
        self.child.expect(question)
        self.screen += (self.child.before or "") + (self.child.after or "")
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.screen += self.child.before or ""
        self.child.close()
        assert self.child.exitstatus is not None, self.child.signalstatus
        return int(self.child.exitstatus)


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


def panel_of(text: str) -> list[str]:
    """The lines of the last rich panel in ``text``, right-stripped."""
    text = plain(text)
    start = text.rindex("╭")
    start = text.rfind("\n", 0, start) + 1
    end = text.index("╯", start) + 1
    return [line.rstrip() for line in text[start:end].splitlines()]


def nami(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nami_cli", *args],
        cwd=str(cwd),
        env=dict(env(), COLUMNS=str(WIDTH)),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_interview_in_a_terminal_writes_a_file_that_check_reproduces(tmp_path: Path) -> None:
    t = Terminal(spawn("-o", "desks.yaml", "--lang", "en", cwd=tmp_path))
    t.answer("Title of the purchase", "Desks for the third floor" + ENTER)
    t.answer(r"Description \(", "40 sit-stand desks" + ENTER)
    t.answer(r"Category \(", CLEAR + "furn" + ENTER)  # search-as-you-type: a part of the name
    t.answer(r"CPV code", ENTER)
    t.answer(r"Quantity:", "-4" + ENTER)
    t.answer("Must be greater than 0", CLEAR + "40" + ENTER)  # refused in place, corrected
    t.answer(r"Unit \(", "pieces" + ENTER)
    t.answer("Unit price", "650,50" + ENTER)  # Dutch decimal comma
    t.answer("Why this purchase", ENTER)  # default: new
    t.answer(r"Requester \(", ENTER)
    t.answer("data on current use", "y" + ENTER)
    t.answer(r"Stock now", ENTER)
    t.answer(r"Use per year", ENTER)
    t.answer(r"Number of users", "30" + ENTER)
    t.answer(r"Is this really needed\?", UP + UP + ENTER)  # from "unsure" up to "yes"
    t.answer(r"Justification", "The floor is taken into use again" + ENTER)
    t.answer(r"repaired or maintained\?", ENTER)  # unsure
    t.answer(r"spare furniture elsewhere", UP + UP + ENTER)  # yes
    t.answer(r"refurbished", ENTER)
    t.answer(r"lease or product-as-a-service", ENTER)
    t.answer(r"Is it needed in this form\?", ENTER)  # the suggested "no"
    t.answer(r"Justification", ENTER)  # starts empty; Enter leaves it empty
    t.answer(r"more items ordered than there are users\?", ENTER)
    t.answer(r"hybrid working", ENTER)
    t.answer(r"Is it needed in this quantity\?", ENTER)
    t.answer(r"Justification", ENTER)
    t.answer(r"Do you expect obstacles\?", "y" + ENTER)
    t.answer(r"Obstacles at the individual level", ENTER)
    t.answer(r"Obstacles at the organisation level", " " + ENTER)  # the first one
    t.answer(r"Obstacles at the system level", ENTER)
    t.answer(r"What was decided\?", ENTER)  # decide later
    assert t.finish() == 0

    written = tmp_path / "desks.yaml"
    text = written.read_text(encoding="utf-8")
    assert "title: Desks for the third floor\n" in text
    assert "category: furniture\n" in text
    assert "quantity: 40\n" in text and "unit_price: 650.5\n" in text
    assert "users: 30\n" in text
    assert "answer: 'yes'" in text and "answer: 'no'" in text

    # `nami check` on the file gives the same advice, and prints the very panel the interview showed
    checked = nami(
        "check", "desks.yaml", "--format", "json", "--lang", "en", "--fail-on", "never", cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout)["results"][0]
    assert result["advice"] == "rethink"
    verdicts = {s["strategy"]: (s["verdict"], s["answer"]) for s in result["strategies"]}
    assert verdicts == {
        "refuse": ("justified", "yes"),
        "rethink": ("opportunity", "no"),
        "reduce": ("opportunity", "unsure"),
    }
    assert any(ob["expected"] for ob in result["obstacles"])
    shown = nami(
        "check", "desks.yaml", "--lang", "en", "--color", "never", "--fail-on", "never", cwd=tmp_path
    )
    assert panel_of(t.screen) == panel_of(shown.stdout)
    assert "Advice: Rethink" in plain(t.screen)
    assert "`nami check desks.yaml` gives this same result" in plain(t.screen)


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    t = Terminal(spawn("-o", "r.yaml", "--lang", "en", cwd=tmp_path))
    t.answer("Title of the purchase", "Chairs" + ENTER)
    t.answer(r"Description \(", "twenty chairs" + CTRL_C)
    assert t.finish() == 130
    assert "nami: interrupted" in plain(t.screen)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_kept_when_the_buyer_declines(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    original = """\
title: Chairs
description: twenty chairs
category: office-supplies
cpv: '30192000'
quantity: 20
unit: pieces
unit_price: 10
reason: new
requester: Facilities
usage: {stock: 0}
obstacles: []
answers:
  refuse: {answer: yes, justification: needed}
  rethink: {answer: yes, justification: ok}
  reduce: {answer: yes, justification: ok}
"""
    source.write_text(original, encoding="utf-8")
    t = Terminal(spawn("r.yaml", "--lang", "en", cwd=tmp_path))
    t.answer("Which parts do you want to change", ENTER)  # nothing: only what is missing is asked
    t.answer(r"Use per year", ENTER)
    t.answer(r"Number of users", ENTER)
    t.answer(r"What was decided\?", ENTER)  # missing, so asked; Enter decides later
    t.answer("Save as", ENTER)  # default: the file it started from
    t.answer("r.yaml exists. Overwrite it", ENTER)  # default: no
    t.answer("Save as", CLEAR + "copy.yaml" + ENTER)
    assert t.finish() == 0
    assert source.read_text(encoding="utf-8") == original
    copy = (tmp_path / "copy.yaml").read_text(encoding="utf-8")
    assert "title: Chairs\n" in copy and "justification: needed\n" in copy


def test_without_a_terminal_it_exits_2(tmp_path: Path) -> None:
    done = nami("interview", "-o", "r.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "nami interview needs a terminal; use `nami check FILE` for files and scripts" in done.stderr
    assert list(tmp_path.iterdir()) == []
