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


@dataclass
class SignStage:
    """The ports a signature needs; the service layer calls :meth:`signatures_for`."""

    service: SigningService
    renderer: DocumentRenderer
    documents: DocumentStore
    verifier: SignatureVerifier | None = None
    # a command retried after a concurrency conflict signs once: by command id and what it
    # signs (the earlier signature's PDF hash, or the decision document's name and hash)
    _done: dict[tuple[str, str], ev.DocumentSigned] = field(default_factory=dict)
    # what each command stored, until it is recorded or abandoned:
    # (dossier, name, sha256, version)
    _stored: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    # a check by (current hash, recorded hash): the same content checks out the same
    _checked: OrderedDict[tuple[str, str], str] = field(default_factory=OrderedDict)

    async def signatures_for(self, state: DossierState, pending: Sequence[PendingEvent],
                             actor: Person, command_id: str) -> list[PendingEvent]:
        """``pending`` with a DocumentSigned after each Signed (raises the DomainError that
        refuses the action)."""
        out: list[PendingEvent] = []
        for item in pending:
            out.append(item)
            if isinstance(item.payload, ev.Signed):
                signed = await self._sign(state, item.payload, actor, command_id)
                out.append(PendingEvent(signed, item.on_behalf_of))
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
                    command_id: str) -> ev.DocumentSigned:
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
        pdf = await self._source_pdf(state, source, earlier)
        name = earlier.name if earlier is not None else signed_name(source)
        result = await self._provider_signs(SigningRequest(
            dossier_id=state.id, dossier_number=state.id, name=name, pdf=pdf,
            signers=(actor,), reason=state.title))
        kept = self._stored.setdefault(command_id, [])
        if len(self._stored) > _REMEMBERED:
            self._stored.pop(next(iter(self._stored)))
        stored = await self.documents.put(state.id, result.name, result.pdf)
        kept.append((state.id, result.name, result.sha256_after, stored.version))
        evidence = await self.documents.put(state.id, result.evidence_name, result.evidence)
        kept.append((state.id, result.evidence_name, result.evidence_sha256, evidence.version))
        signers = (*(earlier.signers if earlier is not None else ()), *result.signers)
        signed = ev.DocumentSigned(
            stage=action.stage, round=action.round, slot=action.slot,
            source=source.name if source is not None else "",
            source_sha256=source.sha256 if source is not None else "",
            name=result.name, uri=stored.uri, version=stored.version, size=stored.size,
            sha256_before=result.sha256_before, sha256=result.sha256_after, signers=signers,
            signed_at=result.signed_at, provider=result.provider, level=result.level,
            evidence=result.evidence_name, evidence_sha256=result.evidence_sha256)
        if len(self._done) >= _REMEMBERED:
            self._done.pop(next(iter(self._done)))
        self._done[key] = signed
        return signed

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

    async def _provider_signs(self, request: SigningRequest) -> SignedDocument:
        package = await self.service.prepare(request)
        package = await self.service.send(package.id)
        if package.status is not SigningStatus.COMPLETED:
            raise ActionNotAllowed(refusal="signing_failed", name=request.name,
                                   reason=f"the provider says {package.status.value}")
        return await self.service.signed_document(package.id)


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
