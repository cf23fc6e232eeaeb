"""The server dies between the commit and the notification; after a restart the notification
goes out, exactly once (the outbox is written in the commit and delivered afterwards)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.bot_http import card_text
from tests.e2e.playground import BotMessage, Playground, PlaygroundUnavailable
from tests.e2e.server_process import free_port, kill, start_server


def _pending(data: Path) -> int:
    with sqlite3.connect(data / "paraaf.db") as db:
        return int(db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])


async def test_notification_after_a_crash_goes_out_exactly_once(data: Path) -> None:
    port = free_port()
    server = await start_server(data, port, delivery="off")  # it commits, but cannot deliver
    try:
        async with Playground(f"http://127.0.0.1:{port}/api/messages", timeout=15) as pg:
            await pg.install()
            picker = (await pg.send_text("t.dejong", "start", locale="nl-NL")).replies[-1]
            started = (await pg.invoke("t.dejong", "start", {
                "flow_id": "collegevoorstel", "flow_version": 1, "title": "Fietspad Z-09999",
                "field.onderwerp": "Fietspad", "field.bedrag": "5000",
            }, picker))["value"]
            assert "is gestart" in card_text(started)
            assert _pending(data) >= 1  # committed with its notifications, none sent
            kill(server)  # the crash: after the commit, before the notification

            mark = pg.mark()  # before the restart: its first delivery comes at once
            server = await start_server(data, port, delivery="on")

            def for_dossier(message: BotMessage) -> bool:
                return "Fietspad Z-09999" in card_text(message.card)

            first = await pg.wait_for_message("e.vanleeuwen", since=mark, where=for_dossier,
                                              timeout=30)
            deadline = time.monotonic() + 30
            while _pending(data) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert _pending(data) == 0
            await asyncio.sleep(2)  # time enough for a second copy to show, if there were one
            copies = [m for m in pg.messages("e.vanleeuwen", since=mark) if for_dossier(m)]
            assert copies == [first]
            assert all(m.updates == 0 for m in copies)
    except PlaygroundUnavailable as error:
        pytest.skip(str(error))
    finally:
        if server.poll() is None:
            kill(server)
