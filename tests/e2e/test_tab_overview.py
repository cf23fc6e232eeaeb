"""The dossiers overview answered by the embedded store (SQL on its indexes) lists exactly what
the domain's rule (approvals.readmodels.matches) lists, for every filter and their mixes."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date
from pathlib import Path
from typing import Any

from approvals.readmodels import SummaryQuery, matches
from bot.cli.main import main
from local.sqlite_store import SqliteDossierStore
from tests.e2e.bot_http import OIDS, copy_demo

KOK, DEJONG, MEIJER = (OIDS[u] for u in ("i.kok@voorbeeldstad.nl", "t.dejong@voorbeeldstad.nl",
                                          "f.meijer@voorbeeldstad.nl"))


def _more_dossiers(data: Path) -> None:
    for n, title in enumerate(("Energietoeslag Z-2026-20001", "energietoeslag z-2026-20002",
                               "Kwijtschelding 2026-20003")):
        assert main(["--data", str(data), "dossier", "start", "--flow", "energietoeslag",
                     "--as", "i.kok@voorbeeldstad.nl", "--title", title,
                     "--field", "aanvrager=Familie B", "--field", f"zaaknummer=Z-{n}",
                     "--field", "huishoudinkomen=1400",
                     "--field", "behandelaar=j.visser@voorbeeldstad.nl"]) == 0


async def test_the_store_answers_the_overview_as_the_rule_does(demo_template: Path,
                                                              tmp_path: Path) -> None:
    data = copy_demo(demo_template, tmp_path / "data")
    await asyncio.to_thread(_more_dossiers, data)
    store = SqliteDossierStore(data / "paraaf.db")
    try:
        everything = list(await store.list_summaries(limit=1000))
        assert len(everything) == 6
        days = (date(2000, 1, 1), date(2100, 1, 1))  # nothing overdue / everything overdue
        options: dict[str, tuple[Any, ...]] = {
            "status": (None, "open", "completed"),
            "flow_id": (None, "energietoeslag", "collegevoorstel"),
            "stage_id": (None, "beoordeling", "financieel_advies"),
            "to_act": (None, MEIJER),
            "initiator": (None, KOK),
            "overdue": (None, True, False),
            "text": (None, "Z-2026-2000", "MARKTPLEIN", "demo-1", "nergens"),
            "viewer": (None, DEJONG, KOK),
        }
        names = list(options)
        checked = 0
        for values in itertools.product(*options.values()):
            for today in days:
                query = SummaryQuery(**dict(zip(names, values, strict=True)), today=today)
                expected = [s.id for s in everything if matches(s, query)]
                page, total = await store.query_summaries(query, limit=2, offset=1)
                assert total == len(expected), query
                assert [s.id for s in page] == expected[1:3], query
                checked += 1
        assert checked == 2 * len(list(itertools.product(*options.values())))
        # the filters select something: the rule is not vacuous
        some = SummaryQuery(flow_id="energietoeslag", text="z-2026-2000")
        assert [s.title for s in everything if matches(s, some)] == [
            "energietoeslag z-2026-20002", "Energietoeslag Z-2026-20001"]
        late = SummaryQuery(overdue=True, today=date(2100, 1, 1), viewer=KOK)
        assert {s.id for s in everything if matches(s, late)} >= {"DEMO-3"}
    finally:
        store.close()
