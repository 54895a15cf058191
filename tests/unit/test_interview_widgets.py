"""The real questionary widgets behind QuestionaryPrompter, driven through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from nami_cli.assess.document import run_date
from nami_cli.interactive.interview.flow import run_flow
from nami_cli.interactive.interview.prompter import Choice, NumberSpec, QuestionaryPrompter
from nami_cli.rulepack.pack import load_pack

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
CLEAR = "\x15"  # Ctrl-U: clear the line before the cursor
CTRL_C = "\x03"


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def prompter(pipe: Any, lang: str = "en") -> QuestionaryPrompter:
    """A prompter on the pipe. The pipe is closed first, so that a widget wanting more keys than the test
    typed fails with EOFError instead of waiting for ever."""
    pipe.close()
    return QuestionaryPrompter(lang, None, input=pipe, output=DummyOutput())


def typed(keys: str, lang: str = "en") -> Any:
    """A context with a fresh pipe that holds ``keys``, yielding a prompter reading them."""
    import contextlib

    @contextlib.contextmanager
    def context() -> Iterator[QuestionaryPrompter]:
        with create_pipe_input() as pipe_input:
            pipe_input.send_text(keys)
            yield prompter(pipe_input, lang)

    return context()


CHOICES = [Choice("yes", "yes"), Choice("no", "no"), Choice("unsure", "unsure")]


def test_text_returns_what_is_typed(pipe: Any) -> None:
    pipe.send_text("Bureaus derde verdieping" + ENTER)
    assert prompter(pipe).text("title", "Title:", required=True) == "Bureaus derde verdieping"


def test_required_text_refuses_an_empty_line_in_place(pipe: Any) -> None:
    pipe.send_text(ENTER + "Stoelen" + ENTER)
    assert prompter(pipe).text("title", "Title:", required=True) == "Stoelen"


def test_a_default_is_accepted_with_enter(pipe: Any) -> None:
    pipe.send_text(ENTER)
    assert (
        prompter(pipe).number("quantity", "Quantity:", default=500.0, spec=NumberSpec(strict=True)) == 500.0
    )


def test_a_negative_quantity_is_refused_in_place_then_corrected(pipe: Any) -> None:
    # without the refusal the widget would have returned -4 at the first Enter
    pipe.send_text("-4" + ENTER + CLEAR + "4" + ENTER)
    assert prompter(pipe).number("quantity", "Quantity:", spec=NumberSpec(strict=True)) == 4.0


def test_text_where_a_number_is_asked_is_refused(pipe: Any) -> None:
    pipe.send_text("veertig" + ENTER + CLEAR + "40" + ENTER)
    assert prompter(pipe, "nl").number("quantity", "Aantal:", spec=NumberSpec(strict=True)) == 40.0


def test_a_dutch_decimal_comma_is_read(pipe: Any) -> None:
    pipe.send_text("2,10" + ENTER)
    assert prompter(pipe, "nl").number("unit_price", "Prijs:") == 2.1


def test_users_must_be_whole(pipe: Any) -> None:
    pipe.send_text("2,5" + ENTER + CLEAR + "150" + ENTER)
    value = prompter(pipe).number("usage.users", "Users:", spec=NumberSpec(integer=True))
    assert value == 150 and isinstance(value, int)


def test_select_moves_with_arrow_keys_and_starts_at_the_default() -> None:
    with typed(ENTER) as p:
        assert p.select("refuse.answer", "Needed?", CHOICES, default="unsure") == "unsure"
    with typed(DOWN + ENTER) as p:
        assert p.select("refuse.answer", "Needed?", CHOICES, default="yes") == "no"


def test_autocomplete_resolves_part_of_a_category_and_refuses_an_unknown_one(pipe: Any) -> None:
    choices = [Choice("furniture", "Furniture"), Choice("office-supplies", "Office supplies")]
    pipe.send_text("xyz" + ENTER + CLEAR + "furn" + ENTER)
    assert prompter(pipe).autocomplete("category", "Category:", choices) == "furniture"


def test_autocomplete_default_is_the_label_and_enter_keeps_it(pipe: Any) -> None:
    choices = [Choice("furniture", "Furniture"), Choice("office-supplies", "Office supplies")]
    pipe.send_text(ENTER)
    assert prompter(pipe).autocomplete("category", "Category:", choices, default="office-supplies") == (
        "office-supplies"
    )


def test_confirm_needs_enter_and_keeps_its_default() -> None:
    with typed("y" + ENTER) as p:
        assert p.confirm("usage.any", "Data?", default=False) is True
    with typed(ENTER) as p:
        assert p.confirm("overwrite", "Overwrite?", default=False) is False
    with typed("y") as p, pytest.raises(EOFError):
        p.confirm("overwrite", "Overwrite?", default=False)  # "y" alone does not answer
    with typed("j" + ENTER, "nl") as p:
        assert p.confirm("overwrite", "Overschrijven?", default=False) is True  # a Dutch buyer types j
    with typed("misschien" + ENTER + CLEAR + "nee" + ENTER, "nl") as p:
        assert p.confirm("usage.any", "Gegevens?", default=True) is False


def test_checkbox_skips_group_headings_and_keeps_defaults(pipe: Any) -> None:
    choices = [
        Choice("a", "A", group="technical"),
        Choice("b", "B", group="technical"),
        Choice("c", "C", group="economic"),
    ]
    # the pointer starts on the first option; down twice passes the "economic" heading to reach C
    pipe.send_text(DOWN + DOWN + " " + ENTER)
    assert prompter(pipe).checkbox("obstacles.system", "Obstacles:", choices, default=["a"]) == ["a", "c"]


def test_ctrl_c_is_not_swallowed(pipe: Any) -> None:
    pipe.send_text("Bure" + CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        prompter(pipe).text("title", "Title:")


def test_a_whole_interview_through_the_real_widgets(pipe: Any) -> None:
    keys = [
        "Relatiegeschenken" + ENTER,  # title
        "500 pennen met logo" + ENTER,  # description
        ENTER,  # category: the one nami recognises in the text
        "392941" + ENTER + CLEAR + ENTER,  # cpv: refused (too short), then left empty
        "-500" + ENTER + CLEAR + "500" + ENTER,  # quantity: refused, then corrected
        "stuks" + ENTER,  # unit
        "2,10" + ENTER,  # unit price, Dutch decimal comma
        ENTER,  # reason: new
        ENTER,  # requester: empty
        ENTER,  # usage data? default no
        UP + UP + ENTER,  # refuse follow-up 1: from "unsure" up to "yes"
        DOWN + ENTER,  # refuse follow-up 2: "unsure" stays (the list does not wrap past the end)
        ENTER,  # refuse: the suggested answer ("no", since a follow-up said yes)
        "Niemand vraagt erom" + ENTER,  # justification: starts empty, the follow-ups are not in it
        ENTER + ENTER,  # rethink: unsure, no justification
        ENTER + ENTER,  # reduce: unsure, no justification
        ENTER,  # obstacles expected? default no
        DOWN + ENTER,  # decision: from "decide later" down to "refuse"
        "A. de Vries" + ENTER,  # decided by
        ENTER,  # role: none
        ENTER,  # date: today
        "Niemand vraagt erom" + ENTER,  # reasoning
    ]
    pipe.send_text("".join(keys))
    data = run_flow(prompter(pipe, "nl"), load_pack(), lang="nl")
    assert data["decision"]["chosen"] == "refuse"
    assert data["decision"]["decided_by"] == {"name": "A. de Vries"}
    assert data["decision"]["date"].isoformat() == run_date()
    assert data["decision"]["reasoning"] == "Niemand vraagt erom"
    assert data["title"] == "Relatiegeschenken"
    assert data["category"] == "promotional-items"
    assert "cpv" not in data
    assert data["quantity"] == 500.0 and data["unit_price"] == 2.1 and data["unit"] == "stuks"
    assert data["reason"] == "new" and "usage" not in data
    refuse = data["answers"]["refuse"]
    assert refuse["answer"] == "no"
    assert refuse["justification"] == "Niemand vraagt erom"
    assert data["answers"]["rethink"] == {"answer": "unsure"}
    assert data["obstacles"] == []


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"), [("nl", "2 gekozen", "selections"), ("en", "2 chosen", "gekozen")]
)
def test_checkbox_sums_up_the_answer_in_the_buyers_language(lang: str, said: str, unsaid: str) -> None:
    import io

    from prompt_toolkit.output.plain_text import PlainTextOutput

    out = io.StringIO()
    choices = [Choice("a", "A"), Choice("b", "B"), Choice("c", "C")]
    with create_pipe_input() as pipe_input:
        pipe_input.send_text(" " + DOWN + " " + ENTER)
        pipe_input.close()
        p = QuestionaryPrompter(lang, None, input=pipe_input, output=PlainTextOutput(out))
        assert p.checkbox("obstacles", "Obstacles:", choices) == ["a", "b"]
    text = out.getvalue()
    assert said in text and unsaid not in text and "done" not in text
