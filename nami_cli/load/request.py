"""The request file (spec section 4) as pydantic v2 models, and loading it from YAML with positions."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from nami_cli.base.errors import NamiError, Problem
from nami_cli.base.vocab import (
    ANSWER_WORDS,
    CONDITION_WORDS,
    CPV_CODE,
    DATE,
    REASON_WORDS,
    TRIGGER_WORDS,
    AnswerWord,
    Condition,
    DecisionChoice,
    Reason,
    Trigger,
)
from nami_cli.i18n import Msg, MsgError
from nami_cli.load.validation import as_number, as_text, problems_from, resolve_references
from nami_cli.load.yamlsafe import Document, load, parse

if TYPE_CHECKING:
    from nami_cli.rulepack.pack import Pack

MAX_REQUEST_BYTES = 1024 * 1024  # a request is a page of YAML; 1 MiB is far beyond any real one

Text = Annotated[str, BeforeValidator(as_text)]
NonEmptyText = Annotated[str, BeforeValidator(as_text), Field(min_length=1)]


# The bounds sit on the number inside the optional, so an empty value (``quantity:``) is simply absent
# and the JSON Schema carries them as minimum/exclusiveMinimum on the number branch.
NonNegative = Annotated[Annotated[float, Field(ge=0, allow_inf_nan=False)] | None, BeforeValidator(as_number)]
Positive = Annotated[Annotated[float, Field(gt=0, allow_inf_nan=False)] | None, BeforeValidator(as_number)]
Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(as_number)]


def _answer_word(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return ANSWER_WORDS.get(value.strip().lower(), value)
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _word(dutch: dict[str, str]) -> Any:
    """A validator that reads a value in lower case and its Dutch word as the value (``nieuw`` -> new)."""

    def read(value: Any) -> Any:
        value = _lower(value)
        return dutch.get(value, value) if isinstance(value, str) else value

    return BeforeValidator(read)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Replaces(_Model):
    """What the purchase replaces."""

    age_years: Annotated[NonNegative, Field(description="age of what is replaced, in years")] = None
    condition: Annotated[Condition | None, _word(CONDITION_WORDS)] = None
    trigger: Annotated[Trigger | None, _word(TRIGGER_WORDS)] = None


class Usage(_Model):
    """Data about current use."""

    stock: Annotated[NonNegative, Field(description="units in stock now")] = None
    annual_use: Annotated[NonNegative, Field(description="units used per year")] = None
    users: Annotated[Count, Field(description="people who use it")] = None


class Answer(_Model):
    """The buyer's answer to one of the three questions."""

    answer: Annotated[
        AnswerWord,
        BeforeValidator(_answer_word),
        Field(description="yes = needed (in this form, in this quantity); ja/nee are read as yes/no"),
    ]
    justification: Text | None = None

    @property
    def justified(self) -> bool:
        return self.answer == "yes" and bool((self.justification or "").strip())


def _answer_shorthand(value: Any) -> Any:
    """``refuse: yes`` is short for ``refuse: {answer: yes}``."""
    if isinstance(value, (str, bool)):
        return {"answer": value}
    return value


ShortAnswer = Annotated[Answer | None, BeforeValidator(_answer_shorthand)]


class Answers(_Model):
    """Answers to the three questions, by strategy."""

    refuse: ShortAnswer = None
    rethink: ShortAnswer = None
    reduce: ShortAnswer = None


def loose_date(value: Any) -> Any:
    """A date as a person writes it: ``2027-3-1`` is read as meant; a bare number is refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise MsgError(Msg("load.not_a_date", value=repr(as_text(value))))
    if isinstance(value, str) and DATE.match(value.strip()):
        year, month, day = (int(part) for part in value.strip().split("-"))
        try:
            return _dt.date(year, month, day)
        except ValueError:
            raise MsgError(Msg("load.no_such_day", value=repr(value))) from None
    return value


#: what a buyer may write for the choice of a decision -> the choice
DECISION_WORDS: dict[str, str] = {
    "refuse": "refuse",
    "niet": "refuse",
    "rethink": "rethink",
    "anders": "rethink",
    "reduce": "reduce",
    "minder": "reduce",
    "buy-as-requested": "buy-as-requested",
    "as-requested": "buy-as-requested",
    "zoals-gevraagd": "buy-as-requested",
}


def _decision_word(value: Any) -> Any:
    """``Minder inkopen``, ``minder``, ``zoals gevraagd`` and ``buy as requested`` are read as meant."""
    if not isinstance(value, str):
        return value
    word = re.sub(r"[\s_]+", "-", value.strip().lower())
    for suffix in ("-inkopen", "-kopen"):
        if word.endswith(suffix) and word[: -len(suffix)] in DECISION_WORDS:
            word = word[: -len(suffix)]
    if word in DECISION_WORDS:
        return DECISION_WORDS[word]
    import difflib

    close = difflib.get_close_matches(word, DECISION_WORDS, n=1)
    hint = Msg("load.did_you_mean_one", option=repr(close[0])) if close else ""
    raise MsgError(Msg("load.not_a_decision", value=repr(value), hint=hint))


class DecidedBy(_Model):
    """Who took the decision."""

    name: NonEmptyText
    role: Text | None = Field(default=None, description="e.g. inkoper, budgethouder, afdelingshoofd")


class Decision(_Model):
    """The buyer's decision after the three questions: what is done, by whom, when and why."""

    chosen: Annotated[
        DecisionChoice,
        BeforeValidator(_decision_word),
        Field(
            description="refuse, rethink, reduce or buy-as-requested "
            "(Dutch: niet, anders, minder, zoals-gevraagd)"
        ),
    ]
    quantity: Annotated[Positive, Field(description="the new quantity (reduce)")] = None
    form: Text | None = Field(default=None, description="the new form (rethink), e.g. refurbished, hire")
    decided_by: DecidedBy | None = None
    date: Annotated[_dt.date | None, BeforeValidator(loose_date)] = None
    reasoning: Text | None = None


class Request(_Model):
    """A purchase request (schema version 1). Only ``title`` is required."""

    nami: Literal[1] | None = Field(default=None, description="schema version")
    id: Text | None = None
    title: NonEmptyText
    description: Text | None = None
    category: Text | None = Field(default=None, description="a category id of the rule pack")
    cpv: Text | None = Field(default=None, description='8 digits, optional "-N" check digit')
    quantity: Annotated[Positive, Field(description="how many; more than 0")] = None
    unit: Text | None = None
    unit_price: Annotated[NonNegative, Field(description="EUR excl. VAT")] = None
    estimated_value: Annotated[
        NonNegative, Field(description="EUR excl. VAT; default quantity x unit_price")
    ] = None
    reason: Annotated[
        Reason | None,
        _word(REASON_WORDS),
    ] = None
    replaces: Replaces | None = None
    usage: Usage | None = None
    requester: Text | None = None
    needed_by: _dt.date | None = None
    obstacles: list[Text] = Field(default_factory=list, description="ids of obstacles the buyer expects")
    answers: Answers | None = None
    decision: Decision | None = Field(default=None, description="the buyer's decision (optional)")

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise MsgError(Msg("load.not_empty"))
        return value

    @field_validator("cpv")
    @classmethod
    def _cpv_form(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip()
        if not CPV_CODE.match(code):
            raise MsgError(Msg("load.not_cpv", value=repr(value)))
        return code

    @field_validator("needed_by", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return loose_date(value)  # 2027-3-1 is read as meant

    @property
    def cpv8(self) -> str | None:
        return self.cpv[:8] if self.cpv else None

    @property
    def value(self) -> float | None:
        """Estimated value, else quantity x unit price."""
        if self.estimated_value is not None:
            return float(self.estimated_value)
        if self.quantity is not None and self.unit_price is not None:
            return float(self.quantity * self.unit_price)
        return None

    def answer(self, strategy: str) -> Answer | None:
        return getattr(self.answers, strategy) if self.answers is not None else None


def validate_request(
    data: Any, doc: Document | None = None, *, file: str | None = None, pack: Pack | None = None
) -> Request:
    """Validate plain data as a :class:`Request`; problems are located in ``doc`` when given.

    With ``pack``, the category and obstacles are read as its ids (``category: Kantoorartikelen`` is
    ``office-supplies``) and unknown ones are reported together with every other problem of the file.
    """
    if not isinstance(data, dict):
        raise NamiError(Problem(Msg("load.request_not_mapping"), file=file))
    problems: list[Problem] = []
    if pack is not None:
        data = dict(data)
        if isinstance(data.get("obstacles"), list):
            data["obstacles"] = list(data["obstacles"])
        problems += resolve_references(data, pack, doc, file)
    try:
        request = Request.model_validate(data)
    except ValidationError as exc:
        problems += problems_from(exc, doc, model=Request, file=file)
    if problems:
        raise NamiError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return request


def load_request(
    path: str, *, data: bytes | None = None, pack: Pack | None = None
) -> tuple[Request, Document]:
    """Read, parse and validate one request file (``data``: its bytes, already read, e.g. from stdin)."""
    doc = load(path, max_bytes=MAX_REQUEST_BYTES, data=data)
    return validate_request(doc.data, doc, file=path, pack=pack), doc


def parse_request(
    text: str, *, file: str = "<request>", pack: Pack | None = None
) -> tuple[Request, Document]:
    """Parse and validate request YAML given as text."""
    doc = parse(text, file=file)
    return validate_request(doc.data, doc, file=file, pack=pack), doc
