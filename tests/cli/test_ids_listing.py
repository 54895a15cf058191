"""`nami rules list` shows ids in full, obstacles and interventions on request; `matrix --ids`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nami_cli.rulepack.pack import load_pack


@pytest.mark.parametrize("columns", ["60", "80"])
def test_rules_list_shows_full_ids(run: Callable[..., Any], columns: str) -> None:
    pack = load_pack()
    plain = run("rules", "list", env={"COLUMNS": columns})
    assert plain.exit_code == 0
    for rule in pack.rules:
        assert rule.id in plain.stdout
    assert not any(ob in plain.stdout for ob in pack.obstacles)  # only on request
    both = run("rules", "list", "--obstacles", "--interventions", env={"COLUMNS": columns}).stdout
    for ob in pack.obstacles:
        assert ob in both
    for iv in pack.interventions:
        assert iv in both
    assert pack.rules[0].id not in both
    everything = run("rules", "list", "--all", env={"COLUMNS": columns}).stdout
    assert all(x in everything for x in [*pack.obstacles, *pack.interventions, *(r.id for r in pack.rules)])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_matrix_ids_lists_every_obstacle_under_its_cell(run: Callable[..., Any], lang: str) -> None:
    pack = load_pack()
    result = run("matrix", "--ids", "--lang", lang, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for ob in pack.obstacles.values():
        row = next(i for i, line in enumerate(lines) if line.split()[:1] == [ob.id])
        heading = next(line for line in reversed(lines[:row]) if " / " in line and line.strip().isupper())
        assert (
            heading.split(" / ")[0]
            .strip()
            .lower()
            .startswith(
                {
                    "nl": {
                        "technical": "techn",
                        "economic": "econ",
                        "legal": "jurid",
                        "socio-cultural": "sociaal",
                    },
                    "en": {
                        "technical": "techn",
                        "economic": "econ",
                        "legal": "legal",
                        "socio-cultural": "socio",
                    },
                }[lang][ob.dimension]
            )
        )
    assert max(len(line) for line in lines) <= 80


def test_the_unknown_obstacle_message_names_a_command_that_lists_the_ids(run: Callable[..., Any]) -> None:
    import re

    from nami_cli.assess.engine import check_references
    from nami_cli.base.errors import NamiError
    from nami_cli.load.request import parse_request

    pack = load_pack()
    request, doc = parse_request("title: x\nobstacles: [no-such]\n", file="r.yaml")
    with pytest.raises(NamiError) as info:
        check_references(request, pack, doc, "r.yaml")
    found = re.search(r"`nami ([^`]+)` lists the obstacle ids", str(info.value))
    assert found is not None
    shown = run(*found.group(1).split(), env={"COLUMNS": "80"}).stdout
    assert all(ob in shown for ob in pack.obstacles)
