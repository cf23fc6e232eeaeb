"""The tab API's requests and responses as pydantic models: the OpenAPI document is generated
from them (bot/tab/openapi.py), so what the server sends and what the document says are one.

Limits and patterns come from the card data contract (cards/contract.py): a task action sent
from the tab is held to the same rules as one sent from a card.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from cards import contract as k

Verb = Literal["advise", "initial", "approve", "decide", "sign", "acknowledge", "return",
               "reject", "comment", "delegate"]
"""The task verbs of the cards (cards/contract.py TASK_VERBS)."""
BulkVerb = Literal["initial", "approve", "acknowledge", "sign"]
"""What may be done to several tasks at once: the stage actions that need no text."""
Kind = Literal["advise", "initial", "approve", "decide", "sign", "acknowledge"]
Status = Literal["open", "completed", "rejected", "withdrawn"]
AdviceChoice = Literal["positief", "negatief", "neutraal"]

Id = Annotated[str, Field(pattern=k.ID_PATTERN, max_length=64)]
ObjectId = Annotated[str, Field(min_length=1, max_length=k.MAX_OBJECT_ID)]
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    """A day only as an ISO date (``2026-03-01``), not a number read as a timestamp."""
    if isinstance(value, str) and not ISO_DAY.match(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Department = Annotated[str, Field(min_length=1, max_length=200)]


def _whole(value: object) -> object:
    """JSON's whole numbers include 3.0 (JSON Schema: an integer is a number without a
    fraction); ``true`` stays no number."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Count = Annotated[int, Field(ge=0, lt=10**9), BeforeValidator(_whole)]


class Model(BaseModel):
    """Every body: unknown keys are refused, types are taken strictly (``false`` is no
    number, ``"1"`` no whole number), nothing changes after it is built."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Query(Model):
    """A query string: its values are text, read as the numbers and booleans they spell."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Error(Model):
    """Why a request was refused; ``message`` in the request's language."""

    code: str
    message: str
    field: str | None = None


class Me(Model):
    id: str
    name: str
    language: Literal["nl", "en"]
    beheerder: bool


class LocalUser(Model):
    id: str
    name: str
    department: str
    beheerder: bool


class LocalUsers(Model):
    items: list[LocalUser]


class Departments(Model):
    """The departments the overview filters on: the initiators' departments in the
    directory (as the insight's "per department"), by name."""

    items: list[str]


class PersonRef(Model):
    id: str
    name: str


class Task(Model):
    """One open task of the user (or of someone they act for), as the werkvoorraad lists it."""

    dossier_id: str
    number: str
    title: str
    flow: str
    stage_id: str
    stage: str
    kind: Kind
    round: int
    version: int
    due: date | None
    overdue: bool
    verbs: list[Verb]
    on_behalf_of: str | None


class Tasks(Model):
    items: list[Task]


class DossierSummary(Model):
    id: str
    number: str
    title: str
    flow: str
    status: Status
    stage: str | None
    to_act: list[PersonRef]
    initiator: PersonRef
    started: datetime
    due: date | None
    overdue: bool


class DossierPage(Model):
    """A page of the dossiers overview. ``next`` is the cursor of the page after it (send it
    back as ``after``; null on the last page). ``total`` is null where the store cannot
    count the dossiers without reading them all (on Microsoft 365): page on with ``next``."""

    items: list[DossierSummary]
    total: int | None
    page: int
    page_size: int
    next: str | None = None


class TextLimits:
    """The longest text each input of a task action takes (the cards' limits)."""

    text = k.TASK_LIMITS[k.TEXT]
    reason = k.TASK_LIMITS[k.RETURN_REASON]
    comment = k.TASK_LIMITS[k.COMMENT]
    email = k.TASK_LIMITS[k.DELEGATE_TO]


class ActionRequest(Model):
    """A task action, as a card sends it: the task the user saw (stage, round, the dossier
    version) and the inputs of the verb."""

    verb: Verb
    stage_id: Id
    round: Count
    version: Count
    on_behalf_of: ObjectId | None = None
    advice: AdviceChoice | None = None
    text: Annotated[str, Field(max_length=TextLimits.text)] | None = None
    comment: Annotated[str, Field(max_length=TextLimits.comment)] | None = None
    return_to: Id | None = None
    return_reason: Annotated[str, Field(max_length=TextLimits.reason)] | None = None
    reject_reason: Annotated[str, Field(max_length=TextLimits.reason)] | None = None
    delegate_to: Annotated[str, Field(max_length=TextLimits.email)] | None = None
    delegate_reason: Annotated[str, Field(max_length=TextLimits.reason)] | None = None


class ActionResult(Model):
    dossier: DossierSummary


class BulkItem(Model):
    dossier_id: Id
    stage_id: Id
    round: Count
    version: Count
    on_behalf_of: ObjectId | None = None


class BulkRequest(Model):
    """The same stage action on several tasks, each its own command."""

    verb: BulkVerb
    items: Annotated[list[BulkItem], Field(min_length=1, max_length=100)]
    text: Annotated[str, Field(max_length=TextLimits.text)] | None = None


class BulkResult(Model):
    dossier_id: str
    ok: bool
    error: Error | None


class BulkResults(Model):
    results: list[BulkResult]


class Event(Model):
    seq: int
    at: datetime
    type: str
    actor: PersonRef
    on_behalf_of: PersonRef | None
    reason: str | None
    text: str | None


class Comment(Model):
    author: str
    text: str
    date: str | None
    passage: str | None


class Document(Model):
    name: str
    url: str
    comments: list[Comment]


class AdviceEntry(Model):
    stage_id: str
    stage: str
    round: int
    by: PersonRef
    on_behalf_of: PersonRef | None
    advice: AdviceChoice
    text: str
    at: datetime


class DecisionEntry(Model):
    stage_id: str
    text: str
    by: PersonRef
    on_behalf_of: PersonRef | None
    at: datetime
    register_url: str | None  # the besluit in the decision register (ZGW), when registered


class Audit(Model):
    """The state of the dossier's hash chain: intact, or where and why it breaks."""

    intact: bool
    events: int
    problem: str | None


SignatureCheck = Literal["valid", "changed", "untrusted", "unsigned", "missing", "unchecked"]


class SignedPdf(Model):
    """A signed PDF of the dossier as read now: ``state`` is its check by the verifier
    ("unchecked" when no verifier is configured), ``level`` the signatures' archiving level
    when valid; ``url`` opens it (in local mode the tab serves it)."""

    name: str
    url: str
    state: SignatureCheck
    level: str
    signers: list[PersonRef]
    signed_at: datetime


class Signing(Model):
    """The dossier's signing state: its signed PDFs, who is to sign now (the open sign
    stages) and the sign stages not reached yet (their titles)."""

    documents: list[SignedPdf]
    to_sign: list[PersonRef]
    later_stages: list[str]


class Dossier(Model):
    summary: DossierSummary
    fields: dict[str, Any]
    field_labels: dict[str, str]  # each field's label in the dossier's flow version
    events: list[Event]
    documents: list[Document]
    advice: list[AdviceEntry]
    decision: DecisionEntry | None
    audit: Audit
    signing: Signing | None  # None: the dossier's flow has no sign stage


# --- Stromen: flows, their versions, the designer, simulation (beheerders) ----------------

FlowStatus = Literal["concept", "gepubliceerd", "ingetrokken"]
Outcome = Literal["task", "skipped", "nobody"]
FLOW_TEXT_MAX = 40_000
"""The longest flow text the tab takes (characters): a request body holds at most 256 KB
(bot/tab/core.py MAX_BODY), and a character may take six bytes in JSON (a backslash-u escape)."""
FieldValue = Annotated[str, Field(max_length=4000)] | int | float | bool | None


class FlowVersion(Model):
    id: str
    version: int
    title: str
    status: FlowStatus
    published_by: str
    published_at: str


class FlowItem(Model):
    """A flow with its versions; ``current`` is the version new dossiers start on (None:
    none is published)."""

    id: str
    title: str
    current: int | None
    versions: list[FlowVersion]


class Flows(Model):
    items: list[FlowItem]


class FlowVersionDetail(Model):
    """One version: its record, its YAML as stored and the same as data (the designer's
    form)."""

    flow: FlowVersion
    yaml: str
    definition: dict[str, Any]


def _one_of(*names: str) -> Any:
    """A body's schema: exactly one of ``names``, none of them null (the model refuses an
    explicit null; leaving a key out is how it is not given)."""

    def adjust(schema: dict[str, Any]) -> None:
        for name in names:
            options = schema["properties"][name].pop("anyOf", None)
            if options:
                schema["properties"][name].update(
                    next(o for o in options if o.get("type") != "null"))
            schema["properties"][name].pop("default", None)
        schema["oneOf"] = [{"required": [name]} for name in names]

    return adjust


def _not_null(value: object) -> object:
    if value is None:
        raise ValueError("leave the key out instead of null")
    return value


class FlowDraft(Model):
    """A flow being designed: as data (the designer's form, the YAML document's shape) or as
    YAML text; exactly one of the two."""

    model_config = ConfigDict(json_schema_extra=_one_of("definition", "yaml"))

    definition: Annotated[dict[str, Any] | None, BeforeValidator(_not_null)] = None
    yaml: Annotated[str | None, Field(max_length=FLOW_TEXT_MAX),
                    BeforeValidator(_not_null)] = None


class FlowProblem(Model):
    """One problem the validator found: ``path`` is where in the definition
    (``stages[1].parallel[0].assignees[0]``; empty for the whole), ``line`` in the YAML."""

    path: str
    line: int | None
    code: str
    message: str
    hint: str


class FlowCheck(Model):
    """A draft checked: valid or not with every problem, the YAML it is, and (when valid)
    the definition as data, read back from that YAML."""

    valid: bool
    yaml: str
    definition: dict[str, Any] | None
    issues: list[FlowProblem]
    warnings: list[FlowProblem]


class SimulationRequest(Model):
    """Run a dossier through a draft, or through a stored version (``flow``, ``version``;
    no version: the current one), with these field values, started by ``initiator``."""

    model_config = ConfigDict(json_schema_extra=_one_of("draft", "flow"))

    draft: Annotated[FlowDraft | None, BeforeValidator(_not_null)] = None
    flow: Annotated[Id | None, BeforeValidator(_not_null)] = None
    version: Count | None = None
    fields: Annotated[dict[Annotated[str, Field(max_length=64)], FieldValue],
                      Field(max_length=100)] = {}
    initiator: ObjectId


class SimulatedStage(Model):
    stage_id: str
    title: str
    kind: Kind
    step: int
    parallel: bool
    outcome: Outcome
    assignees: list[PersonRef]
    left_out: list[PersonRef]
    starts: date | None
    due: date | None
    deadline_days: int | None
    condition: str | None
    reason: str | None


class Simulation(Model):
    flow: str
    version: int
    initiator: PersonRef
    start: date
    end: date
    stages: list[SimulatedStage]
    nobody: list[str]


class FlowText(Model):
    """A flow file's text (an import)."""

    yaml: Annotated[str, Field(min_length=1, max_length=FLOW_TEXT_MAX)]


class FlowVersionRef(Model):
    version: Count


class MoveRequest(Model):
    """Move these running dossiers of the flow to ``version`` (each its own command)."""

    version: Count
    dossiers: Annotated[list[Id], Field(min_length=1, max_length=100)]
    reason: Annotated[str, Field(min_length=1, max_length=TextLimits.reason)]


class FlowExport(Model):
    filename: str
    yaml: str


class DirectoryEntry(Model):
    """Someone or something a stage's assignees may name: a person (``value`` their UPN), a
    group (its id) or a role (its name)."""

    kind: Literal["user", "group", "role"]
    value: str
    name: str
    detail: str


class DirectoryEntries(Model):
    items: list[DirectoryEntry]
# --- the decision register, insight, my substitutes, the filters' choices ------------------


class RegisterEntry(Model):
    """A decision as the register lists it."""

    dossier_id: str
    number: str
    title: str
    flow_id: str
    flow: str
    stage_id: str
    decided_at: datetime
    by: PersonRef
    on_behalf_of: PersonRef | None
    text: str
    signed: bool  # getekend: the decision's document is signed
    signed_url: str | None  # the signed PDF
    signers: list[str]
    register_url: str | None  # the besluit in the decision register (ZGW), when registered


class RegisterPage(Model):
    items: list[RegisterEntry]
    total: int
    page: int
    page_size: int


class RegisterExport(Model):
    """The register as a JSON file: every decision the filters list (at most ``limit``)."""

    items: list[RegisterEntry]
    total: int
    limit: int


class Download(Model):
    """A file an operation answers (not JSON): its media type, name and content."""

    media_type: str
    filename: str
    content: str = ""
    data: bytes | None = None  # a binary file instead of the text ``content``
    inline: bool = False  # shown in the browser (a PDF), not saved


class Lead(Model):
    """How many, and the median and p90 in days (null when there are none)."""

    count: int
    median: float | None
    p90: float | None


class FlowInsight(Model):
    flow_id: str
    flow: str
    started: int
    closed: int
    lead: Lead
    overdue: int


class StageInsight(Model):
    flow_id: str
    flow: str
    stage_id: str
    stage: str
    lead: Lead
    wait: Lead
    overdue: int
    open: int


class DepartmentInsight(Model):
    department: str
    started: int
    closed: int
    lead: Lead
    overdue: int


class Insight(Model):
    since: date | None
    until: date | None
    dossiers: int
    flows: list[FlowInsight]
    stages: list[StageInsight]
    longest: list[StageInsight]
    departments: list[DepartmentInsight]


class Substitute(Model):
    """A period in which ``substitute`` takes my new tasks (both days included)."""

    id: str
    person: PersonRef
    substitute: PersonRef
    start: date
    end: date
    reason: str
    set_by: PersonRef


class Substitutes(Model):
    items: list[Substitute]


class SubstituteRequest(Model):
    """Name a substitute (by e-mail address or UPN) for a period."""

    substitute: Annotated[str, Field(min_length=1, max_length=TextLimits.email,
                                     pattern=r"\S")]
    start: date
    end: date
    reason: Annotated[str, Field(min_length=1, max_length=TextLimits.reason, pattern=r"\S")]


class StageChoice(Model):
    id: str
    title: str


class FlowChoice(Model):
    id: str
    title: str
    stages: list[StageChoice]


class FlowChoices(Model):
    """The flows (and their stages) to filter by."""

    items: list[FlowChoice]


FieldKind = Literal["text", "number", "money", "date", "choice", "user", "document"]


class StartField(Model):
    """A field of the start form: a text, number, amount, date, choice or colleague."""

    name: str
    label: str
    type: FieldKind
    required: bool
    choices: list[str]
    max_length: int | None = None


class StartableFlow(Model):
    id: str
    version: int
    title: str
    description: str
    fields: list[StartField]


class StartableFlows(Model):
    """The published flows the user may start (each flow's starters), with their fields."""

    items: list[StartableFlow]


class StartRequest(Model):
    """A dossier to start: the flow (and the version the form was shown for), the title and
    the fields' values as typed (amounts and dates as text, as on the card; the domain reads
    and checks them). ``request_id`` makes a repeated send start one dossier."""

    flow: Id
    version: Annotated[int, Field(ge=1, lt=10**6)] | None = None
    title: Annotated[str, Field(max_length=k.START_LIMITS[k.TITLE])]
    fields: Annotated[dict[Annotated[str, Field(max_length=64)],
                           Annotated[str, Field(max_length=k.MAX_FIELD_INPUT)]],
                      Field(max_length=100)] = {}
    request_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")] | None = None


class Started(Model):
    """The dossier started, and the stages ahead for which nobody is found now (titles)."""

    dossier: DossierSummary
    unstaffed: list[str]
