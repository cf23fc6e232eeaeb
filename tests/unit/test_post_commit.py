"""The tables of what follows a commit: the services run each post-commit handler once per
recorded command; the outbox worker hands each row to the one handler for its kind, and a
handler that fails gives the row back, to be taken again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from approvals import commands as c
from approvals.access import ACCESS_KIND
from approvals.ports import OutboxItem
from approvals.service import Outcome, Services, execute, try_execute
from bot.post_commit import Done, NoHandler, OutboxHandlers
from bot.teams.delivery import NOTIFICATION_KINDS, Delivery
from tests.unit.test_delivery import world  # noqa: F401  (the fixture)


@dataclass
class Recording:
    """A post-commit handler that remembers what it was run for."""

    seen: list[tuple[str, int]] = field(default_factory=list)

    async def __call__(self, outcome: Outcome, services: Services) -> None:
        self.seen.append((outcome.state.id, outcome.state.version))


@dataclass
class Taking:
    """An outbox handler that takes the rows of its kinds; the first ``fails`` calls fail."""

    kinds: frozenset[str]
    fails: int = 0
    handled: list[int | str] = field(default_factory=list)
    tries: int = 0

    async def handle(self, item: OutboxItem) -> Done:
        self.tries += 1
        if self.tries <= self.fails:
            raise ConnectionError("the other side did not answer")
        self.handled.append(item.id)
        return Done("settled")

    async def given_up(self, item: OutboxItem, error: Exception) -> None:
        return None


async def _person(w: dict[str, Any], upn: str) -> Any:
    person = await w["directory"].user(upn)
    assert person is not None
    return person


async def test_each_post_commit_handler_runs_once_per_recorded_command(
    world: dict[str, Any],  # noqa: F811
) -> None:
    first, second = Recording(), Recording()
    services = replace(world["ctx"].services, after_commit=(first, second))
    jurist = await _person(world, "e.vanleeuwen@voorbeeldstad.nl")
    comment = c.AddComment(dossier_id="D-1", actor=jurist, command_id="opmerking-1",
                           text="Graag de bijlage erbij")
    version = (await execute(comment, services)).state.version
    assert first.seen == second.seen == [("D-1", version)]
    again = await execute(comment, services)  # the same click again: nothing recorded
    assert again.duplicate
    head = await _person(world, "h.vandijk@voorbeeldstad.nl")
    refused = await try_execute(c.Act(dossier_id="D-1", actor=head, command_id="paraaf-1",
                                      action=c.Action.INITIAL, stage_id="paraaf"), services)
    assert refused.refusal is not None and not refused.events
    assert first.seen == second.seen == [("D-1", version)]  # once, for the recorded one


def _worker(w: dict[str, Any], *handlers: Taking) -> Delivery:
    return Delivery(w["store"], OutboxHandlers.of(handlers), "worker-1", asyncio.Event())


def _due(w: dict[str, Any]) -> None:
    for row in w["store"].outbox.values():
        row.not_before = 0.0  # the backoff has passed


async def test_each_outbox_row_goes_to_the_handler_of_its_kind_once(
    world: dict[str, Any],  # noqa: F811
) -> None:
    cards, access = Taking(NOTIFICATION_KINDS), Taking(frozenset({ACCESS_KIND}))
    worker = _worker(world, cards, access)
    assert await worker.run_once(limit=100) == 6
    assert (len(cards.handled), len(access.handled)) == (5, 1)  # the start's rows
    assert len(set(cards.handled) | set(access.handled)) == 6
    _due(world)
    assert await worker.run_once(limit=100) == 0  # done rows are not taken again
    assert await world["store"].pending_count() == 0


async def test_a_failing_handler_does_not_lose_its_row_it_is_taken_again(
    world: dict[str, Any],  # noqa: F811
) -> None:
    cards, access = Taking(NOTIFICATION_KINDS), Taking(frozenset({ACCESS_KIND}), fails=1)
    worker = _worker(world, cards, access)
    await worker.run_once(limit=100)
    assert access.handled == [] and await world["store"].pending_count() == 1  # given back
    assert await worker.run_once(limit=100) == 0  # not before its backoff has passed
    _due(world)
    assert await worker.run_once(limit=100) == 1  # redelivered to the same handler
    assert len(access.handled) == 1 and access.tries == 2
    assert len(cards.handled) == 5  # the others were not held up, nor sent twice
    assert await world["store"].pending_count() == 0


async def test_a_row_of_a_kind_no_handler_takes_is_kept_for_later(
    world: dict[str, Any],  # noqa: F811
) -> None:
    access = Taking(frozenset({ACCESS_KIND}))
    worker = _worker(world, access)
    await worker.run_once(limit=100)
    assert len(access.handled) == 1
    assert await world["store"].pending_count() == 5  # the cards wait for a worker that sends
    with pytest.raises(NoHandler):
        worker.handlers.for_kind("task")


def test_a_kind_has_one_handler() -> None:
    with pytest.raises(ValueError, match="more than one handler for access"):
        OutboxHandlers.of([Taking(frozenset({ACCESS_KIND})),
                           Taking(frozenset({ACCESS_KIND, "task"}))])
