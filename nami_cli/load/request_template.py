"""The commented request template that ``nami init`` writes, in Dutch or English.

Every key of the request file is present, empty unless required, with a comment that says what it means
and how to write it. The template is valid as it stands: ``nami check`` reads it untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nami_cli.base.vocab import (
    CONDITION_WORDS,
    QUESTION,
    REASON_WORDS,
    STRATEGY_LABEL,
    TRIGGER_WORDS,
)
from nami_cli.i18n import t

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack

DEFAULT_FILE = {lang: t("template.default_file", lang) for lang in ("nl", "en")}

_COLUMN = 24  # where the comments start


def _dutch(words: dict[str, str]) -> str:
    """The first Dutch word for each value, in the order of the values: ``nieuw | vervanging | ...``."""
    seen: dict[str, str] = {}
    for word, value in words.items():
        seen.setdefault(value, word)
    return " | ".join(seen.values())


def _line(key: str, comment: str) -> str:
    pad = max(_COLUMN, len(key) + 2)  # a comment needs a space before its '#'
    return f"{key:<{pad}}# {comment}".rstrip()


def request_template(pack: Pack, lang: str, *, file: str = "") -> str:
    """The request template in ``lang`` (nl or en), listing the categories of ``pack``."""
    from nami_cli.base.vocab import CONDITIONS, REASONS, TRIGGERS

    nl = lang == "nl"  # Dutch templates show the Dutch words nami reads for the values
    shown = file or DEFAULT_FILE[lang]
    out: list[str] = t("template.header", lang, file=shown).split("\n")
    reasons = _dutch(REASON_WORDS) if nl else " | ".join(REASONS)
    conditions = _dutch(CONDITION_WORDS) if nl else " | ".join(CONDITIONS)
    triggers = _dutch(TRIGGER_WORDS) if nl else " | ".join(TRIGGERS)
    fields = [
        ("nami: 1", "nami"),
        ("id:", "id"),
        (f"title: {t('template.title', lang)}", "title_comment"),
        ("description:", "description"),
        ("category:", "category"),
    ]
    for key, comment in fields:
        out.append(_line(key, t(f"template.{comment}", lang)))
    for cat in pack.categories.values():
        out.append(f"{'':<{_COLUMN}}#   {cat.id:<24} {cat.title(lang)}")
    more = [
        ("cpv:", t("template.cpv", lang)),
        ("quantity:", t("template.quantity", lang)),
        ("unit:", t("template.unit", lang)),
        ("unit_price:", t("template.unit_price", lang)),
        ("estimated_value:", t("template.estimated_value", lang)),
        ("reason:", t("template.reason", lang, values=reasons)),
        ("replaces:", t("template.replaces", lang)),
        ("  age_years:", t("template.age_years", lang)),
        ("  condition:", t("template.condition", lang, values=conditions)),
        ("  trigger:", t("template.trigger", lang, values=triggers)),
        ("usage:", t("template.usage", lang)),
        ("  stock:", t("template.stock", lang)),
        ("  annual_use:", t("template.annual_use", lang)),
        ("  users:", t("template.users", lang)),
        ("requester:", t("template.requester", lang)),
        ("needed_by:", t("template.needed_by", lang)),
        ("obstacles: []", t("template.obstacles", lang)),
    ]
    for key, comment in more:
        out.append(_line(key, comment))
    out.append(f"{'':<{_COLUMN}}# `nami rules list --obstacles` {t('template.obstacle_ids', lang)}")
    out.append("")
    out += t("template.answers", lang).split("\n")
    out.append("answers:")
    yes = t("template.yes", lang)
    for strategy in ("refuse", "rethink", "reduce"):
        needed = t(f"template.needed.{strategy}", lang)
        out.append(
            _line(
                f"  {strategy}:",
                f"{STRATEGY_LABEL[strategy][lang]}: {QUESTION[strategy][lang]}  {yes}{needed}",
            )
        )
    out.append("")
    out += t("template.decision_help", lang).split("\n")
    out.append(_line("decision:", t("template.decision", lang)))
    return "\n".join(out) + "\n"
