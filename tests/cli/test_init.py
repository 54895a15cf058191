"""``nami init``: a commented template in either language that ``nami check`` reads as it stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.load.request import MAX_REQUEST_BYTES, parse_request


@pytest.mark.parametrize(("lang", "default"), [("nl", "aanvraag.yaml"), ("en", "request.yaml")])
def test_init_then_check_round_trip(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, default: str
) -> None:
    monkeypatch.chdir(tmp_path)
    made = run("init", "--lang", lang)
    assert made.exit_code == 0, made.output
    assert (tmp_path / default).is_file()
    assert default in made.stderr
    checked = run("check", "--lang", lang, default)
    assert checked.exit_code in (0, 1), checked.output
    assert checked.stderr == ""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_template_names_every_field_and_the_direction_of_yes(run: Callable[..., Any], lang: str) -> None:
    from nami_cli.load.request import Answers, Replaces, Request, Usage

    result = run("init", "--lang", lang, "-")
    assert result.exit_code == 0
    text = result.stdout
    assert len(text.encode()) < MAX_REQUEST_BYTES
    request, doc = parse_request(text, file="template.yaml")
    # every key of the format is present, so the buyer fills in rather than looks up
    models = ((Request, ()), (Replaces, ("replaces",)), (Usage, ("usage",)), (Answers, ("answers",)))
    for model, prefix in models:
        for name in model.model_fields:
            assert (*prefix, name) in doc.key_positions, (prefix, name)
    # and each carries a comment
    for line in text.splitlines():
        if line and not line.startswith("#") and not line.strip().startswith("#") and line != "answers:":
            assert "#" in line, line
    if lang == "nl":
        assert "ja = het is nodig" in text
        assert "nee       = het is NIET nodig" in text
        assert "nieuw | vervanging" in text
    else:
        assert "yes = it is needed" in text
        assert "no     = it is NOT needed" in text
    assert "office-supplies" in text
    assert request.title


def test_filled_in_dutch_words_are_read(run: Callable[..., Any]) -> None:
    text = run("init", "--lang", "nl", "-").stdout
    text = text.replace("reason:  ", "reason: nieuw", 1).replace("  refuse:   ", "  refuse: ja ", 1)
    request, _ = parse_request(text)
    assert request.reason == "new"
    assert request.answers is not None and request.answers.refuse is not None
    assert request.answers.refuse.answer == "yes"


def test_init_refuses_to_overwrite_without_force(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    target = write("mine.yaml", "title: my own work\n")
    refused = run("init", str(target))
    assert refused.exit_code == 3
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "title: my own work\n"
    forced = run("init", "--force", "--lang", "en", str(target))
    assert forced.exit_code == 0
    assert "Mind the direction of yes and no" in target.read_text(encoding="utf-8")


def test_init_into_a_missing_folder_or_a_folder_is_exit_3(run: Callable[..., Any], tmp_path: Path) -> None:
    missing = run("init", str(tmp_path / "nope" / "r.yaml"), "--lang", "en")
    assert missing.exit_code == 3
    assert "does not exist" in missing.stderr
    assert "bestaat niet" in run("init", str(tmp_path / "nope" / "r.yaml"), "--lang", "nl").stderr
    folder = run("init", str(tmp_path), "--lang", "en")
    assert folder.exit_code == 3
    assert "folder" in folder.stderr
    assert "is een map" in run("init", str(tmp_path), "--lang", "nl").stderr
