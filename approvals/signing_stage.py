"""A ``sign`` action puts a signature on the decision.

When someone signs, the decision document (the dossier's latest .docx, its fields filled in;
without one, the dossier's title and fields) is rendered to PDF, or, when earlier signers
signed it already, their signed PDF is taken, by the version their signature recorded
(not the current file, which a signer of the same stage signing at the same moment may have
replaced); the signing provider adds this signer's
signature; the signed PDF and the provider's evidence are stored among the dossier's
documents, and :class:`~approvals.event_payloads.DocumentSigned` records what was signed
right after the ``Signed`` event, in the same commit.

Everything that can fail (rendering, the signed PDF changed since its last signature, the
provider) fails before anything is stored or recorded: the action is refused with a clear
message and the dossier stays as it was. A command that stored a signature but is not
recorded after all (refused on a retry after a concurrency conflict) puts the file back to
the version the log recorded (:meth:`SignStage.abandon`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from approvals import event_payloads as ev
from approvals.dossier import DocumentRef, DossierState
from approvals.errors import ActionNotAllowed, DomainError
from approvals.events import PendingEvent
from approvals.flows.definition import FlowDefinition
from approvals.identity import Person
from approvals.ports import DocumentStore
from approvals.signatures import (
    DocumentRenderer,
    SignatureState,
    SignatureVerifier,
    SignedDocument,
    SigningRequest,
    SigningService,
    SigningStatus,
    VerificationReport,
    provider_title,
    sha256_hex,
)

SIGNED_SUFFIX = " - ondertekend.pdf"
"""The signed PDF's name: the decision document's, with this instead of its extension."""
NO_DOCUMENT_NAME = "besluit"
_REMEMBERED = 256  # signatures kept for a retry of their command
_LOOK_BACK = 8  # versions looked at either side to put back the one recorded


def decision_document(state: DossierState) -> DocumentRef | None:
    """The dossier's decision document: its latest Word document (.docx)."""
    for document in reversed(state.documents):
        if document.name.lower().endswith(".docx"):
            return document
    return None


def signed_name(source: DocumentRef | None) -> str:
    stem = source.name[: -len(".docx")] if source is not None else NO_DOCUMENT_NAME
    return stem + SIGNED_SUFFIX


def render_fields(state: DossierState) -> dict[str, str]:
    """What a ``{{field}}`` in the decision document is filled in with."""
    fields = {name: _text(value) for name, value in state.fields.items()}
    fields.update(titel=state.title, dossier=state.id)
    if state.decision is not None:
        fields["besluit"] = state.decision.text
    return fields


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("upn") or "")
    return "" if value is None else str(value)


CHOICES = {"embedded": "pades", "validsign": "validsign"}
"""The provider a flow's sign stage names (``provider: validsign``), by its name in events."""


@dataclass
class SignStage:
    """The ports a signature needs; the service layer calls :meth:`signatures_for`.

    ``service`` is the tenant's provider; ``others`` those a flow's sign stage may name
    instead (``provider: validsign``)."""

    service: SigningService
    renderer: DocumentRenderer
    documents: DocumentStore
    verifier: SignatureVerifier | None = None
    others: tuple[SigningService, ...] = ()
    # a command retried after a concurrency conflict signs once: by command id and what it
    # signs (the earlier signature's PDF hash, or the decision document's name and hash)
    _done: dict[tuple[str, str], list[ev.Payload]] = field(default_factory=dict)
    # what each command stored, until it is recorded or abandoned:
    # (dossier, name, sha256, version)
    _stored: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    # a check by (current hash, recorded hash): the same content checks out the same
    _checked: OrderedDict[tuple[str, str], str] = field(default_factory=OrderedDict)

    @property
    def providers(self) -> tuple[SigningService, ...]:
        return (self.service, *self.others)

    def provider(self, name: str) -> SigningService | None:
        """The provider that events name ``name`` ("validsign", "pades")."""
        return next((p for p in self.providers if p.provider == name), None)

    def for_stage(self, flow: FlowDefinition | None, stage_id: str) -> SigningService:
        """The provider the flow's sign stage names, else the tenant's (refused when the
        one it names is not set up)."""
        choice = flow.stage(stage_id).provider if flow is not None else None
        if choice is None:
            return self.service
        found = self.provider(CHOICES.get(choice, choice))
        if found is None:
            raise ActionNotAllowed(refusal="signing_provider_missing",
                                   provider=provider_title(CHOICES.get(choice, choice)))
        return found

    async def signatures_for(self, state: DossierState, pending: Sequence[PendingEvent],
                             actor: Person, command_id: str,
                             flow: FlowDefinition | None = None) -> list[PendingEvent]:
        """``pending`` with a DocumentSigned after each Signed (raises the DomainError that
        refuses the action). When the provider asks the signer itself (ValidSign), the
        Signed and what follows it wait: ``pending`` up to the Signed, and a SigningSent.
        ``flow`` (the dossier's version) says which provider each sign stage uses."""
        out: list[PendingEvent] = []
        for item in pending:
            if not isinstance(item.payload, ev.Signed):
                out.append(item)
                continue
            recorded = await self._sign(state, item.payload, actor, command_id, flow)
            if isinstance(recorded[-1], ev.DocumentSigned):
                out.append(item)
                out.extend(PendingEvent(p, item.on_behalf_of) for p in recorded)
                continue
            out.extend(PendingEvent(p, item.on_behalf_of) for p in recorded)
            return out  # the action itself is recorded when the provider says it is signed
        return out

    @staticmethod
    def _continued(state: DossierState, source: DocumentRef | None) -> ev.DocumentSigned | None:
        """The latest signature, when it is of this version of the decision document: the
        next signer signs the PDF it made."""
        earlier = state.signings[-1] if state.signings else None
        source_name = source.name if source is not None else ""
        source_sha = source.sha256 if source is not None else ""
        if earlier is not None and (earlier.source, earlier.source_sha256) == (source_name,
                                                                              source_sha):
            return earlier
        return None

    async def _source_pdf(self, state: DossierState, source: DocumentRef | None,
                          earlier: ev.DocumentSigned | None) -> bytes:
        """What this signer signs: the PDF the earlier signers signed (refused when it is
        not the one they signed), or the decision document rendered."""
        if earlier is not None:
            # by the version the log recorded, not the current file: a signer of the same
            # stage may have stored a PDF since that is not recorded (yet, or ever)
            pdf = await self.documents.get_version(state.id, earlier.name, earlier.version)
            if sha256_hex(pdf) != earlier.sha256:
                raise ActionNotAllowed(refusal="signed_document_changed", name=earlier.name)
            return pdf
        content = await self.documents.get(state.id, source.name) if source else b""
        return await self.renderer.render(source.name if source else NO_DOCUMENT_NAME,
                                          content, render_fields(state))

    async def _sign(self, state: DossierState, action: ev.Signed, actor: Person,
                    command_id: str, flow: FlowDefinition | None) -> list[ev.Payload]:
        """What this sign action records besides itself: a DocumentSigned (last), or, when
        the provider asks the signer itself, a SigningSent (after a SigningStopped when the
        package sent before has ended without a signature)."""
        source = decision_document(state)
        earlier = self._continued(state, source)
        # a retry of this command (after a concurrency conflict) that would sign the same
        # thing takes the signature it made and stored, rather than storing another one
        signs = earlier.sha256 if earlier is not None else \
            f"{source.name}:{source.sha256}" if source is not None else ""
        key = (command_id, signs)
        done = self._done.get(key)
        if done is not None:
            return done
        recorded: list[ev.Payload] = []
        sent = open_package(state, action)
        result: SignedDocument | None = None
        if sent is not None:
            earlier_service = self.provider(sent.provider)
            if earlier_service is None:
                raise ActionNotAllowed(refusal="signing_provider_missing",
                                       provider=provider_title(sent.provider))
            package = await earlier_service.status(sent.package)
            if package.status is SigningStatus.COMPLETED:
                result = await earlier_service.signed_document(sent.package)
            elif package.status in (SigningStatus.PREPARED, SigningStatus.SENT):
                raise ActionNotAllowed(refusal="signing_waiting", name=sent.name,
                                       provider=provider_title(sent.provider))
            else:  # it ended unsigned, and no callback said so yet: recorded, sent again
                recorded.append(ev.SigningStopped(
                    stage=sent.stage, round=sent.round, slot=sent.slot,
                    provider=sent.provider, package=sent.package, name=sent.name,
                    status=package.status.value, reason=package.reason))
        if result is None:
            service = self.for_stage(flow, action.stage)
            pdf = await self._source_pdf(state, source, earlier)
            name = earlier.name if earlier is not None else signed_name(source)
            request = SigningRequest(dossier_id=state.id, dossier_number=state.id, name=name,
                                     pdf=pdf, signers=(actor,), reason=state.title)
            package = await service.prepare(request)
            package = await service.send(package.id)
            if package.status in (SigningStatus.PREPARED, SigningStatus.SENT):
                recorded.append(ev.SigningSent(
                    stage=action.stage, round=action.round, slot=action.slot,
                    provider=service.provider, package=package.id, name=name,
                    source=source.name if source is not None else "",
                    source_sha256=source.sha256 if source is not None else "",
                    sha256_before=sha256_hex(pdf), signer=actor))
                return self._remember(key, recorded)
            if package.status is not SigningStatus.COMPLETED:
                raise ActionNotAllowed(refusal="signing_failed", name=request.name,
                                       reason=f"the provider says {package.status.value}")
            result = await service.signed_document(package.id)
        made_from = (sent.source, sent.source_sha256) if sent is not None else (
            (source.name, source.sha256) if source is not None else ("", ""))
        recorded.append(await self._store(state, action, command_id, made_from, earlier, result))
        return self._remember(key, recorded)

    async def _store(self, state: DossierState, action: ev.Signed, command_id: str,
                     made_from: tuple[str, str], earlier: ev.DocumentSigned | None,
                     result: SignedDocument) -> ev.DocumentSigned:
        """The signed PDF and the provider's evidence among the documents, as recorded
        (and what the command stored, to put back if it is not recorded after all)."""
        kept = self._stored.setdefault(command_id, [])
        if len(self._stored) > _REMEMBERED:
            self._stored.pop(next(iter(self._stored)))
        stored = await self.documents.put(state.id, result.name, result.pdf)
        kept.append((state.id, result.name, result.sha256_after, stored.version))
        evidence = await self.documents.put(state.id, result.evidence_name, result.evidence)
        kept.append((state.id, result.evidence_name, result.evidence_sha256, evidence.version))
        signers = (*(earlier.signers if earlier is not None else ()), *result.signers)
        return ev.DocumentSigned(
            stage=action.stage, round=action.round, slot=action.slot,
            source=made_from[0], source_sha256=made_from[1], name=result.name, uri=stored.uri,
            version=stored.version, size=stored.size,
            sha256_before=result.sha256_before, sha256=result.sha256_after, signers=signers,
            signed_at=result.signed_at, provider=result.provider, level=result.level,
            evidence=result.evidence_name, evidence_sha256=result.evidence_sha256)

    def _remember(self, key: tuple[str, str], recorded: list[ev.Payload]) -> list[ev.Payload]:
        if len(self._done) >= _REMEMBERED:
            self._done.pop(next(iter(self._done)))
        self._done[key] = recorded
        return recorded

    async def checks(self, state: DossierState) -> dict[str, str]:
        """Each signed PDF's check as it is now (name -> a :class:`SignatureState` value or
        "missing"), for a card: the current files' hashes from the document list, each
        content verified once (what a card refresh asks again costs no verification)."""
        if self.verifier is None or not state.signings:
            return {}
        current = {d.name: d.sha256 for d in await self.documents.list(state.id)}
        latest = {signed.name: signed for signed in state.signings}
        found: dict[str, str] = {}
        for name, recorded in latest.items():
            sha = current.get(name)
            if sha is None:
                found[name] = MISSING
                continue
            key = (sha, recorded.sha256)
            verdict = self._checked.get(key)
            if verdict is None:
                (checked,) = await signed_states(
                    _only(state, recorded), self.documents, self.verifier)
                verdict = checked.state
                if verdict != MISSING and len(self._checked) >= _REMEMBERED:
                    self._checked.popitem(last=False)
                if verdict != MISSING:
                    self._checked[key] = verdict
            else:
                self._checked.move_to_end(key)
            found[name] = verdict
        return found

    def recorded(self, command_id: str) -> None:
        """The command's events are recorded: what it stored is the dossier's."""
        self._stored.pop(command_id, None)

    async def abandon(self, command_id: str, state: DossierState) -> None:
        """The command ends without being recorded (refused on a later attempt, after a
        concurrency conflict): a signed PDF or evidence it stored that is still the current
        file is put back to what ``state`` recorded for that name, so the file behind the
        dossier's link is the one its log vouches for. Whatever someone stored since is
        left alone; so is a name the log does not know (nothing links to it)."""
        for key in [key for key in self._done if key[0] == command_id]:
            del self._done[key]
        for dossier_id, name, sha, version in reversed(self._stored.pop(command_id, [])):
            recorded = _recorded(state, name)
            if dossier_id != state.id or recorded is None or recorded[0] == sha:
                continue
            try:
                if sha256_hex(await self.documents.get(dossier_id, name)) != sha:
                    continue  # stored over since: not this command's to put back
                content = await self._recorded_content(dossier_id, name, version, *recorded)
                if content is not None:
                    await self.documents.put(dossier_id, name, content)
            except DomainError:
                continue

    async def _recorded_content(self, dossier_id: str, name: str, ours: str, sha: str,
                                version: str) -> bytes | None:
        """The recorded content of ``name``: by its recorded version, else the version
        nearest to ``ours`` (the one this command stored) that has hash ``sha``."""
        numbers = [version] if version else []
        if ours.isdigit():
            mine = int(ours)
            numbers += [str(mine + step * side) for step in range(1, _LOOK_BACK)
                        for side in (-1, 1) if mine + step * side > 0]
        for number in numbers:
            try:
                content = await self.documents.get_version(dossier_id, name, number)
            except DomainError:
                continue
            if sha256_hex(content) == sha:
                return content
        return None

def open_package(state: DossierState, action: ev.StageAction) -> ev.SigningSent | None:
    """The package a signing service is asking this task's signer to sign now."""
    for sent in state.signing_open.values():
        if (sent.stage, sent.round, sent.slot) == (action.stage, action.round, action.slot):
            return sent
    return None


def _only(state: DossierState, signed: ev.DocumentSigned) -> DossierState:
    """``state`` with only this signature (to check one signed PDF)."""
    return replace(state, signings=(signed,))


def _recorded(state: DossierState, name: str) -> tuple[str, str] | None:
    """The hash and version ("" when not recorded: the evidence's) the latest signature
    recorded for ``name``, its signed PDF or its evidence."""
    for signed in reversed(state.signings):
        if signed.name == name:
            return signed.sha256, signed.version
        if signed.evidence == name:
            return signed.evidence_sha256, ""
    return None


@dataclass(frozen=True, slots=True)
class SignedState:
    """A signed PDF of the dossier as read now: ``state`` is a :class:`SignatureState`
    value, or "missing" when the document is gone; "changed" too when it is not the PDF the
    log recorded (its hash differs), however valid its signatures are."""

    name: str
    state: str
    level: str
    signers: tuple[Person, ...]
    recorded: ev.DocumentSigned
    report: VerificationReport | None = None


MISSING = "missing"


async def signed_states(state: DossierState, documents: DocumentStore,
                        verifier: SignatureVerifier) -> list[SignedState]:
    """Every signed PDF of the dossier (its latest signature), checked as it is now."""
    latest: dict[str, ev.DocumentSigned] = {}
    for signed in state.signings:
        latest[signed.name] = signed
    found = []
    for name, recorded in latest.items():
        try:
            pdf = await documents.get(state.id, name)
        except DomainError:
            found.append(SignedState(name, MISSING, "", recorded.signers, recorded))
            continue
        report = await verifier.verify(pdf)
        verdict = report.state
        if sha256_hex(pdf) != recorded.sha256 and verdict is not SignatureState.UNSIGNED:
            verdict = SignatureState.CHANGED
        levels = {check.level for check in report.signatures}
        level = levels.pop() if len(levels) == 1 and verdict is SignatureState.VALID else ""
        found.append(SignedState(name, verdict.value, level, recorded.signers, recorded,
                                 report))
    return found
