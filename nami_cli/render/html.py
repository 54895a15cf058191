"""``--format html``: the NAMI justification ("NAMI-onderbouwing") as one self-contained HTML file.

One file, no external resources, no JavaScript: inline CSS that prints on A4 and reads on a phone. Every
text that comes from an input file (request, answers, rule pack) is escaped by Jinja2's autoescaping
(:mod:`nami_cli.render.jinja`). The template (``check.html``, on ``base.html``) lays out the view of
:func:`nami_cli.render.viewmodel.report_view`, which the Markdown report shares.
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
    """The HTML justification of every request in ``report``.

    ``matrix`` (optional) is the pack's obstacles matrix (:meth:`ObstacleMatrix.of_pack`): with it, the
    obstacles matrix shows every obstacle of the pack and marks this request's; without it, it shows this
    request's only.
    """
    lang = options.lang if options.lang in WORDS else "nl"
    return (
        environment("html")
        .get_template("check.html")
        .render(report_view(report, lang, matrix if matrix is not None else options.matrix))
    )
