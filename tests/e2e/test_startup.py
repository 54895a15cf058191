"""``nami --help`` and ``--version`` import none of pydantic, yaml, questionary (fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "yaml", "questionary", "openpyxl", "jinja2")
PROBE = """
import sys
sys.argv = ["nami", {arg!r}]
from nami_cli.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("arg", ["--help", "--version"])
def test_help_and_version_stay_light(arg: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(arg=arg, heavy=HEAVY)], capture_output=True, text=True, check=True
    ).stdout
    assert "nami" in out
    assert out.strip().splitlines()[-1] == "LOADED:"


def test_python_m_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "nami_cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("nami ")
