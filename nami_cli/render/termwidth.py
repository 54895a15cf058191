"""The width of the terminal, and wrapping that never splits an amount.

Text output follows the terminal: ``COLUMNS`` when set, else the terminal's width, else 100 columns (a
pipe or a file). Below 40 columns nothing stays readable, so that is the floor.

Amounts are written with a no-break space (``€\u00a02.100,00``, see
:mod:`nami_cli.render.number_format`). rich breaks
lines at any Unicode space, the no-break space included; :func:`keep_amounts_together` makes its line
breaker treat the no-break spaces (U+00A0, U+2007, U+202F) as part of a word, as typography intends.
"""

from __future__ import annotations

import os
import re
import shutil
import sys

DEFAULT_WIDTH = 100
MIN_WIDTH = 40

_NO_BREAK = "\u00a0\u2007\u202f"
# a "word" for the line breaker: breaking spaces, then characters that are not breaking spaces
_WORD = re.compile(rf"[^\S{_NO_BREAK}]*(?:[^\s]|[{_NO_BREAK}])+[^\S{_NO_BREAK}]*")


def terminal_width(default: int = DEFAULT_WIDTH) -> int:
    """Columns to write text in: ``COLUMNS``, else the terminal's width, else ``default``."""
    value = os.environ.get("COLUMNS", "").strip()
    if value.isdigit() and int(value) > 0:
        return max(MIN_WIDTH, int(value))
    if sys.stdout.isatty():
        return max(MIN_WIDTH, shutil.get_terminal_size((default, 24)).columns)
    return default


def keep_amounts_together() -> None:
    """Make rich's line breaker keep words joined by a no-break space on one line (idempotent)."""
    from rich import _wrap

    _wrap.re_word = _WORD
