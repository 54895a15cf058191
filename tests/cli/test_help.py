"""``--help`` of every command: readable metavars, examples that use real options, shell completion."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer

from nami_cli.cli import app
from nami_cli.commands.helpfmt import EXAMPLES


def _commands() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)

    def walk(path: str, command: Any) -> Iterator[tuple[str, Any]]:
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(f"{path} {name}".strip(), sub)

    yield from walk("", root)


ALL = [path for path, _ in _commands()]
PLACEHOLDER = re.compile(r"<(bool|str|int|float|path|list\[[^\]]*\]|[a-z_]+\[[^\]]*\])>|\{[A-Za-z_.]+\}")


def test_every_command_is_covered() -> None:
    assert {"", "init", "check", "screen", "interview", "demo", "schema", "matrix", "rules"} <= set(ALL)
    assert {"rules list", "rules show", "rules validate", "rules test"} <= set(ALL)
    assert set(EXAMPLES) == set(ALL)


@pytest.mark.parametrize("path", ALL)
def test_help_has_readable_metavars_and_examples(run: Callable[..., Any], path: str) -> None:
    result = run(*path.split(), "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text)
    assert "Usage: nami" in text
    assert "Examples:" in text
    for example in EXAMPLES[path]:
        assert example.split("#")[0].strip() in text


@pytest.mark.parametrize("path", ALL)
def test_arguments_are_shown_in_capitals(path: str) -> None:
    command = dict(_commands())[path]
    with typer.Context(command, info_name="nami") as ctx:
        usage = command.get_usage(ctx)
    words = usage.split("Usage:", 1)[-1].split()[2 if path else 1 :]
    for word in words:
        bare = word.strip("[].")
        assert bare == bare.upper(), (path, word)


def _example_calls() -> Iterator[tuple[str, list[str]]]:
    for path, lines in EXAMPLES.items():
        for line in lines:
            code = line.split("#")[0]
            for part in re.split(r"&&|\|", code):
                words = shlex.split(part.split(">")[0])
                if words and words[0] == "nami":
                    yield path, words[1:]


@pytest.mark.parametrize(("path", "words"), list(_example_calls()))
def test_examples_use_options_that_exist(path: str, words: list[str]) -> None:
    """Every option an example shows is an option of the command it runs (so the example works)."""
    command: Any = typer.main.get_command(app)
    while words and words[0] in getattr(command, "commands", {}):
        command = command.commands[words.pop(0)]
    options = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
    for word in words:
        if word.startswith("-") and word != "-":
            assert word in options, (path, word, sorted(options))


def test_completion_is_on_for_bash_zsh_and_fish(run: Callable[..., Any]) -> None:
    result = run("--help")
    assert "--install-completion" in result.stdout
    script = run("--show-completion", "bash")
    assert script.exit_code == 0
    assert "_NAMI_COMPLETE" in script.stdout
    nami = shutil.which("nami", path=os.path.dirname(sys.executable)) or shutil.which("nami")
    assert nami is not None
    env = {**os.environ, "_NAMI_COMPLETE": "complete_bash", "COMP_WORDS": "nami ch", "COMP_CWORD": "1"}
    bash = subprocess.run([nami], env=env, capture_output=True, text=True, check=False)
    assert bash.stdout.split() == ["check"]
    env = {**os.environ, "_NAMI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "nami check --format "}
    zsh = subprocess.run([nami], env=env, capture_output=True, text=True, check=False)
    assert '"markdown"' in zsh.stdout
    env = {
        **os.environ,
        "_NAMI_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "nami rules ",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    fish = subprocess.run([nami], env=env, capture_output=True, text=True, check=False)
    assert {line.split("\t")[0] for line in fish.stdout.splitlines()} == {
        "list",
        "show",
        "validate",
        "test",
        "eval",
    }
