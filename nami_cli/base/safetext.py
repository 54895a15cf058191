"""Text from data, made safe to show in a terminal.

Everything nami prints that comes from a file, an argument or a rule pack passes through here first:

- :func:`visible` shows control characters as escapes: ``ESC`` becomes the four characters ``\\x1b``,
  so an escape sequence in a list cell (OSC 52 to the clipboard, OSC 0 to the window title, ``ESC[2J``
  to clear the screen) is printed, never obeyed. C0 (except newline and tab), DEL and C1 are escaped.
- :func:`visible_line` escapes newline and tab too: for one-line places (file names in messages,
  table cells), where a line break in data could fake a line of output.
- :func:`plain` wraps the text in a rich ``Text``, which rich never reads as markup: ``[link=...]`` or
  ``[/bold]`` in data is printed as written.

No rich import at module level: the CLI imports this for messages before it knows it needs rich.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def visible(text: object) -> str:
    """``text`` with every control character except newline and tab shown as an escape (``\\x1b``)."""
    value = text if isinstance(text, str) else str(text)
    return _CONTROL.sub(_escape, value) if _CONTROL.search(value) else value


def visible_line(text: object) -> str:
    """``text`` on one line: like :func:`visible`, and newline, tab and return shown as ``\\n`` etc."""
    value = text if isinstance(text, str) else str(text)
    return _CONTROL_LINE.sub(_escape, value) if _CONTROL_LINE.search(value) else value


def plain(text: object, style: str = "", *, line: bool = False) -> Any:
    """A rich ``Text`` of ``text`` made visible: never read as markup, no control characters."""
    from rich.text import Text

    return Text(visible_line(text) if line else visible(text), style=style)


def markup_escape(text: object, *, line: bool = False) -> str:
    """``text`` made visible and escaped for a place where rich reads markup (``[`` -> ``\\[``)."""
    from rich.markup import escape

    return escape(visible_line(text) if line else visible(text))
