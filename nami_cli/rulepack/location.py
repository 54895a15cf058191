"""Where the shipped rule pack lives (standard library only)."""

from __future__ import annotations

from pathlib import Path


def shipped_rules_dir() -> Path:
    """``nami_cli/rules`` in an installed package; ``rules/`` beside the package in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "rules"
    if inside.is_dir():
        return inside
    return package.parent / "rules"
