"""``paraaf demo``: a data folder with demo users, published demo flows and examples.

Running it again changes nothing: flows publish idempotently and every example action has
a fixed command id.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from approvals import commands as c
from approvals.events import Channel
from approvals.service import execute
from bot.cli.base import first_admin, person, publish_source
from bot.settings import Settings
from bot.wiring import Wiring, build, create_local_store, create_signing_demo

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo"


def _init_folder(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.documents_dir.mkdir(exist_ok=True)
    if not settings.directory_file.exists():
        shutil.copyfile(DEMO / "directory.yaml", settings.directory_file)
    create_local_store(settings)
    create_signing_demo(settings)


async def create_demo(settings: Settings, samples: bool = True) -> dict[str, Any]:
    """Create (or complete) the demo data folder; returns what it holds."""
    _init_folder(settings)
    wiring = build(settings)
    try:
        admin = await first_admin(wiring)
        flows = []
        for file in sorted((DEMO / "flows").glob("*.yaml")):
            record = await publish_source(wiring, file.read_text("utf-8"), file.name, admin)
            flows.append(f"{record.id} v{record.version}")
        dossiers = await _samples(wiring) if samples else []
        users: list[object] = getattr(wiring.directory, "users", list)()
        return {"data": str(settings.data_dir), "users": len(users), "flows": flows,
                "dossiers": dossiers}
    finally:
        await wiring.close()


async def _samples(wiring: Wiring) -> list[str]:
    spec = yaml.safe_load((DEMO / "samples.yaml").read_text("utf-8"))
    created = []
    for sample in spec["dossiers"]:
        dossier_id = sample["id"]
        start = c.StartDossier(
            dossier_id=dossier_id, actor=await person(wiring, sample["initiator"]),
            command_id=f"{dossier_id}-start", channel=Channel.API.value,
            flow_id=sample["flow"], title=sample["title"], fields=sample.get("fields", {}),
        )
        await execute(start, wiring.services)
        for number, step in enumerate(sample.get("actions", []), start=1):
            act = c.Act(
                dossier_id=dossier_id, actor=await person(wiring, step["as"]),
                command_id=f"{dossier_id}-{number}", channel=Channel.CARD.value,
                action=c.Action(step["action"]), stage_id=step.get("stage"),
                advice=c.Advice(step["advice"]) if step.get("advice") else None,
                text=step.get("text", ""),
            )
            await execute(act, wiring.services)
        created.append(dossier_id)
    return created
