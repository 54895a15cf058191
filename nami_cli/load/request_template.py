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

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack

DEFAULT_FILE = {"nl": "aanvraag.yaml", "en": "request.yaml"}

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

    nl = lang == "nl"
    shown = file or DEFAULT_FILE[lang]
    out: list[str] = []
    if nl:
        out += [
            "# Aanvraag voor nami (Niet, Anders, Minder Inkopen).",
            "# Vul in wat je weet en laat de rest leeg; alleen `title` is verplicht.",
            f"# Controleer daarna met:  nami check {shown}",
            "# Springen in met spaties, niet met tabs. Tekst met een dubbele punt (:) of hekje (#) zet je",
            '# tussen aanhalingstekens: description: "Let op: 2 soorten"',
            "",
        ]
    else:
        out += [
            "# A purchase request for nami (refuse, rethink, reduce before you buy).",
            "# Fill in what you know and leave the rest empty; only `title` is required.",
            f"# Then check it with:  nami check {shown}",
            "# Indent with spaces, not tabs. Put text with a colon (:) or hash (#) in quotes:",
            '# description: "Note: 2 kinds"',
            "",
        ]
    title = "Omschrijf in één regel wat je wilt kopen" if nl else "Say in one line what you want to buy"
    reasons = _dutch(REASON_WORDS) if nl else " | ".join(REASONS)
    conditions = _dutch(CONDITION_WORDS) if nl else " | ".join(CONDITIONS)
    triggers = _dutch(TRIGGER_WORDS) if nl else " | ".join(TRIGGERS)
    fields: list[tuple[str, str, str]] = [
        ("nami: 1", "versie van dit formaat; laat zo staan", "version of this format; leave as is"),
        ("id:", "je eigen kenmerk, bijv. INK-2026-031", "your own reference, e.g. PR-2026-031"),
        (f"title: {title}", "verplicht: vervang deze tekst", "required: replace this text"),
        ("description:", "meer uitleg: wat, voor wie, waarom", "more detail: what, for whom, why"),
        (
            "category:",
            "een categorie uit de lijst hieronder (id of naam); leeg = nami leidt hem af",
            "a category from the list below (id or name); empty = nami infers it",
        ),
    ]
    for key, comment_nl, comment_en in fields:
        out.append(_line(key, comment_nl if nl else comment_en))
    for cat in pack.categories.values():
        out.append(f"{'':<{_COLUMN}}#   {cat.id:<24} {cat.title(lang)}")
    more: list[tuple[str, str, str]] = [
        (
            "cpv:",
            'CPV-code: 8 cijfers, eventueel met controlecijfer, tussen aanhalingstekens: "30192000-1"',
            'CPV code: 8 digits, optional check digit, in quotes: "30192000-1"',
        ),
        ("quantity:", "aantal, groter dan 0", "how many, more than 0"),
        ("unit:", "eenheid, bijv. stuks, dozen, uren", "unit, e.g. pieces, boxes, hours"),
        (
            "unit_price:",
            "prijs per eenheid in euro excl. btw; decimalen met een punt: 2.10",
            "price per unit in euro excl. VAT; decimals with a point: 2.10",
        ),
        (
            "estimated_value:",
            "geraamde waarde in euro excl. btw; leeg = aantal x prijs per eenheid",
            "estimated value in euro excl. VAT; empty = quantity x unit price",
        ),
        ("reason:", f"reden: {reasons}", f"why: {reasons}"),
        ("replaces:", "wat de aankoop vervangt (bij een vervanging)", "what the purchase replaces, if any"),
        ("  age_years:", "leeftijd in jaren", "age in years"),
        ("  condition:", f"staat: {conditions}", f"condition: {conditions}"),
        ("  trigger:", f"aanleiding: {triggers}", f"trigger: {triggers}"),
        ("usage:", "gegevens over het huidige gebruik", "data about current use"),
        ("  stock:", "voorraad nu, in eenheden", "units in stock now"),
        ("  annual_use:", "verbruik per jaar, in eenheden", "units used per year"),
        ("  users:", "aantal mensen dat het gebruikt", "number of people who use it"),
        ("requester:", "wie het aanvraagt (afdeling of team)", "who asks for it (department or team)"),
        ("needed_by:", "nodig op, als JJJJ-MM-DD: 2027-03-01", "needed by, as YYYY-MM-DD: 2027-03-01"),
        (
            "obstacles: []",
            "belemmeringen die je verwacht, als lijst van ids: [habitual-ordering]",
            "obstacles you expect, as a list of ids: [habitual-ordering]",
        ),
    ]
    for key, comment_nl, comment_en in more:
        out.append(_line(key, comment_nl if nl else comment_en))
    shows = "toont de ids" if nl else "shows the ids"
    out.append(f"{'':<{_COLUMN}}# `nami rules list --obstacles` {shows}")
    out.append("")
    if nl:
        out += [
            "# Je antwoorden op de drie vragen. Let op de richting van ja en nee:",
            "#   ja        = het IS nodig (zo, in deze vorm, in deze hoeveelheid); schrijf erbij waarom",
            "#   nee       = het is NIET nodig: een kans om niet, anders of minder te kopen",
            "#   weet niet = nog open",
            "# Kort:              refuse: ja",
            '# Met onderbouwing:  refuse: {answer: ja, justification: "waarom het nodig is"}',
        ]
    else:
        out += [
            "# Your answers to the three questions. Mind the direction of yes and no:",
            "#   yes    = it IS needed (at all, in this form, in this quantity); say why",
            "#   no     = it is NOT needed: an opportunity to refuse, rethink or reduce",
            "#   unsure = still open",
            "# Short:               refuse: yes",
            '# With justification:  refuse: {answer: yes, justification: "why it is needed"}',
        ]
    out.append("answers:")
    yes = "ja = " if nl else "yes = "
    needed = {
        "refuse": "het is nodig" if nl else "it is needed",
        "rethink": "deze vorm is nodig" if nl else "this form is needed",
        "reduce": "deze hoeveelheid is nodig" if nl else "this quantity is needed",
    }
    for strategy in ("refuse", "rethink", "reduce"):
        out.append(
            _line(
                f"  {strategy}:",
                f"{STRATEGY_LABEL[strategy][lang]}: {QUESTION[strategy][lang]}  {yes}{needed[strategy]}",
            )
        )
    out.append("")
    if nl:
        out += [
            "# Je besluit, na de drie vragen (mag later): wat je doet, wie besloot, wanneer en waarom.",
            "#   chosen: niet | anders | minder | zoals-gevraagd",
            '#   decision: {chosen: minder, quantity: 40, decided_by: {name: "...", role: inkoper},',
            '#              date: 2027-01-15, reasoning: "..."}',
        ]
    else:
        out += [
            "# Your decision after the three questions (may come later): what, who decided, when and why.",
            "#   chosen: refuse | rethink | reduce | buy-as-requested",
            '#   decision: {chosen: reduce, quantity: 40, decided_by: {name: "...", role: buyer},',
            '#              date: 2027-01-15, reasoning: "..."}',
        ]
    out.append(_line("decision:", "leeg tot je besluit" if nl else "empty until you decide"))
    return "\n".join(out) + "\n"
