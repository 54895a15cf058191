"""Assemble the run's JSON document (spec section 6) from the assessed requests."""

from __future__ import annotations

import datetime as _dt
import os

from nami_cli import __version__
from nami_cli.assess.result import PackRef, Report, RequestResult, RulesInfo, ToolInfo, summarise
from nami_cli.rulepack.pack import Pack


def run_date() -> str:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date().isoformat()
    return _dt.date.today().isoformat()


def rules_info(pack: Pack) -> RulesInfo:
    return RulesInfo(
        name=pack.name,
        version=pack.version,
        packs=[PackRef(name=p["name"], version=p["version"]) for p in pack.packs],
    )


def build_report(results: list[RequestResult], pack: Pack, lang: str) -> Report:
    return Report(
        tool=ToolInfo(version=__version__),
        rules=rules_info(pack),
        lang=lang,  # type: ignore[arg-type]
        generated=run_date(),
        results=results,
        summary=summarise(results),
    )
