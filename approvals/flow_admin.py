"""What a beheerder does with flows, shared by every channel (the command line, the tab):
publish a flow text as a version, and simulate a dossier on a flow.

Both go through the ports only: publishing stores through the FlowRepository (whose rules are
:mod:`approvals.flow_versions`), a simulation reads the directory and records nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from approvals.errors import UnknownUser
from approvals.fields import normalize_fields
from approvals.flows.definition import FieldType, FlowDefinition
from approvals.flows.yaml_io import parse_flow
from approvals.identity import Person
from approvals.ports import FlowRecord, FlowStatus
from approvals.service import Services, resolve_stage
from approvals.simulation import Simulation, simulate


async def publish(services: Services, source: str, name: str, admin: Person) -> FlowRecord:
    """Validate, store and publish a flow text as its version (a no-op for a text that is
    already published as that version; a published version with another text is refused).
    Running dossiers keep the version they started on."""
    flow = parse_flow(source, name)
    record = await services.flows.save(flow, source)
    if record.status is FlowStatus.PUBLISHED:
        return record
    return await services.flows.set_status(flow.id, flow.version, FlowStatus.PUBLISHED, admin,
                                           services.clock.now())


async def simulate_start(services: Services, flow: FlowDefinition,
                         values: Mapping[str, object], initiator: Person) -> Simulation:
    """A dossier with these field values, started today by ``initiator``, run through
    ``flow`` with the people the directory finds now. Fields may be left empty (a required
    one too: the simulation only shows what a condition does with an empty value); a value
    that does not fit its field is refused as at a start (InvalidInput), a user field that
    names nobody too (UnknownUser)."""
    relaxed = replace(flow, fields=tuple(replace(f, required=False) for f in flow.fields))
    fields = normalize_fields(relaxed, values)
    for definition in flow.fields:
        value = fields.get(definition.name)
        if definition.type is FieldType.USER and isinstance(value, str) and value.strip():
            person = await services.directory.user(value.strip())
            if person is None:
                raise UnknownUser(value.strip())
            fields[definition.name] = person.upn
    resolved = {stage.id: await resolve_stage(stage, services, fields, initiator)
                for stage in flow.all_stages()}
    return simulate(flow, fields, initiator, services.clock.now().date(),
                    lambda stage: resolved[stage.id], services.calendar.add_working_days)
