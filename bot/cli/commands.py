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
from approvals.dossier import DossierState
from approvals.errors import InvalidInput
from approvals.events import Channel
from approvals.identity import Person
from approvals.service import Outcome, execute, load
from approvals.signing_stage import SignedState
from bot.cli import output as out
from bot.cli.audit import anchor, audit_anchor, audit_verify
from bot.cli.base import first_admin, person, publish_source, settings_for, words_for
from bot.cli.constants import ACTIONS, EXIT_BROKEN, EXIT_OK, EXIT_UNAVAILABLE
from bot.cli.signin import acting_person
from bot.ids import new_dossier_id
from bot.wiring import Wiring, build, serve

Handler = Callable[[argparse.Namespace, Wiring], Awaitable[int]]


def _w(wiring: Wiring) -> out.Words:
    return words_for(wiring.settings)


async def run(args: argparse.Namespace) -> int:
    """Dispatch a parsed command line."""
    if args.command == "demo":
        from bot.cli.demo import create_demo

        settings = settings_for(args)
        report = await create_demo(settings, samples=args.samples)
        out.emit(args, report, out.demo_text(report, settings, words_for(settings)))
        return EXIT_OK
    if args.command == "flow" and args.flow_command == "validate":
        return _flow_validate(args, words_for(settings_for(args)))
    if args.command == "serve":
        await serve(settings_for(args), playground=args.playground)
        return EXIT_OK
    key = args.command + ":" + str(getattr(args, f"{args.command}_command", None))
    wiring = build(settings_for(args))
    try:
        return await _HANDLERS[key](args, wiring)
    finally:
        await wiring.close()


# --- helpers -----------------------------------------------------------------------------------


def _read(path: str, w: out.Words) -> str:
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(w.c.err_no_file.format(path=path))
    if file.stat().st_size > 256 * 1024:
        raise InvalidInput(w.c.err_file_too_large.format(path=path))
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(w.c.err_not_utf8.format(path=path)) from None


def _command_id() -> str:
    return str(uuid.uuid4())


# --- flows -------------------------------------------------------------------------------------


def _flow_validate(args: argparse.Namespace, w: out.Words) -> int:
    from approvals.flows.yaml_io import check_flow
    from cards.flow_words import issue_json, texts_in

    flow, warnings = check_flow(_read(args.file, w), args.file)
    data = {**out.flow_json(flow), "warnings": [issue_json(x) for x in warnings]}
    text = "".join(
        "\n" + w.c.flow_warning.format(warning=x.format(args.file, *texts_in(x, w.c, w.s)))
        for x in warnings)
    out.emit(args, data, out.flow_valid_text(flow, args.file, w) + text)
    return EXIT_OK


async def _admin(args: argparse.Namespace, wiring: Wiring) -> Person:
    """The beheerder named with --as (default in local mode: the directory's first one); on
    Microsoft 365 the person signed in with Entra ID."""
    if getattr(args, "as_user", None) or wiring.settings.backend == "graph":
        admin = await acting_person(args, wiring)
    else:
        admin = await first_admin(wiring)
    if not await wiring.directory.is_admin(admin.oid):
        raise InvalidInput(_w(wiring).c.err_not_admin.format(name=admin.name))
    return admin


async def _flow_publish(args: argparse.Namespace, wiring: Wiring) -> int:
    w = _w(wiring)
    record = await publish_source(wiring, _read(args.file, w), args.file,
                                  await _admin(args, wiring))
    out.emit(args, out.flow_record_json(record),
             out.flow_record_text(record, w.c.flow_published, w))
    return EXIT_OK


async def _flow_import(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.flows.yaml_io import parse_flow

    w = _w(wiring)
    source = _read(args.file, w)
    record = await wiring.services.flows.save(parse_flow(source, args.file), source)
    out.emit(args, out.flow_record_json(record),
             out.flow_record_text(record, w.c.flow_imported, w))
    return EXIT_OK


async def _flow_record(wiring: Wiring, flow_id: str, version: int | None) -> Any:
    from approvals.errors import UnknownFlow

    record = await wiring.services.flows.get(flow_id, version)
    if record is None:
        c = _w(wiring).c
        raise UnknownFlow(c.err_unknown_flow_version.format(id=flow_id, version=version)
                          if version else c.err_unknown_flow.format(id=flow_id))
    return record


async def _flow_list(args: argparse.Namespace, wiring: Wiring) -> int:
    records = await wiring.services.flows.list()
    out.emit(args, [out.flow_record_json(r) for r in records], out.flow_table(records, _w(wiring)))
    return EXIT_OK


async def _flow_show(args: argparse.Namespace, wiring: Wiring) -> int:
    record = await _flow_record(wiring, args.id, args.version)
    out.emit(args, {**out.flow_record_json(record), "source": record.source}, record.source)
    return EXIT_OK


async def _flow_export(args: argparse.Namespace, wiring: Wiring) -> int:
    record = await _flow_record(wiring, args.id, args.version)
    if args.output:
        Path(args.output).write_text(record.source, encoding="utf-8")
        out.emit(args, out.flow_record_json(record), _w(wiring).c.wrote.format(file=args.output))
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
    w = _w(wiring)
    out.emit(args, out.flow_record_json(record),
             out.flow_record_text(record, w.c.flow_withdrawn, w))
    return EXIT_OK


# --- dossiers ----------------------------------------------------------------------------------


def _fields(pairs: list[str], w: out.Words) -> dict[str, object]:
    fields: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(w.c.err_field_pair.format(pair=pair))
        fields[name.strip()] = value
    return fields


async def _dossier_start(args: argparse.Namespace, wiring: Wiring) -> int:
    actor = await acting_person(args, wiring)
    command = c.StartDossier(
        dossier_id=new_dossier_id(wiring.services.clock.now().year), actor=actor,
        command_id=_command_id(), channel=Channel.CLI.value, flow_id=args.flow,
        title=args.title, fields=_fields(args.field, _w(wiring)),
    )
    return await _show_outcome(args, wiring, await execute(command, wiring.services))


async def _act_command(args: argparse.Namespace, wiring: Wiring, actor: Person) -> c.Command:
    action = c.Action(args.action) if args.action in c.Action.__members__.values() else None
    base: dict[str, Any] = {"dossier_id": args.id, "actor": actor, "command_id": _command_id(),
                            "channel": Channel.CLI.value}
    behalf = ((await person(wiring, args.on_behalf_of, "--on-behalf-of")).oid
              if args.on_behalf_of else None)
    if action in c.STAGE_ACTIONS:
        assert action is not None
        advice = c.Advice(args.advice) if args.advice else None
        return c.Act(**base, action=action, stage_id=args.stage, advice=advice,
                     text=args.text or args.reason, on_behalf_of=behalf)
    if action is c.Action.RETURN:
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
        return c.Delegate(**base, to=await person(wiring, args.to, "--to"), reason=args.reason,
                          stage_id=args.stage)
    if args.action == "reassign":
        from_oid = ((await person(wiring, args.from_user, "--from")).oid
                    if args.from_user else "")  # left out: a stage nobody is to act in
        return c.Reassign(**base, stage_id=args.stage, reason=args.reason,
                          from_oid=from_oid, to=await person(wiring, args.to, "--to"))
    try:
        due = date.fromisoformat(args.due or "")
    except ValueError:
        raise InvalidInput(_w(wiring).c.err_due) from None
    return c.ChangeDueDate(**base, stage_id=args.stage, due=due, reason=args.reason)


REQUIRED_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    # action -> (option, attribute): what the command line asks before anything is read
    "return": (("--to-stage", "to_stage"), ("--reason", "reason")),
    "reject": (("--reason", "reason"),),
    "withdraw": (("--reason", "reason"),),
    "delegate": (("--to", "to"), ("--reason", "reason")),
    "reassign": (("--stage", "stage"), ("--to", "to"), ("--reason", "reason")),
    "due": (("--stage", "stage"), ("--due", "due"), ("--reason", "reason")),
    "advise": (("--advice", "advice"),),
}


def _require_options(args: argparse.Namespace, w: out.Words, typed: str) -> None:
    """``--reason is required for terugsturen``: the first missing option, by name, with
    the action as it was typed."""
    for option, attribute in REQUIRED_OPTIONS.get(args.action, ()):
        if not str(getattr(args, attribute, "") or "").strip():
            raise InvalidInput(w.c.err_option_required.format(option=option, action=typed))


async def _dossier_act(args: argparse.Namespace, wiring: Wiring) -> int:
    typed = args.action
    args.action = _canonical_action(args.action)
    _require_options(args, _w(wiring), typed)
    actor = await acting_person(args, wiring)
    command = await _act_command(args, wiring, actor)
    return await _show_outcome(args, wiring, await execute(command, wiring.services))


def _canonical_action(name: str) -> str:
    return ACTIONS[name]


async def _dossier_attach(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.documents import check_document_name, check_size
    from approvals.service import check

    actor = await acting_person(args, wiring)
    await load(wiring.services, args.id)  # an unknown dossier stores nothing
    commands = []
    for name in args.files:  # a refused attach stores no file: check them all first
        path = Path(name)
        if not path.is_file():
            raise InvalidInput(_w(wiring).c.err_no_file.format(path=name))
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
    from approvals.readmodels import summarize, timeline

    summary = summarize(outcome.state, outcome.flow)
    data = out.dossier_json(summary, outcome.state, outcome.events)
    today = wiring.services.clock.now().date()
    w = _w(wiring)
    text = out.outcome_text(summary, outcome.events, today, w)
    warning = out.unstaffed_warning(outcome.flow, outcome.unstaffed, w)
    if outcome.events and outcome.events[0].type.value == "DossierStarted":
        data["unstaffed"] = list(outcome.unstaffed)
        fields = out.rule_lines(outcome.state, outcome.flow, timeline(outcome.events), w)
        text += "".join(f"\n  {line}" for line in fields) + (f"\n{warning}" if warning else "")
    out.emit(args, data, text)
    return EXIT_OK


async def _dossier_show(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summarize, timeline

    state, flow, events = await load(wiring.services, args.id)
    summary = summarize(state, flow)
    entries = timeline(events)
    comments = await wiring.documents.comments(args.id)
    signed = await _signed_states(wiring, state)
    w = _w(wiring)
    data = {**out.dossier_json(summary, state, ()), "timeline": out.timeline_json(entries, w),
            "document_comments": out.comments_json(comments),
            "signatures": out.signatures_json(signed)}
    today = wiring.services.clock.now().date()
    out.emit(args, data, out.dossier_text(summary, state, entries, today, w, comments, flow,
                                          signed))
    return EXIT_OK


async def _signed_states(wiring: Wiring, state: DossierState) -> list[SignedState]:
    """The dossier's signed PDFs, each checked now (none when signing is off)."""
    from approvals.signing_stage import signed_states

    signing = wiring.services.signing
    if not state.signings or signing is None or signing.verifier is None:
        return []
    return await signed_states(state, wiring.documents, signing.verifier)


async def _dossier_list(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summary_to_json

    summaries = await wiring.services.store.list_summaries(status=args.status, limit=args.limit)
    today = wiring.services.clock.now().date()
    out.emit(args, [summary_to_json(s) for s in summaries],
             out.dossier_table(summaries, today, _w(wiring)))
    return EXIT_OK


async def _tasks(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import summary_to_json

    user = await person(wiring, args.user, "--user")
    summaries = await wiring.services.store.tasks_for(user.oid)
    today = wiring.services.clock.now().date()
    w = _w(wiring)
    data = {"user": user.to_json(), "tasks": [summary_to_json(s) for s in summaries]}
    text = out.tasks_text(user, summaries, today, w)
    if await wiring.services.directory.is_admin(user.oid):  # dossiers nobody is to act in
        waiting = await wiring.services.store.list_summaries(status="open", limit=1000)
        unstaffed = [s for s in waiting if any(not a.waiting_for for a in s.active)]
        data["unstaffed"] = [summary_to_json(s) for s in unstaffed]
        lines = out.unstaffed_tasks_text(unstaffed, w)
        text += "".join(f"\n{line}" for line in lines)
    out.emit(args, data, text)
    return EXIT_OK


async def _decided_states(wiring: Wiring,
                          statuses: tuple[str, ...] = ("completed", "open")) -> list[DossierState]:
    states = []
    for status in statuses:
        for summary in await wiring.services.store.list_summaries(status=status, limit=10_000):
            if summary.decision:
                states.append((await load(wiring.services, summary.id))[0])
    return states


async def _decisions(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.readmodels import decision_register

    if getattr(args, "zgw", None) or getattr(args, "register", False):
        return await _decisions_zgw(args, wiring)
    register = decision_register(await _decided_states(wiring))
    out.emit(args, [out.decision_json(d) for d in register],
             out.decision_table(register, _w(wiring)))
    return EXIT_OK


async def _decisions_zgw(args: argparse.Namespace, wiring: Wiring) -> int:
    """``decisions --zgw FILE``: the register in the ZGW shape as a file (the organisation's
    settings are enough); ``decisions --register``: every decision in the ZGW API."""
    import json
    from zoneinfo import ZoneInfo

    from bot import zgw_register as zgw
    from bot.settings import ZGW_API, ZGW_ORGANISATION
    from bot.wiring import decision_registry, decision_renderer, zgw_organisation
    from cards.refusals import refusal_text

    settings, w = wiring.settings, _w(wiring)
    organisation = zgw_organisation(settings)
    registry = decision_registry(settings) if args.register else None
    if organisation is None or (args.register and registry is None):
        wanted = list(ZGW_ORGANISATION) + (list(ZGW_API) if args.register else [])
        out.emit(args, {"error": {"code": "zgw_not_configured", "missing": wanted}},
                 w.c.zgw_not_configured.format(missing=", ".join(wanted)))
        return EXIT_BROKEN
    zone = ZoneInfo(settings.timezone)
    renderer = decision_renderer(settings)
    # done dossiers only: one decided but still to be signed gets its entry with the signed PDF
    states = sorted(await _decided_states(wiring, ("completed",)), key=lambda s: s.id)
    records = [await zgw.record_of(s, wiring.documents, renderer, zone) for s in states]
    if registry is None:
        today = zgw.today_in(wiring.services.clock.now(), zone)
        document = zgw.export(records, organisation, today)  # refused whole: no file
        Path(args.zgw).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                                  "utf-8")
        out.emit(args, {"file": args.zgw, "count": len(records)},
                 w.c.zgw_exported.format(count=len(records), file=args.zgw))
        return EXIT_OK
    try:
        done = await zgw.register_all(records, registry)
    finally:
        await registry.close()
    lines = [w.c.zgw_registered.format(dossier=d.dossier_id, url=d.entry.url) if d.entry
             else w.c.zgw_not_registered.format(dossier=d.dossier_id, reason=refusal_text(
                 d.refusal, "en" if settings.language == "en" else "nl") if d.refusal else "")
             for d in done]
    data = [{"dossier": d.dossier_id, "url": d.entry.url if d.entry else None,
             "document": d.entry.document_url if d.entry else None,
             "refusal": d.refusal.refusal if d.refusal else None} for d in done]
    out.emit(args, data, "\n".join(lines))
    return EXIT_OK if all(d.entry for d in done) else EXIT_BROKEN


async def _tick(args: argparse.Namespace, wiring: Wiring) -> int:
    from approvals.deadlines import tick
    from approvals.signing_outcome import SettleReport, settle_open

    report = await tick(wiring.services)
    # ValidSign's packages still open, settled as it says they are (a lost callback)
    signing = await settle_open(wiring.services) \
        if wiring.settings.validsign_url else SettleReport(0, 0)
    failed = [*report.failed, *signing.failed]
    data = {"checked": report.checked, "reminders": report.reminders,
            "escalations": report.escalations,
            "signing": {"checked": signing.checked, "settled": signing.settled},
            "failed": [{"dossier_id": d, "message": m} for d, m in failed]}
    text = out.tick_text(report.checked, report.reminders, report.escalations, tuple(failed),
                         _w(wiring))
    anchored = await anchor(wiring)  # after the tick's own events
    data["anchor"] = anchored.to_json()
    out.emit(args, data, text + "\n" + anchored.text(_w(wiring)))
    if anchored.refused is not None:
        return EXIT_BROKEN
    return EXIT_UNAVAILABLE if failed else EXIT_OK


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
    "audit:verify": audit_verify,
    "audit:anchor": audit_anchor,
    "tick:None": _tick,
}
