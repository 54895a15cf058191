"""The stable vocabulary of nami (spec section 1): strategies, verdicts, dimensions, levels.

This module is the one place that owns these ids, their order and their display names. It imports
nothing heavy, so the CLI can use it at start-up.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from nami_cli.i18n import labels

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)

Strategy = Literal["refuse", "rethink", "reduce"]
STRATEGIES: tuple[Strategy, ...] = get_args(Strategy)  # priority order

Verdict = Literal["opportunity", "open", "justified"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

Dimension = Literal["technical", "economic", "legal", "socio-cultural"]
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)

Level = Literal["individual", "organisation", "system"]
LEVELS: tuple[Level, ...] = get_args(Level)

FailOn = Literal["opportunity", "open", "never"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)

Advice = Literal["refuse", "rethink", "reduce", "none"]
#: the advice of a request or row: a strategy, or "none" when no strategy applies
ADVICE_KEYS: tuple[Advice, ...] = (*STRATEGIES, "none")
RowAdvice = Literal["refuse", "rethink", "reduce", "none", "error"]
#: the advice keys of a screened list: "error" counts the rows that could not be read
ROW_ADVICE_KEYS: tuple[RowAdvice, ...] = (*ADVICE_KEYS, "error")

STRATEGY_LABEL: dict[str, dict[str, str]] = labels("strategy")

STRATEGY_RUNG: dict[str, str] = {"refuse": "R0", "rethink": "R1", "reduce": "R2"}

#: the choices of the buyer's decision (request ``decision.chosen``)
DecisionChoice = Literal["refuse", "rethink", "reduce", "buy-as-requested"]
DECISIONS: tuple[DecisionChoice, ...] = get_args(DecisionChoice)
DECISION_LABEL: dict[str, dict[str, str]] = labels("decision.label")

QUESTION: dict[str, dict[str, str]] = labels("question")

VERDICT_LABEL: dict[str, dict[str, str]] = labels("verdict")

DIMENSION_LABEL: dict[str, dict[str, str]] = labels("dimension")

LEVEL_LABEL: dict[str, dict[str, str]] = labels("level")

AnswerWord = Literal["yes", "no", "unsure"]
ANSWERS: tuple[AnswerWord, ...] = get_args(AnswerWord)
ANSWER_LABEL: dict[str, dict[str, str]] = labels("answer")

#: The words read as an answer (``ja`` is yes); lower case.
ANSWER_WORDS: dict[str, str] = {
    "yes": "yes",
    "ja": "yes",
    "true": "yes",
    "no": "no",
    "nee": "no",
    "false": "no",
    "unsure": "unsure",
    "weet niet": "unsure",
    "onzeker": "unsure",
    "unknown": "unsure",
}

#: What an answer means, per strategy: the direction of yes and no made explicit in the output.
ANSWER_MEANING: dict[str, dict[str, dict[str, str]]] = {
    strategy: labels(f"answer_meaning.{strategy}") for strategy in STRATEGIES
}

#: A date as a request writes it (YAML's own date form, month and day with one or two digits).
DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\Z")

#: A CPV code as a request writes it: 8 digits, optionally ``-`` and a check digit.
CPV_CODE = re.compile(r"[0-9]{8}(-[0-9])?\Z")

#: The 45 divisions (first two digits) of the CPV 2008 vocabulary, Regulation (EC) No 213/2008.
CPV_DIVISIONS = frozenset(
    "03 09 14 15 16 18 19 22 24 30 31 32 33 34 35 37 38 39 41 42 43 44 45 48 50 51 55 60 63 64 65 66 "  # noqa: SIM905
    "70 71 72 73 75 76 77 79 80 85 90 92 98".split()
)

Reason = Literal["new", "replacement", "expansion", "budget-remaining", "policy", "other"]
REASONS: tuple[Reason, ...] = get_args(Reason)
Condition = Literal["working", "degraded", "broken", "unknown"]
CONDITIONS: tuple[Condition, ...] = get_args(Condition)
Trigger = Literal["age", "defect", "policy", "user-request", "other"]
TRIGGERS: tuple[Trigger, ...] = get_args(Trigger)

#: Dutch words read as the values above (``reason: nieuw`` is ``reason: new``); the first word of each
#: value is the one nami writes in Dutch templates.
REASON_WORDS: dict[str, str] = {
    "nieuw": "new",
    "vervanging": "replacement",
    "uitbreiding": "expansion",
    "restbudget": "budget-remaining",
    "budget over": "budget-remaining",
    "beleid": "policy",
    "anders": "other",
    "overig": "other",
}
CONDITION_WORDS: dict[str, str] = {
    "werkend": "working",
    "werkt": "working",
    "verslechterd": "degraded",
    "matig": "degraded",
    "kapot": "broken",
    "stuk": "broken",
    "onbekend": "unknown",
}
TRIGGER_WORDS: dict[str, str] = {
    "ouderdom": "age",
    "leeftijd": "age",
    "defect": "defect",
    "beleid": "policy",
    "verzoek": "user-request",
    "gebruikersverzoek": "user-request",
    "anders": "other",
    "overig": "other",
}


def default_lang() -> str:
    """The language from ``NAMI_LANG`` if it is one we speak, else Dutch."""
    import os

    value = os.environ.get("NAMI_LANG", "").strip().lower()
    return value if value in LANGS else "nl"
