"""Number formatting and the terminal width (``nami_cli.render.number_format``, ``render.termwidth``)."""

from __future__ import annotations

import io
import os
import sys

import pytest

from nami_cli.render.number_format import money, number, percent
from nami_cli.render.termwidth import DEFAULT_WIDTH, MIN_WIDTH, terminal_width


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (1234.5, "nl", None, "1.234,5"),
        (1234.5, "en", None, "1,234.5"),
        (1234, "nl", None, "1.234"),
        (1234567.891, "nl", 0, "1.234.568"),
        (0.5, "en", 2, "0.50"),
        (None, "nl", None, ""),
        (float("nan"), "nl", None, "nan"),
        (float("inf"), "en", 2, "inf"),
    ],
)
def test_number(value: float | None, lang: str, decimals: int | None, text: str) -> None:
    assert number(value, lang, decimals) == text


def test_money_in_both_languages_and_signs() -> None:
    assert money(1045, "nl") == "€\u00a01.045,00"
    assert money(-1045.5, "nl") == "-€\u00a01.045,50"
    assert money(1045.5, "en") == "€1,045.50"
    assert money(-3, "en", 0) == "-€3"
    assert money(None, "en") == ""


def test_percent() -> None:
    assert percent(1, 8, "nl") == "12,5%" and percent(1, 8, "en") == "12.5%"
    assert percent(1, 0, "nl") == "" and percent(None, 8, "en") == "" and percent(3, None, "en") == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_width_from_columns_with_a_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert terminal_width() == 120
    monkeypatch.setenv("COLUMNS", "12")
    assert terminal_width() == MIN_WIDTH == 40


def test_terminal_width_of_a_pipe_and_of_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "wide")  # not a number: ignored
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert terminal_width() == DEFAULT_WIDTH and terminal_width(70) == 70
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys, "stdout", _Tty())
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((33, 9)))
    assert terminal_width() == MIN_WIDTH
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((150, 9)))
    assert terminal_width() == 150
