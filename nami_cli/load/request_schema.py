"""The JSON Schema of a request file (``nami schema request``), made to accept what the loader accepts.

pydantic's own schema describes the model after its validators ran, so it refuses what the loader reads
on purpose (the shorthand ``refuse: yes``, ``ja``/``nee``, ``reason: nieuw``, ``category:
Kantoorartikelen``, ``title: 2026``) and cannot see the rule pack. This module starts from that schema
and widens or narrows each such field to the forms the loader takes:

* text fields take text, numbers and true/false (read as the text written); ``title`` must not be blank;
* answers take the words nami reads in any case (yes/ja/true, no/nee/false, unsure/weet niet/...),
  true/false, the shorthand ``refuse: ja`` and the full ``{answer, justification}``;
* reason, condition and trigger take their values and Dutch words in any case;
* category and obstacles take the ids of the pack in use and the names the loader reads as ids;
* numbers keep their bounds (``quantity`` > 0, the others >= 0); ``needed_by`` takes YYYY-M-D.

Deliberately stricter than the loader (an editor then suggests the canonical form): numbers written as
quoted text (``quantity: "5"``), and a ``cpv`` written as a number with a leading zero.
Not expressible in JSON Schema, so checked by the loader only: a date that is not in the calendar
(2027-02-30).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nami_cli.base.vocab import (
    ANSWER_WORDS,
    CONDITION_WORDS,
    CONDITIONS,
    REASON_WORDS,
    REASONS,
    TRIGGER_WORDS,
    TRIGGERS,
)

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack

_NULL = {"type": "null"}
_TEXT_TYPES = ["string", "number", "boolean"]
_TEXT_FIELDS = ("id", "description", "unit", "requester")
# Whitespace as Python's str.strip() removes it, in ECMA-262 regex syntax.
_WS = r"[\s\u001c-\u001f\u0085]*"


_SYNTAX = set("^$\\.*+?()[]{}|/")


def _escape(char: str) -> str:
    """Escape a character for a regex valid in both Python and ECMA-262 with the u flag."""
    return "\\" + char if char in _SYNTAX else char


def _caseless(word: str) -> str:
    """A regex for ``word`` in any case: ``ja`` -> ``[jJ][aA]``."""
    out = []
    for char in word:
        low, up = char.lower(), char.upper()
        out.append(f"[{low}{up}]" if low != up and len(low) == len(up) == 1 else _escape(char))
    return "".join(out)


def _one_of_words(words: list[str]) -> str:
    """A regex matching one of ``words`` in any case, with whitespace around it."""
    alternatives = "|".join(_caseless(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f"^{_WS}(?:{alternatives}){_WS}$"


def _words(canonical: list[str] | tuple[str, ...], dutch: dict[str, str], description: str) -> dict[str, Any]:
    return {
        "anyOf": [
            {"enum": list(canonical)},
            {"type": "string", "pattern": _one_of_words([*canonical, *dutch])},
        ],
        "description": description,
    }


def request_schema(pack: Pack) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a request file read with ``pack``."""
    from nami_cli.load.request import Request
    from nami_cli.load.validation import category_names, obstacle_names

    schema: dict[str, Any] = Request.model_json_schema(mode="validation")
    props: dict[str, Any] = schema["properties"]
    defs: dict[str, Any] = schema["$defs"]

    def text(field: dict[str, Any]) -> None:
        keep = {k: v for k, v in field.items() if k in ("title", "description", "default")}
        field.clear()
        field.update(keep)
        field["type"] = [*_TEXT_TYPES, "null"]

    for name in _TEXT_FIELDS:
        text(props[name])
    text(defs["Answer"]["properties"]["justification"])
    props["title"] = {
        "title": "Title",
        "description": "what is bought, in one line (required; text, not blank)",
        "anyOf": [{"type": "string", "pattern": r"\S"}, {"type": ["number", "boolean"]}],
    }
    props["nami"] = {"title": "Nami", "description": "schema version", "enum": [1, None]}
    props["cpv"] = {
        "title": "Cpv",
        "description": '8 digits with an optional check digit, best in quotes: "39294100-0"',
        "anyOf": [
            {"type": "string", "pattern": f"^{_WS}[0-9]{{8}}(-[0-9])?{_WS}$"},
            {"type": "integer", "minimum": 10000000, "maximum": 99999999},
            _NULL,
        ],
    }
    props["needed_by"] = {
        "title": "Needed By",
        "description": "a date, YYYY-MM-DD",
        "anyOf": [{"type": "string", "pattern": r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"}, _NULL],
    }
    reason = _words(REASONS, REASON_WORDS, "why: " + ", ".join(REASONS) + " (or in Dutch)")
    props["reason"] = {
        "title": "Reason",
        "anyOf": [*reason["anyOf"], _NULL],
        "description": reason["description"],
    }
    for name, canonical, dutch in (
        ("condition", CONDITIONS, CONDITION_WORDS),
        ("trigger", TRIGGERS, TRIGGER_WORDS),
    ):
        words = _words(canonical, dutch, ", ".join(canonical) + " (or in Dutch)")
        defs["Replaces"]["properties"][name] = {
            "title": name.title(),
            "anyOf": [*words["anyOf"], _NULL],
            "description": words["description"],
        }

    answer_words = _words(
        ["yes", "no", "unsure"], ANSWER_WORDS, "yes = it is needed; ja/nee are read as yes/no"
    )
    answer = {
        "anyOf": [*answer_words["anyOf"], {"type": "boolean"}],
        "description": answer_words["description"],
    }
    defs["Answer"]["properties"]["answer"] = {"title": "Answer", **answer}
    for strategy in ("refuse", "rethink", "reduce"):
        defs["Answers"]["properties"][strategy] = {
            "description": "the full form {answer, justification}, or the answer alone: "
            + strategy
            + ": yes",
            "anyOf": [{"$ref": "#/$defs/Answer"}, *answer["anyOf"], _NULL],
            "default": None,
        }

    if "Decision" in defs:
        _decision(defs, text)

    categories = category_names(pack)
    props["category"] = {
        "title": "Category",
        "description": "a category of the rule pack: its id, or its title (or a part) in Dutch or English",
        "anyOf": [
            {"enum": list(pack.categories)},
            {
                "type": "string",
                "pattern": _one_of_words([n for n, ids in categories.items() if len(ids) == 1]),
            },
            _NULL,
        ],
        "default": None,
    }
    obstacles = obstacle_names(pack)
    props["obstacles"] = {
        "title": "Obstacles",
        "description": "ids (or titles) of obstacles you expect: `nami rules list --obstacles`",
        "type": "array",
        "items": {
            "anyOf": [
                {"enum": list(pack.obstacles)},
                {
                    "type": "string",
                    "pattern": _one_of_words([n for n, ids in obstacles.items() if len(ids) == 1]),
                },
            ]
        },
    }
    return schema


def _decision(defs: dict[str, Any], text: Any) -> None:
    """The decision block: ``chosen`` in English or Dutch words, any case, with ``inkopen`` after it."""
    from nami_cli.load.request import DECISION_WORDS

    separator = r"(?:[\s_]+|-)"

    def spelled(word: str) -> str:
        return separator.join(_caseless(part) for part in word.split("-"))

    alternatives = "|".join(spelled(w) for w in sorted(DECISION_WORDS, key=lambda w: (-len(w), w)))
    suffix = f"(?:{separator}(?:{_caseless('inkopen')}|{_caseless('kopen')}))?"
    decision = defs["Decision"]["properties"]
    chosen = decision["chosen"]
    decision["chosen"] = {
        "title": chosen.get("title", "Chosen"),
        "description": chosen.get("description", ""),
        "anyOf": [
            {"enum": sorted(set(DECISION_WORDS.values()))},
            {"type": "string", "pattern": f"^{_WS}(?:{alternatives}){suffix}{_WS}$"},
        ],
    }
    for name in ("form", "reasoning"):
        if name in decision:
            text(decision[name])
    if "date" in decision:
        decision["date"] = {
            "title": "Date",
            "description": "a date, YYYY-MM-DD",
            "anyOf": [{"type": "string", "pattern": r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"}, _NULL],
        }
    who = defs.get("DecidedBy", {}).get("properties", {})
    if "name" in who:
        who["name"] = {
            "title": "Name",
            "anyOf": [{"type": "string", "pattern": r"\S"}, {"type": ["number", "boolean"]}],
        }
    if "role" in who:
        text(who["role"])
