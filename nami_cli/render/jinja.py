"""The Jinja2 environments of the reports (HTML and Markdown) and the escaping they apply.

Jinja2 is imported when a report is rendered, not at start-up. Every text that comes from an input file
(request, answers, rule pack, purchase list) is escaped: by HTML autoescaping, or by :func:`md_escape`
for Markdown.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nami_cli.base.safetext import visible, visible_line
from nami_cli.base.vocab import (
    DECISION_LABEL,
    VERDICT_LABEL,
)
from nami_cli.render.number_format import money, number, percent

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")

#: the mark beside a verdict in the reports
VERDICT_MARK = {"opportunity": "!", "open": "?", "justified": "✓"}


# --- markdown escaping ---------------------------------------------------------------------------

_MD_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break space of money()
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~$&])")
_MD_LIST_START = re.compile(r"(\d+)([.)])(?=\s|$)")


def md_escape(value: object) -> str:
    """Text safe inside a Markdown line or table cell: one line, specials backslash-escaped.

    CommonMark renders a backslash before ASCII punctuation as the character itself, so the reader sees
    the text as written; ``<script>`` stays text and ``|`` does not break a table. A leading ``#``, ``=``,
    ``+``, ``-`` or ``1.`` cannot start a heading or a list.
    """
    text = visible_line(_MD_SPACE.sub(" ", str(value)).strip(" "))  # ESC shows as \x1b
    text = _MD_INLINE.sub(r"\\\1", text)
    if text[:1] in ("#", "=", "+", "-"):
        text = "\\" + text
    return _MD_LIST_START.sub(r"\1\\\2", text, count=1) if _MD_LIST_START.match(text) else text


def css_string(value: object) -> Markup:
    """``value`` as a quoted CSS string that is safe in a ``<style>`` element: every character that is
    not a letter, digit, space or dot is written as a CSS hex escape (so no quote, backslash, ``<`` or
    ``&`` reaches the style sheet as itself)."""
    from markupsafe import Markup

    text = " ".join(str(value).split())
    out = "".join(c if c.isalnum() or c in " ." else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{out}"')


# --- Jinja2 --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def environment(kind: Literal["html", "markdown"]) -> jinja2.Environment:
    """The Jinja2 environment of the reports; imported here, not at start-up.

    ``html``: autoescaping on for every template. ``markdown``: every ``{{ value }}`` goes through
    :func:`md_escape` unless it is marked safe (a :class:`markupsafe.Markup`), so no template can forget.
    """
    import jinja2
    from markupsafe import Markup

    common: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(str(TEMPLATES)),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":

        def visible_text(value: object) -> object:  # control characters as \x1b, then HTML-escaped
            return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value

        env = jinja2.Environment(autoescape=True, finalize=visible_text, **common)
    else:

        def finalize(value: object) -> object:
            if value is None:
                return ""
            return value if isinstance(value, Markup) else md_escape(value)

        env = jinja2.Environment(autoescape=False, finalize=finalize, **common)
    env.globals.update(DECISION_LABEL=DECISION_LABEL, VERDICT_LABEL=VERDICT_LABEL, VERDICT_MARK=VERDICT_MARK)
    env.filters.update(number=number, money=money, percent=percent, css_string=css_string)
    return env
