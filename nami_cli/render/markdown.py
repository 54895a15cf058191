"""``--format markdown``: the NAMI justification as Markdown for a tender file, a wiki or a merge request.

Plain CommonMark with GitHub-style tables, no HTML, so it renders the same on GitHub, GitLab, Azure
DevOps and in most editors. Every text from an input file is escaped for Markdown (see
:func:`nami_cli.render.jinja.md_escape`): ``<script>`` shows as text, a ``|`` does not break a table and a
leading ``=`` or ``#`` does not start a heading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nami_cli.render.jinja import environment
from nami_cli.render.viewmodel import report_view
from nami_cli.render.words import WORDS

if TYPE_CHECKING:
    from nami_cli.assess.result import Report
    from nami_cli.render import RenderOptions
    from nami_cli.render.matrix import ObstacleMatrix


def render(report: Report, options: RenderOptions, matrix: ObstacleMatrix | None = None) -> str:
    """The Markdown justification of every request in ``report`` (``matrix``: see the HTML renderer)."""
    lang = options.lang if options.lang in WORDS else "nl"
    text = (
        environment("markdown")
        .get_template("check.md")
        .render(report_view(report, lang, matrix if matrix is not None else options.matrix))
    )
    # one blank line between blocks, whatever the template's whitespace; a newline at the end
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"
