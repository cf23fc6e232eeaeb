"""What each ``paraaf`` command does, on top of the wiring and the service layer."""

from __future__ import annotations

import argparse
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from approvals import commands as c
from approvals.errors import InvalidInput, UnknownUser
from approvals.events import Channel
from approvals.identity import Person
from approvals.service import Outcome, execute, load
from bot import cli_output as out
from bot.cli import EXIT_BROKEN, EXIT_OK, EXIT_UNAVAILABLE
from bot.ids import new_dossier_id
from bot.settings import Settings
from bot.wiring import Wiring, build

Handler = Callable[[argparse.Namespace, Wiring], Awaitable[int]]


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(data_dir=getattr(args, "data", None))


async def run(args: argparse.Namespace) -> int:
    """Dispatch a parsed command line."""
    if args.command == "demo":
        from bot.demo import create_demo

        settings = _settings(args)
        report = await create_demo(settings, samples=args.samples)
        out.emit(args, report, out.demo_text(report, settings))
        return EXIT_OK
    if args.command == "flow" and args.flow_command == "validate":
        return _flow_validate(args)
    if args.command == "serve":
        from bot.server import serve

        await serve(_settings(args), playground=args.playground)
        return EXIT_OK
    key = args.command + ":" + str(getattr(args, f"{args.command}_command", None))
    wiring = build(_settings(args))
    try:
        return await _HANDLERS[key](args, wiring)
    finally:
        await wiring.close()


# --- helpers -----------------------------------------------------------------------------------


async def person(wiring: Wiring, key: str) -> Person:
    """A directory user by e-mail, UPN or object id; UnknownUser when there is none."""
    found = await wiring.directory.user(key)
    if found is None:
        raise UnknownUser(key)
    return found


def _read(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"There is no file '{path}'.")
    if file.stat().st_size > 256 * 1024:
        raise InvalidInput(f"'{path}' is larger than 256 KiB; a flow file is much smaller.")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"'{path}' is not UTF-8 text.") from None


def _command_id() -> str:
    return str(uuid.uuid4())


# --- flows -------------------------------------------------------------------------------------


def _flow_validate(args: argparse.Namespace) -> int:
    from approvals.flow_yaml import parse_flow

    flow = parse_flow(_read(args.file), args.file)
    out.emit(args, out.flow_json(flow), out.flow_valid_text(flow, args.file))
    return EXIT_OK


async def _admin(args: argparse.Namespace, wiring: Wiring) -> Person:
    """The beheerder named with --as (default in local mode: the directory's first one)."""
    if getattr(args, "as_user", None):
        admin = await person(wiring, args.as_user)
    else:
        admin = await _first_admin(wiring)
    if not await wiring.directory.is_admin(admin.oid):
        raise InvalidInput(f"{admin.name} is no beheerder; only beheerders manage flows.")
    return admin


async def _first_admin(wiring: Wiring) -> Person:
    users: Callable[[], list[Person]] | None = getattr(wiring.directory, "users", None)
    for candidate in users() if users else []:
        if await wiring.directory.is_admin(candidate.oid):
            return candidate
    raise InvalidInput("Name the beheerder with --as USER.")


async def publish_source(wiring: Wiring, source: str, name: str, admin: Person) -> Any:
    """Validate, store and publish a flow file (idempotent for an unchanged file)."""
    from approvals.flow_yaml import parse_flow
    from approvals.ports import FlowStatus

    flow = parse_flow(source, name)
    record = await wiring.services.flows.save(flow, source)
    if record.status is FlowStatus.PUBLISHED:
        return record
    now = wiring.services.clock.now()
    return await wiring.services.flows.set_status(
        flow.id, flow.version, FlowStatus.PUBLISHED, admin, now
    )


async def _flow_publish(args: argparse.Namespace, wiring: Wiring) -> int:
    record = await publish_source(wiring, _read(args.file), args.file, await _admin(args, wiring))
    out.emit(args, out.flow_record_json(record), out.flow_record_text(record, "Published"))
    return EXIT_OK


async def _flow_import(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.flow_yaml import parse_flow

    source = _read(args.file)
    record = await wiring.services.flows.save(parse_flow(source, args.file), source)
    out.emit(args, out.flow_record_json(record), out.flow_record_text(record, "Imported"))
    return EXIT_OK


async def _flow_record(wiring: Wiring, flow_id: str, version: int | None) -> Any:
    from approvals.errors import UnknownFlow

    record = await wiring.services.flows.get(flow_id, version)
    if record is None:
        which = f"version {version} of flow '{flow_id}'" if version else f"flow '{flow_id}'"
        raise UnknownFlow(f"There is no {which}. See `paraaf flow list`.")
    return record


async def _flow_list(args: argparse.Namespace, wiring: Wiring) -> int:
    records = await wiring.services.flows.list()
    out.emit(args, [out.flow_record_json(r) for r in records], out.flow_table(records))
    return EXIT_OK


async def _flow_show(args: argparse.Namespace, wiring: Wiring) -> int:
    record = await _flow_record(wiring, args.id, args.version)
    out.emit(args, {**out.flow_record_json(record), "source": record.source}, record.source)
    return EXIT_OK


async def _flow_export(args: argparse.Namespace, wiring: Wiring) -> int:
    record = await _flow_record(wiring, args.id, args.version)
    if args.output:
        Path(args.output).write_text(record.source, encoding="utf-8")
        out.emit(args, out.flow_record_json(record), f"Wrote {args.output}")
    else:
        print(record.source, end="")
    return EXIT_OK


async def _flow_withdraw(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.ports import FlowStatus

    admin = await _admin(args, wiring)
    now = wiring.services.clock.now()
    record = await wiring.services.flows.set_status(
        args.id, args.version, FlowStatus.WITHDRAWN, admin, now
    )
    out.emit(args, out.flow_record_json(record), out.flow_record_text(record, "Withdrew"))
    return EXIT_OK


# --- dossiers ----------------------------------------------------------------------------------


def _fields(pairs: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"Write a field as NAME=VALUE, not '{pair}'.")
        fields[name.strip()] = value
    return fields


async def _dossier_start(args: argparse.Namespace, wiring: Wiring) -> int:
    actor = await person(wiring, args.as_user)
    command = c.StartDossier(
        dossier_id=new_dossier_id(wiring.services.clock.now().year), actor=actor,
        command_id=_command_id(), channel=Channel.CLI.value, flow_id=args.flow,
        title=args.title, fields=_fields(args.field),
    )
    return await _show_outcome(args, wiring, await execute(command, wiring.services))


async def _act_command(args: argparse.Namespace, wiring: Wiring, actor: Person) -> c.Command:
    action = c.Action(args.action) if args.action in c.Action.__members__.values() else None
    base: dict[str, Any] = {"dossier_id": args.id, "actor": actor, "command_id": _command_id(),
                            "channel": Channel.CLI.value}
    behalf = (await person(wiring, args.on_behalf_of)).oid if args.on_behalf_of else None
    if action in c.STAGE_ACTIONS:
        assert action is not None
        advice = c.Advice(args.advice) if args.advice else None
        return c.Act(**base, action=action, stage_id=args.stage, advice=advice,
                     text=args.text or args.reason, on_behalf_of=behalf)
    if action is c.Action.RETURN:
        if not args.to_stage:
            raise InvalidInput("Say where to return the dossier to with --to-stage STAGE.")
        return c.Return(**base, to_stage=args.to_stage, reason=args.reason,
                        stage_id=args.stage, on_behalf_of=behalf)
    if action is c.Action.REJECT:
        return c.Reject(**base, reason=args.reason, stage_id=args.stage, on_behalf_of=behalf)
    if action is c.Action.WITHDRAW:
        return c.Withdraw(**base, reason=args.reason)
    if action is c.Action.COMMENT:
        return c.AddComment(**base, text=args.text or args.reason)
    return await _assignment_command(args, wiring, base)


async def _assignment_command(args: argparse.Namespace, wiring: Wiring,
                              base: dict[str, Any]) -> c.Command:
    if args.action == "delegate":
        if not args.to:
            raise InvalidInput("Name the substitute with --to USER.")
        return c.Delegate(**base, to=await person(wiring, args.to), reason=args.reason,
                          stage_id=args.stage)
    if not args.stage:
        raise InvalidInput("Name the stage with --stage STAGE.")
    if args.action == "reassign":
        if not args.to or not args.from_user:
            raise InvalidInput("Name both --from USER and --to USER.")
        return c.Reassign(**base, stage_id=args.stage, reason=args.reason,
                          from_oid=(await person(wiring, args.from_user)).oid,
                          to=await person(wiring, args.to))
    try:
        due = date.fromisoformat(args.due or "")
    except ValueError:
        raise InvalidInput("Give the new due date as --due YYYY-MM-DD.") from None
    return c.ChangeDueDate(**base, stage_id=args.stage, due=due, reason=args.reason)


async def _dossier_act(args: argparse.Namespace, wiring: Wiring) -> int:
    args.action = _canonical_action(args.action)
    actor = await person(wiring, args.as_user)
    command = await _act_command(args, wiring, actor)
    return await _show_outcome(args, wiring, await execute(command, wiring.services))


def _canonical_action(name: str) -> str:
    from bot.cli import ACTIONS

    return ACTIONS[name]


async def _dossier_attach(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.documents import check_document_name, check_size
    from approvals.service import check

    actor = await person(wiring, args.as_user)
    await load(wiring.services, args.id)  # an unknown dossier stores nothing
    commands = []
    for name in args.files:  # a refused attach stores no file: check them all first
        path = Path(name)
        if not path.is_file():
            raise InvalidInput(f"There is no file '{name}'.")
        content = path.read_bytes()
        check_size(check_document_name(path.name), content)
        command = c.Attach(
            dossier_id=args.id, actor=actor, command_id=_command_id(), channel=Channel.CLI.value,
            name=path.name, uri="", sha256=hashlib.sha256(content).hexdigest(),
            size=len(content), version="",
        )
        await check(command, wiring.services)
        commands.append((path, command))
    outcome = None
    for path, command in commands:
        stored = await wiring.documents.put(args.id, path.name, path.read_bytes())
        command = replace(command, name=stored.name, uri=stored.uri, sha256=stored.sha256,
                          size=stored.size, version=stored.version)
        outcome = await execute(command, wiring.services)
    assert outcome is not None
    return await _show_outcome(args, wiring, outcome)


async def _show_outcome(args: argparse.Namespace, wiring: Wiring, outcome: Outcome) -> int:
    from approvals.readmodels import summarize
    from bot.access import grant_stage_access

    await grant_stage_access(wiring.documents, outcome.state, outcome.events, outcome.flow)
    summary = summarize(outcome.state, outcome.flow)
    data = out.dossier_json(summary, outcome.state, outcome.events)
    today = wiring.services.clock.now().date()
    out.emit(args, data, out.outcome_text(summary, outcome.events, today))
    return EXIT_OK


async def _dossier_show(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summarize, timeline

    state, flow, events = await load(wiring.services, args.id)
    summary = summarize(state, flow)
    entries = timeline(events)
    comments = await wiring.documents.comments(args.id)
    data = {**out.dossier_json(summary, state, ()), "timeline": out.timeline_json(entries),
            "document_comments": out.comments_json(comments)}
    today = wiring.services.clock.now().date()
    out.emit(args, data, out.dossier_text(summary, state, entries, today, comments))
    return EXIT_OK


async def _dossier_list(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summary_to_json

    summaries = await wiring.services.store.list_summaries(status=args.status, limit=args.limit)
    today = wiring.services.clock.now().date()
    out.emit(args, [summary_to_json(s) for s in summaries], out.dossier_table(summaries, today))
    return EXIT_OK


async def _tasks(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summary_to_json

    user = await person(wiring, args.user)
    summaries = await wiring.services.store.tasks_for(user.oid)
    today = wiring.services.clock.now().date()
    out.emit(args, {"user": user.to_json(), "tasks": [summary_to_json(s) for s in summaries]},
             out.tasks_text(user, summaries, today))
    return EXIT_OK


async def _decisions(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import decision_register

    states = []
    for status in ("completed", "open"):
        for summary in await wiring.services.store.list_summaries(status=status, limit=10_000):
            if summary.decision:
                states.append((await load(wiring.services, summary.id))[0])
    register = decision_register(states)
    out.emit(args, [out.decision_json(d) for d in register], out.decision_table(register))
    return EXIT_OK


async def _audit_verify(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.audit import ChainVerifier

    store = wiring.services.store
    verifier = ChainVerifier(await store.chain_heads(args.dossier))  # heads first: see there
    async for batch in store.chain_records(args.dossier):
        verifier.feed(batch)
    breaks = verifier.finish()
    data = {"ok": not breaks, "dossiers": verifier.dossiers, "events": verifier.events,
            "breaks": [{"dossier_id": b.dossier_id, "seq": b.seq, "reason": b.reason}
                       for b in breaks]}
    out.emit(args, data, out.audit_text(verifier.dossiers, verifier.events, breaks))
    return EXIT_BROKEN if breaks else EXIT_OK


async def _tick(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.deadlines import tick

    report = await tick(wiring.services)
    data = {"checked": report.checked, "reminders": report.reminders,
            "escalations": report.escalations,
            "failed": [{"dossier_id": d, "message": m} for d, m in report.failed]}
    text = (f"Checked {report.checked} dossiers with a due date: {report.reminders} "
            f"reminders, {report.escalations} escalations recorded.")
    text += "".join(f"\n  could not check dossier {d}: {m}" for d, m in report.failed)
    out.emit(args, data, text)
    return EXIT_UNAVAILABLE if report.failed else EXIT_OK


_HANDLERS: dict[str, Handler] = {
    "flow:publish": _flow_publish,
    "flow:import": _flow_import,
    "flow:list": _flow_list,
    "flow:show": _flow_show,
    "flow:export": _flow_export,
    "flow:withdraw": _flow_withdraw,
    "dossier:start": _dossier_start,
    "dossier:act": _dossier_act,
    "dossier:attach": _dossier_attach,
    "dossier:show": _dossier_show,
    "dossier:list": _dossier_list,
    "tasks:None": _tasks,
    "decisions:None": _decisions,
    "audit:verify": _audit_verify,
    "tick:None": _tick,
}
