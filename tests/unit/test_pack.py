"""Rule pack loading: every kind of broken pack is an exit-3 error with its location; no cache on disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nami_cli.base.errors import NamiError
from nami_cli.rulepack.pack import load_pack

TEST_PACK = Path(__file__).parents[1] / "data" / "pack"
EXAMPLES = Path(__file__).parents[2] / "examples" / "requests"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(TEST_PACK, target)
    return target


def problems(directory: Path) -> list[str]:
    with pytest.raises(NamiError) as info:
        load_pack([directory], shipped=False)
    return [str(p) for p in info.value.problems]


def edit(directory: Path, old: str, new: str) -> None:
    path = directory / "content.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_test_pack_loads() -> None:
    pack = load_pack([TEST_PACK], shipped=False)
    assert (pack.name, pack.version) == ("test-pack", "1.0")
    assert [r.id for r in pack.rules] == ["refuse-promo", "refuse-budget", "reduce-stock", "reduce-per-user"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    source: test\n    examples:",
            "    source: test\n    colour: red\n    examples:",
            "unknown key",
        ),
        (
            "obstacles: [habit]\n    interventions: [policy]",
            "obstacles: [habbit]\n    interventions: [policy]",
            "unknown obstacle 'habbit'; did you mean habit?",
        ),
        (
            "interventions: [policy]\n    source",
            "interventions: [polcy]\n    source",
            "unknown intervention 'polcy'",
        ),
        ("when: {category: promotional-items}", "when: {category: promo}", "unknown category 'promo'"),
        ("- id: reduce-stock", "- id: refuse-promo", "duplicate id 'refuse-promo'; first defined at"),
        ("title: {nl: Gewoonte, en: Habit}", "title: {nl: Gewoonte}", "obstacles[0].title.en: is required"),
        ("title: {nl: Gewoonte, en: Habit}", "title: {nl: Gewoonte, en: ''}", "must not be empty"),
        ('cpv: ["3910", "3913"]', 'cpv: ["3910", "39-13"]', "is not a CPV prefix"),
        ('cpv: ["3910", "3913"]', "cpv: [3910, 1]", "is not a CPV prefix"),
        ('cpv: ["3910", "3913"]', 'cpv: ["3910", "2013"]', "no CPV 2008 code starts with '20'"),
        (
            "when: {category: promotional-items}",
            "when: {category: promotional-items, cpv: ['39']}",
            "a condition has exactly one of",
        ),
        (
            "when: {category: promotional-items}",
            "when: {field: colour, equals: red}",
            "unknown field 'colour'",
        ),
        ("when: {category: promotional-items}", "when: {field: title, greater_than: 3}", "is not a number"),
        ("when: {category: promotional-items}", "when: {field: quantity, bigger: 3}", "exactly one operator"),
        ("when: {category: promotional-items}", "when: {eval: 'os.system(1)'}", "unknown condition 'eval'"),
        ("when: {category: promotional-items}", "when: {keywords: []}", "'keywords' needs a non-empty list"),
        ("({quantity} stuks)", "({colour} stuks)", "unknown placeholder {colour}"),
        (
            "match: [{title: 500 pennen met logo}]",
            "match: [{title: 500 pennen, quantity: 0}]",
            "must be greater than 0",
        ),
        ("match: [{title: 500 pennen met logo}]", "match: []", "must not be empty"),
        ("dimension: socio-cultural", "dimension: cultural", "must be one of"),
        ("- id: policy", "- id: Policy_1", "is not a valid id"),
    ],
)
def test_broken_pack_is_located(pack_dir: Path, old: str, new: str, expected: str) -> None:
    edit(pack_dir, old, new)
    found = problems(pack_dir)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(pack_dir / "content.yaml") + ":") for p in found), found
    assert all(p.split(":")[1].isdigit() and p.split(":")[2].isdigit() for p in found), found


def test_yaml_error_in_a_rule_file(pack_dir: Path) -> None:
    (pack_dir / "more.yaml").write_text("rules:\n  - id: x\n    title: [\n")
    (message,) = problems(pack_dir)
    assert message.startswith(f"{pack_dir / 'more.yaml'}:4:1: YAML syntax error")


def test_missing_pack_name_and_empty_folder(tmp_path: Path) -> None:
    assert "no .yaml files" in problems(tmp_path)[0]
    (tmp_path / "a.yaml").write_text("categories: []\n")
    assert "says 'pack: {name: ..., version: ...}'" in problems(tmp_path)[0]
    assert "rule pack folder not found" in problems(tmp_path / "nope")[0]


def test_disable_and_extra_pack(pack_dir: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "pack.yaml").write_text("pack: {name: gemeente, version: '2'}\ndisable: [reduce-stock]\n")
    pack = load_pack([pack_dir, extra], shipped=False)
    assert "reduce-stock" not in [r.id for r in pack.rules]
    assert pack.disabled == ["reduce-stock"]
    assert [p["name"] for p in pack.packs] == ["test-pack", "gemeente"]
    (extra / "pack.yaml").write_text("pack: {name: gemeente, version: '2'}\ndisable: [no-such-rule]\n")
    with pytest.raises(NamiError, match="cannot disable 'no-such-rule'"):
        load_pack([pack_dir, extra], shipped=False)


def test_every_change_is_validated_again(pack_dir: Path) -> None:
    first = load_pack([pack_dir], shipped=False)
    again = load_pack([pack_dir], shipped=False)
    assert [r.id for r in again.rules] == [r.id for r in first.rules]
    edit(pack_dir, "- id: reduce-stock", "- id: reduce-stock-years")
    assert "reduce-stock-years" in [r.id for r in load_pack([pack_dir], shipped=False).rules]
    edit(pack_dir, "- id: reduce-stock-years", "- id: refuse-promo")
    with pytest.raises(NamiError):  # an invalid pack is never served from anywhere
        load_pack([pack_dir], shipped=False)


class _Payload:
    """Unpickling this writes a marker file: proof that a planted pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def test_a_planted_cache_is_never_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run: Callable[..., Any]
) -> None:
    """A pickle (or any file) planted where the old pack cache lived is never opened or run."""
    import pickle

    marker = tmp_path / "marker"
    payload = pickle.dumps(_Payload(marker))
    for env in ("NAMI_CACHE_DIR", "XDG_CACHE_HOME"):
        folder = tmp_path / env
        (folder / "nami").mkdir(parents=True)
        for where in (folder, folder / "nami"):
            for name in ("pack.pickle", "pack-0123456789abcdef0123456789abcdef.pickle", "pack.json"):
                (where / name).write_bytes(payload)
            where.chmod(0o777)
        monkeypatch.setenv(env, str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "XDG_CACHE_HOME"))
    assert load_pack([TEST_PACK], shipped=False).name == "test-pack"
    result = run("check", "--fail-on", "never", str(EXAMPLES / "relatiegeschenken.yaml"))
    assert result.exit_code == 0
    assert not marker.exists()
    # nothing was written there either
    for env in ("NAMI_CACHE_DIR", "XDG_CACHE_HOME"):
        names = sorted(p.name for p in (tmp_path / env).rglob("*"))
        assert names == sorted(
            ["nami", *["pack.pickle", "pack-0123456789abcdef0123456789abcdef.pickle", "pack.json"] * 2]
        )


def test_rules_commands_on_a_pack(run: Callable[..., Any], pack_dir: Path) -> None:
    edit(pack_dir, "match: [{title: Stoelen, quantity: 12", "match: [{title: Stoelen, quantity: 2")
    # validate and test put DIR on top of the shipped pack; the test pack clashes with it by design,
    # so check the messages rather than the counts here
    result = run("rules", "validate", str(pack_dir), env={"NAMI_LANG": "en"})
    assert result.exit_code == 3
    assert "duplicate id" in result.stderr
    assert "dubbel id" in run("rules", "validate", str(pack_dir)).stderr
