"""Read the shipped pack's name and version cheaply (for ``nami --version``, which must not import
yaml or pydantic). The full loader checks the same file; a test keeps both readings equal."""

from __future__ import annotations

import re

_FIELD = re.compile(r"""\b(name|version)\s*:\s*["']?([A-Za-z0-9._+-]+)["']?""")


def shipped_pack_label() -> str:
    from nami_cli.rulepack.location import shipped_rules_dir

    path = shipped_rules_dir() / "pack.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "(rule pack not found)"
    found = dict(_FIELD.findall(text))
    return f"{found.get('name', '?')} {found.get('version', '?')}"
