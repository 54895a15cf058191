"""The words of the reports a person reads (check and screen, HTML and Markdown), in Dutch and English.

The texts live in the one catalogue (:mod:`nami_cli.i18n.catalogue`, keys ``html.*`` and
``report.disclaimer``); these are its tables in the shape the templates read.
"""

from __future__ import annotations

from typing import Any

from nami_cli.i18n import t, words

#: The sentence every report ends with (see domain/NAMI.md: the buyer decides).
DISCLAIMER = {lang: t("report.disclaimer", lang) for lang in ("nl", "en")}

WORDS: dict[str, dict[str, Any]] = words("html")
