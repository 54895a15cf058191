"""``nami check``: exit codes, formats, options, atomic output, JSON checked against the schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

TEST_PACK = str(Path(__file__).parents[1] / "data" / "pack")
PROMO = "id: X-1\ntitle: 500 pennen met logo\ncategory: promotional-items\nquantity: 500\n"
PLAIN = "title: Onderhoud lift\n"
JUSTIFIED = (
    "title: Vervanging defecte printer\n"
    "answers:\n"
    "  refuse: {answer: yes, justification: afdeling print wettelijk verplichte stukken}\n"
    "  rethink: {answer: yes, justification: gedeelde multifunctional}\n"
    "  reduce: {answer: yes, justification: een apparaat voor 40 mensen}\n"
)


def test_exit_0_when_all_justified(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    result = run("check", str(write("ok.yaml", JUSTIFIED)))
    assert result.exit_code == 0, result.output
    assert "ONDERBOUWD" in result.stdout


@pytest.fixture
def only_test_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI use the small test pack instead of the shipped one."""
    import nami_cli.rulepack.pack as pack_module

    real = pack_module.load_pack

    def fake(extra: Any = (), *, shipped: bool = True) -> Any:
        return real([TEST_PACK, *extra], shipped=False)

    monkeypatch.setattr(pack_module, "load_pack", fake)


@pytest.mark.usefixtures("only_test_pack")
@pytest.mark.parametrize(
    ("text", "fail_on", "code"),
    [
        (PROMO, "opportunity", 1),
        (PROMO, "open", 1),
        (PROMO, "never", 0),
        (PLAIN, "opportunity", 0),
        (PLAIN, "open", 1),
        (PLAIN, "never", 0),
        (JUSTIFIED, "open", 0),
    ],
)
def test_fail_on(
    run: Callable[..., Any], write: Callable[..., Path], text: str, fail_on: str, code: int
) -> None:
    result = run("check", "--fail-on", fail_on, str(write("r.yaml", text)))
    assert result.exit_code == code, result.output


def test_exit_2_on_usage_errors(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = str(write("r.yaml", PLAIN))
    assert run("check").exit_code == 2
    assert run("check", "--format", "pdf", path).exit_code == 2
    assert run("check", "--lang", "de", path).exit_code == 2
    assert run("check", "--fail-on", "always", path).exit_code == 2
    assert run("check", "--bogus", path).exit_code == 2
    assert run("nonsense").exit_code == 2


def test_exit_3_on_invalid_input_without_traceback(
    run: Callable[..., Any], write: Callable[..., Path]
) -> None:
    bad = write("bad.yaml", "title: x\nquantity: 0\n")
    result = run("check", str(bad), "--lang", "en")
    assert result.exit_code == 3
    assert result.stderr.strip() == f"{bad}:2:11: quantity: must be greater than 0"
    dutch = run("check", str(bad), "--lang", "nl")
    assert dutch.stderr.strip() == f"{bad}:2:11: quantity: moet groter zijn dan 0"
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_exit_3_for_missing_file_and_bad_rules(run: Callable[..., Any], tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "none.yaml")).exit_code == 3
    assert run("check", "--rules", str(tmp_path), "x.yaml").exit_code == 3


@pytest.mark.usefixtures("only_test_pack")
def test_several_files_and_stdin_make_one_json_document(
    run: Callable[..., Any], write: Callable[..., Path], result_schema: dict[str, Any]
) -> None:
    result = run("check", "--format", "json", "--lang", "en", str(write("a.yaml", PROMO)), "-", input=PLAIN)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, result_schema)
    assert doc["schema_version"] == "1.1"
    assert doc["lang"] == "en"
    assert doc["rules"]["name"] == "test-pack"
    assert [r["file"] for r in doc["results"]] == [str(Path(doc["results"][0]["file"])), "<stdin>"]
    assert doc["summary"]["requests"] == 2
    assert doc["summary"]["advice"] == {"refuse": 1, "rethink": 0, "reduce": 0, "none": 1}
    assert doc["summary"]["by_advice"]["refuse"]["requests"] == 1
    assert doc["summary"]["by_decision"]["undecided"]["requests"] == 2
    finding = doc["results"][0]["strategies"][0]["findings"][0]
    assert finding["rule"] == "refuse-promo"
    assert (finding["line"], finding["column"]) == (3, 11)
    assert doc["results"][0]["strategies"][0]["question"] == "Is this really needed?"


def test_one_bad_file_among_several_writes_nothing(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    result = run(
        "check", "-f", "json", "-o", str(out), str(write("a.yaml", PLAIN)), str(write("b.yaml", "- x\n"))
    )
    assert result.exit_code == 3
    assert not out.exists()
    assert list(tmp_path.glob(".out.json*")) == []


def test_output_file_is_written_atomically(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    out.write_text("old")
    result = run("check", "-f", "json", "-o", str(out), str(write("a.yaml", PLAIN)))
    assert result.exit_code == 0
    assert json.loads(out.read_text())["summary"]["requests"] == 1
    assert result.stdout == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_into_missing_folder_is_exit_3(
    run: Callable[..., Any], write: Callable[..., Path], tmp_path: Path
) -> None:
    result = run("check", "-o", str(tmp_path / "no" / "r.txt"), str(write("a.yaml", PLAIN)), "--lang", "en")
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_lang_from_environment(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = str(write("a.yaml", PLAIN))
    assert "Is this really needed?" in run("check", path, env={"NAMI_LANG": "en"}).stdout
    assert "Is dit écht nodig?" in run("check", path).stdout
    assert "Is dit écht nodig?" in run("check", "--lang", "nl", path, env={"NAMI_LANG": "en"}).stdout


def test_color_options(run: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = str(write("a.yaml", PLAIN))
    assert "\x1b[" in run("check", "--color", "always", path).stdout
    assert "\x1b[" not in run("check", "--color", "never", path).stdout
    assert "\x1b[" not in run("check", path).stdout  # not a terminal
    assert "\x1b[" not in run("check", path, env={"NO_COLOR": "1"}).stdout


@pytest.mark.usefixtures("only_test_pack")
def test_text_output_shows_locations_obstacles_and_interventions(
    run: Callable[..., Any], write: Callable[..., Path]
) -> None:
    path = write("promo.yaml", PROMO)
    out = run("check", "--lang", "en", str(path)).stdout
    assert "[OPPORTUNITY]" in out
    flat = " ".join(out.replace("│", " ").split())  # the tag may wrap inside the panel
    assert "[refuse-promo, " in flat and ":3:11; source: test, n.d.]" in flat
    assert "Habit" in out and "socio-cultural / individual" in out
    assert "Policy" in out and "First step: Write a memo." in out
    assert "Advice: Refuse" in out


def test_schema_command(run: Callable[..., Any]) -> None:
    for name in ("request", "rules", "result"):
        result = run("schema", name)
        assert result.exit_code == 0
        schema = json.loads(result.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
    request_schema = json.loads(run("schema", "request").stdout)
    assert request_schema["required"] == ["title"]
    assert request_schema["additionalProperties"] is False
    assert run("schema", "nonsense").exit_code == 2


@pytest.mark.slow
def test_rules_schema_validates_every_pack_file(run: Callable[..., Any]) -> None:
    """The published rules schema accepts the shipped pack and the test packs, file by file, and
    rejects a condition of two forms."""
    import yaml

    schema = json.loads(run("schema", "rules").stdout)
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "rules").glob("*.yaml")) + sorted((root / "tests" / "data").glob("*/*.yaml"))
    assert len(files) > 8
    for path in files:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    bad = {"rules": [{"id": "x", "when": {"category": "a", "cpv": ["39"]}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_request_schema_accepts_a_request(run: Callable[..., Any]) -> None:
    schema = json.loads(run("schema", "request").stdout)
    jsonschema.validate({"title": "x", "quantity": 3, "answers": {"refuse": {"answer": "yes"}}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "colour": "red"}, schema)


def test_version(run: Callable[..., Any]) -> None:
    from nami_cli import __version__
    from nami_cli.rulepack.pack import load_pack

    result = run("--version")
    assert result.exit_code == 0
    pack = load_pack()
    assert result.stdout == f"nami {__version__}\nrules {pack.name} {pack.version}\n"


def test_stdin_bad_bytes_and_size(run: Callable[..., Any]) -> None:
    from typer.testing import CliRunner

    from nami_cli.cli import app
    from nami_cli.load.request import MAX_REQUEST_BYTES

    runner = CliRunner()
    result = runner.invoke(app, ["check", "-", "--lang", "en"], input=b"title: caf\xe9\n")
    assert result.exit_code == 3
    assert result.stderr.strip() == "<stdin>:1:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    result = runner.invoke(app, ["check", "-", "--lang", "en"], input=b"#" * (MAX_REQUEST_BYTES + 10))
    assert result.exit_code == 3 and "more than the limit" in result.stderr
    assert run("check", "-", "-", input="title: x\n").exit_code == 3  # stdin can be read once
