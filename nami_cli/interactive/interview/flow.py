"""The interview: pure logic that asks through a :class:`~.prompter.Prompter` and returns a
request dict (the keys of a request file). No printing, no files.

Order of the questions:

1. what is bought: title, description, category (search-as-you-type list of the pack's categories, with
   the category nami recognises in the text as default), CPV, quantity, unit, unit price (or else the
   estimated value), reason and requester;
2. for a replacement: age, condition and trigger of what is replaced;
3. usage data, where it exists: stock, annual use, users;
4. the three NAMI questions in order (refuse, rethink, reduce). Before each, nami shows what its rules
   already see in the answers so far; then it asks the **follow-up questions**, which come from the rule
   pack: those of every rule of this strategy whose condition names the request's category (see
   :func:`follow_ups`). Each rule words its own questions in its ``questions`` field; a rule without
   them, such as one of an organisation's own pack, is asked by its title ("<title> — does this apply
   here?").
   Yes to a follow-up means "this applies here": a reason to refuse, rethink or reduce. The answers
   suggest the default of the main question (any yes: "no, not needed like this"; all no: "yes"; else
   "unsure"); the justification that follows starts empty: it is the buyer's own words;
5. the obstacles the buyer expects, one list per level of the matrix, grouped by dimension;
6. the decision (optional; Enter decides later): what is chosen, the new quantity (reduce) or form
   (rethink), who decides (name, role), the date and the reasoning.

With a starting request (``nami interview FILE``) the buyer first picks the parts to change; everything
else that is already filled in is kept without asking, everything missing is asked.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nami_cli.base.vocab import (
    ANSWER_LABEL,
    CONDITIONS,
    CPV_CODE,
    DATE,
    QUESTION,
    REASONS,
    STRATEGIES,
    STRATEGY_LABEL,
    STRATEGY_RUNG,
    TRIGGERS,
)
from nami_cli.i18n import words
from nami_cli.interactive.interview.prompter import Choice, NumberSpec, Prompter
from nami_cli.render.matrix import ObstacleMatrix

if TYPE_CHECKING:
    from nami_cli.assess.engine import Hit
    from nami_cli.rulepack.conditions import Facts
    from nami_cli.rulepack.pack import Pack

SECTIONS: tuple[str, ...] = (
    "item",
    "replaces",
    "usage",
    "refuse",
    "rethink",
    "reduce",
    "obstacles",
    "decision",
)
LATER = "later"  # the decision's choice "decide later": no decision is written

QUANTITY = NumberSpec(minimum=0, strict=True)  # Request.quantity: > 0
AMOUNT = NumberSpec(minimum=0)  # prices, value, age, stock, annual use: >= 0
WHOLE = NumberSpec(minimum=0, integer=True)  # users: a whole number >= 0


WORDS: dict[str, dict[str, Any]] = words("interview.flow")


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question raised by a rule of the pack."""

    name: str  # the prompt name: the rule id, with .1, .2 ... when a rule raises several questions
    rule: str
    question: str


def follow_ups(pack: Pack, category: str | None, strategy: str, lang: str) -> list[FollowUp]:
    """The follow-up questions for a strategy: those of every enabled rule of ``strategy`` whose condition
    names ``category``, in pack order. Wording from the rule's ``questions``, else the rule's title."""
    if category is None:
        return []
    out: list[FollowUp] = []
    for rule in pack.rules:
        if rule.rule.strategy != strategy or category not in rule.condition.categories:
            continue
        wording = rule.rule.questions
        if wording:
            questions = [q(lang) for q in wording]
        else:
            title = rule.rule.title(lang).strip()
            questions = [
                title if title.endswith("?") else WORDS[lang]["applies"].format(title=title.rstrip("."))
            ]
        for i, question in enumerate(questions):
            name = rule.id if len(questions) == 1 else f"{rule.id}.{i + 1}"
            out.append(FollowUp(name, rule.id, question))
    return out


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if value is None or value == "":
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _signals(data: dict[str, Any], pack: Pack) -> tuple[Facts, list[Hit]]:
    """What the engine sees of the answers so far: the facts (with the category) and the rules that fire."""
    from nami_cli.assess.engine import _prepare, fire
    from nami_cli.interactive.interview.writer import canonical
    from nami_cli.load.request import validate_request

    request = validate_request(canonical(data))
    facts, recognition = _prepare(request, pack)
    return facts, fire(pack, facts, recognition)


class Interview:
    """One run of the interview. :meth:`run` returns the request dict."""

    def __init__(
        self, prompter: Prompter, pack: Pack, *, lang: str, start: dict[str, Any] | None = None
    ) -> None:
        self.p = prompter
        self.pack = pack
        self.lang = lang
        self.w = WORDS[lang]
        self.start = start
        self.data: dict[str, Any] = copy.deepcopy(start) if start else {}
        self.change: set[str] = set(SECTIONS) if start is None else set()

    # -- helpers -------------------------------------------------------------------------------------

    def _ask(self, section: str, path: str) -> bool:
        """Ask this field: its section is being changed, or it is missing."""
        return section in self.change or _get(self.data, path) is None

    def _text(self, section: str, path: str, *, required: bool = False, check: Any = None) -> None:
        if self._ask(section, path):
            key = path.split(".")[-1]
            value = self.p.text(
                path, self.w[key], default=_get(self.data, path), required=required, check=check
            )
            _set(self.data, path, value)

    def _number(self, section: str, path: str, spec: NumberSpec) -> None:
        if self._ask(section, path):
            key = path.split(".")[-1]
            value = self.p.number(path, self.w[key], default=_get(self.data, path), spec=spec)
            _set(self.data, path, value)

    def _select(
        self, section: str, path: str, options: Sequence[str], labels: dict[str, str], default: str
    ) -> None:
        if self._ask(section, path):
            key = path.split(".")[-1]
            choices = [Choice(value, labels[value]) for value in options]
            current = _get(self.data, path)
            value = self.p.select(
                path, self.w[key], choices, default=current if current in options else default
            )
            _set(self.data, path, value)

    # -- the flow ------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        self.p.note(self.w["hint"])
        if self.start is not None:
            self._choose_changes()
        self._item()
        self._replaces()
        self._usage()
        self._nami()
        self._obstacles()
        self._decision()
        return self.data

    def _choose_changes(self) -> None:
        self.p.note(self.w["start"].format(title=self.data.get("title", "")), kind="heading")
        choices = [Choice(s, self.w["sections"][s]) for s in SECTIONS]
        self.change = set(self.p.checkbox("change", self.w["change"], choices))

    def _item(self) -> None:
        self.p.note(self.w["h_item"], kind="heading")
        self._text("item", "title", required=True)
        self._text("item", "description")
        if self._ask("item", "category"):
            self._category()
        self._text("item", "cpv", check=lambda v: None if CPV_CODE.match(v) else self.w["cpv_bad"])
        self._number("item", "quantity", QUANTITY)
        self._text("item", "unit")
        self._number("item", "unit_price", AMOUNT)
        if self.data.get("unit_price") is None or self.data.get("estimated_value") is not None:
            self._number("item", "estimated_value", AMOUNT)
        self._select("item", "reason", REASONS, self.w["reasons"], "new")
        self._text("item", "requester")

    def _category(self) -> None:
        from nami_cli.assess.engine import recognise, scan

        current = self.data.get("category")
        if current is None:
            texts = scan(self.pack, self.data.get("title"), self.data.get("description"))
            found = recognise(self.pack, category=None, cpv8=None, texts=texts).categories
            seen = found[0].id if found else None
            if seen is not None:
                cat = self.pack.categories[seen]
                self.p.note(self.w["category_seen"].format(title=cat.title(self.lang), id=cat.id))
                current = seen
        choices = [Choice(c.id, c.title(self.lang)) for c in self.pack.categories.values()]
        _set(
            self.data,
            "category",
            self.p.autocomplete("category", self.w["category"], choices, default=current),
        )

    def _replaces(self) -> None:
        if self.data.get("reason") != "replacement" and "replaces" not in self.data:
            return
        if not any(self._ask("replaces", f"replaces.{k}") for k in ("age_years", "condition", "trigger")):
            return
        self.p.note(self.w["h_replaces"], kind="heading")
        self._number("replaces", "replaces.age_years", AMOUNT)
        self._select("replaces", "replaces.condition", CONDITIONS, self.w["conditions"], "unknown")
        self._select("replaces", "replaces.trigger", TRIGGERS, self.w["triggers"], "age")

    def _usage(self) -> None:
        fields = ("stock", "annual_use", "users")
        if not any(self._ask("usage", f"usage.{k}") for k in fields):
            return
        self.p.note(self.w["h_usage"], kind="heading")
        ask = "usage" not in self.data or "usage" in self.change
        if ask and not self.p.confirm("usage.any", self.w["usage_any"], default="usage" in self.data):
            self.data.pop("usage", None)
            return
        self._number("usage", "usage.stock", AMOUNT)
        self._number("usage", "usage.annual_use", AMOUNT)
        self._number("usage", "usage.users", WHOLE)

    def _answer_missing(self, strategy: str) -> bool:
        answer = _get(self.data, f"answers.{strategy}")
        if isinstance(answer, str):
            answer = {"answer": answer}
        if not isinstance(answer, dict) or answer.get("answer") in (None, "unsure"):
            return True
        return answer.get("answer") == "yes" and not str(answer.get("justification") or "").strip()

    def _nami(self) -> None:
        todo = [s for s in STRATEGIES if s in self.change or self._answer_missing(s)]
        if not todo:
            return
        self.p.note(self.w["h_nami"], kind="heading")
        for strategy in todo:
            self._strategy(strategy)

    def _strategy(self, strategy: str) -> None:
        from nami_cli.assess.engine import render_message

        w = self.w
        question = QUESTION[strategy][self.lang]
        self.p.note(f"{STRATEGY_LABEL[strategy][self.lang]} ({STRATEGY_RUNG[strategy]})", kind="heading")
        facts, hits = _signals(self.data, self.pack)
        mine = [h for h in hits if h.rule.rule.strategy == strategy]
        if mine:
            self.p.note(w["sees"])
            for hit in mine:
                message = render_message(hit.rule.rule.message(self.lang), facts, self.lang)
                self.p.note(f"  • {message} [{hit.rule.id}]", kind="finding")
        asked = follow_ups(self.pack, facts.category, strategy, self.lang)
        labels = {a: ANSWER_LABEL[a][self.lang] for a in ("yes", "no", "unsure")}
        replies: list[tuple[FollowUp, str]] = []
        if asked:
            category = self.pack.categories[facts.category].title(self.lang) if facts.category else ""
            self.p.note(w["follow"].format(category=category))
            for item in asked:
                choices = [Choice(a, labels[a]) for a in ("yes", "no", "unsure")]
                # "unsure" by default: a rule that names the category does not answer its question yet
                reply = self.p.select(f"{strategy}.{item.name}", item.question, choices, default="unsure")
                replies.append((item, reply))
        existing = _get(self.data, f"answers.{strategy}")
        if isinstance(existing, str):
            existing = {"answer": existing}
        existing = existing if isinstance(existing, dict) else {}
        # the buyer's earlier yes or no stands; otherwise the follow-ups suggest the answer
        previous = existing.get("answer")
        default = previous if previous in ("yes", "no") else _suggest([r for _, r in replies])
        choices = [Choice(a, w["answers"][strategy][a]) for a in ("yes", "no", "unsure")]
        answer = self.p.select(f"{strategy}.answer", question, choices, default=default)
        # The justification is the buyer's own words: it starts empty (or as the file had it), never with
        # the follow-up questions, which were just asked on screen.
        justification = self.p.text(
            f"{strategy}.justification",
            w["justification"],
            default=existing.get("justification") or None,
        )
        if answer == "yes" and not justification:
            self.p.note(w["open"], kind="warning")
        entry: dict[str, Any] = {"answer": answer}
        if justification:
            entry["justification"] = justification
        self.data.setdefault("answers", {})
        if not isinstance(self.data["answers"], dict):
            self.data["answers"] = {}
        self.data["answers"][strategy] = entry

    def _obstacles(self) -> None:
        if not self.pack.obstacles or not self._ask("obstacles", "obstacles"):
            return
        self.p.note(self.w["h_obstacles"], kind="heading")
        current = list(self.data.get("obstacles") or [])
        if not self.p.confirm("obstacles.any", self.w["obstacles_any"], default=bool(current)):
            self.data["obstacles"] = []
            return
        _, hits = _signals(self.data, self.pack)
        signalled = {ob for hit in hits for ob in hit.rule.rule.obstacles}
        chosen: list[str] = []
        grid = ObstacleMatrix.of_pack(self.pack, self.lang)
        for level, cells in grid.rows():
            choices = []
            for cell in cells:
                for ob in cell.obstacles:
                    title = ob.title
                    if ob.id in signalled:
                        title += f" ({self.w['signalled']})"
                    choices.append(Choice(ob.id, title, group=grid.dimension_label(cell.dimension)))
            if not choices:
                continue
            message = self.w["obstacles_level"].format(level=grid.level_label(level))
            chosen.extend(
                self.p.checkbox(
                    f"obstacles.{level}",
                    message,
                    choices,
                    default=[c.value for c in choices if c.value in current],
                )
            )
        kept = [ob for ob in current if ob not in self.pack.obstacles]  # unknown ids: check reports them
        self.data["obstacles"] = kept + [ob for ob in self.pack.obstacles if ob in chosen]

    def _decision(self) -> None:
        """The buyer's decision; the first answer's default (Enter) decides later and writes nothing."""
        from nami_cli.assess.document import run_date
        from nami_cli.base.vocab import DECISIONS
        from nami_cli.load.request import loose_date

        if not self._ask("decision", "decision.chosen"):
            return
        w = self.w
        self.p.note(w["h_decision"], kind="heading")
        current = _get(self.data, "decision")
        current = current if isinstance(current, dict) else {}
        options = (LATER, *DECISIONS)
        choices = [Choice(value, w["choices"][value]) for value in options]
        chosen = self.p.select(
            "decision.chosen",
            w["chosen"],
            choices,
            default=current.get("chosen") if current.get("chosen") in options else LATER,
        )
        if chosen == LATER:
            self.data.pop("decision", None)
            return
        decision: dict[str, Any] = {"chosen": chosen}
        if chosen == "reduce":
            quantity = self.p.number(
                "decision.quantity", w["quantity_new"], default=current.get("quantity"), spec=QUANTITY
            )
            if quantity is not None:
                decision["quantity"] = quantity
        if chosen == "rethink":
            form = self.p.text("decision.form", w["form"], default=current.get("form"))
            if form:
                decision["form"] = form
        by_given = current.get("decided_by")
        by: dict[str, Any] = by_given if isinstance(by_given, dict) else {}
        name = self.p.text("decision.decided_by.name", w["name"], default=by.get("name"))
        if name:
            role = self.p.text("decision.decided_by.role", w["role"], default=by.get("role"))
            decision["decided_by"] = {"name": name, **({"role": role} if role else {})}
        date = self.p.text(
            "decision.date",
            w["date"],
            default=str(current.get("date") or run_date()),
            check=lambda v: None if _valid_date(v) else w["date_bad"],
        )
        if date:
            decision["date"] = loose_date(date.strip())  # a date, written unquoted
        reasoning = self.p.text("decision.reasoning", w["reasoning"], default=current.get("reasoning"))
        if reasoning:
            decision["reasoning"] = reasoning
        self.data["decision"] = decision


def _valid_date(text: str) -> bool:
    """``text`` is a day in the calendar written as YYYY-MM-DD (2026-3-1 is read as meant)."""
    from nami_cli.load.request import loose_date

    if not DATE.match(text.strip()):
        return False
    try:
        loose_date(text)
    except ValueError:
        return False
    return True


def _suggest(replies: Sequence[str]) -> str:
    """The default of a main question from its follow-ups: any yes -> no; all no -> yes; else unsure."""
    if "yes" in replies:
        return "no"
    if replies and all(r == "no" for r in replies):
        return "yes"
    return "unsure"


def run_flow(
    prompter: Prompter, pack: Pack, *, lang: str, start: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Ask the interview's questions through ``prompter``; return the request as a dict."""
    return Interview(prompter, pack, lang=lang, start=start).run()
