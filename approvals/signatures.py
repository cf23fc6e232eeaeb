"""Ondertekenen: the ports for signing a decision, checking its signatures, rendering it and
registering it, and the values they exchange.

The domain knows what was signed (the document's hash before and after, who signed, when,
by which provider, and the hash of the provider's evidence) and records it as an event
(:class:`approvals.event_payloads.DocumentSigned`); how a PDF is rendered, signed and checked
is for the adapters (``signing/``: PAdES with pyHanko, LibreOffice). Standard library only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from approvals.errors import ActionNotAllowed
from approvals.identity import Person


def sha256_hex(content: bytes) -> str:
    """The SHA-256 hex digest of a document's bytes."""
    return hashlib.sha256(content).hexdigest()


PROVIDER_TITLES = {"validsign": "ValidSign", "pades": "PAdES"}


def provider_title(provider: str) -> str:
    """A signing provider as people know it ("ValidSign" for "validsign")."""
    return PROVIDER_TITLES.get(provider, provider)


class SigningStatus(StrEnum):
    """Where a signing package stands at its provider."""

    PREPARED = "prepared"  # the document and the signers are known; nobody is asked yet
    SENT = "sent"  # the signers are asked
    COMPLETED = "completed"  # everyone signed: the signed document can be fetched
    DECLINED = "declined"
    EXPIRED = "expired"


class SignatureState(StrEnum):
    """What every read of a signed document says about its signatures."""

    VALID = "valid"  # intact, by a trusted certificate
    CHANGED = "changed"  # the document was changed after it was signed
    UNTRUSTED = "untrusted"  # intact, but signed by a certificate that is not trusted
    UNSIGNED = "unsigned"  # no signature at all


@dataclass(frozen=True, slots=True)
class SigningRequest:
    """Sign ``pdf`` (rendered, or signed already by earlier signers) by ``signers``, in order.

    ``dossier_number`` is shown in each visible signature; ``name`` is the signed PDF's
    name among the dossier's documents.
    """

    dossier_id: str
    dossier_number: str
    name: str
    pdf: bytes
    signers: tuple[Person, ...]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SigningPackage:
    """A request as its provider knows it: ``dossier_id`` the dossier it signs for (when
    the provider keeps it), ``reason`` why it stopped (a declining signer's words)."""

    id: str
    status: SigningStatus
    provider: str
    dossier_id: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SignedDocument:
    """The result of a completed package: the signed PDF and the provider's evidence.

    ``level`` is the signature's archiving level as the provider made it ("PAdES-B-LTA").
    """

    name: str
    pdf: bytes
    sha256_before: str
    sha256_after: str
    signers: tuple[Person, ...]
    signed_at: str  # ISO 8601 UTC
    provider: str
    level: str
    evidence: bytes
    evidence_name: str

    @property
    def evidence_sha256(self) -> str:
        return sha256_hex(self.evidence)


@dataclass(frozen=True, slots=True)
class SigningCallback:
    """What a provider's callback says happened to a package."""

    package_id: str
    status: SigningStatus
    event_id: str  # the provider's id of this notice (a repeated callback repeats it)


class SigningService(Protocol):
    """A signing provider: the embedded PAdES signer, or a service such as ValidSign."""

    @property
    def provider(self) -> str:
        """The provider's name as the events record it ("pades", "validsign")."""
        ...

    async def prepare(self, request: SigningRequest) -> SigningPackage:
        """Hand over the document and the signers; nobody is asked yet."""
        ...

    async def send(self, package_id: str) -> SigningPackage:
        """Ask the signers (an embedded provider signs at once: the package is completed; a
        service such as ValidSign asks them itself: the package is sent, and its outcome
        comes later, by a callback or when its status is read)."""
        ...

    async def status(self, package_id: str) -> SigningPackage: ...

    async def signed_document(self, package_id: str) -> SignedDocument:
        """The signed PDF and its evidence (ActionNotAllowed while it is not completed)."""
        ...

    async def callback(self, body: bytes, headers: Mapping[str, str]) -> SigningCallback | None:
        """A provider's notice, authenticated (None: not for this provider, or not genuine)."""
        ...

    async def recall(self, package_id: str) -> bool:
        """Take back a package that is out, so that its signers can no longer sign it (the
        dossier no longer waits for it): True when it is withdrawn (now or before), False
        when it had already ended (completed, declined, expired) or was never sent. Saying
        it again changes nothing."""
        ...


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One signature in a document, as checked."""

    signer: str  # the certificate's holder, as the certificate names them
    signed_at: str  # ISO 8601 UTC, from the signature's timestamp ("" without one)
    state: SignatureState
    level: str  # "PAdES-B-LTA", "PAdES-B-T", ... ("" when it could not be determined)
    detail: str = ""  # why, in English, for logs


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """All signatures of a document; ``state`` sums them up, the worst one counting."""

    signatures: tuple[SignatureCheck, ...]

    @property
    def state(self) -> SignatureState:
        if not self.signatures:
            return SignatureState.UNSIGNED
        states = {check.state for check in self.signatures}
        for worst in (SignatureState.CHANGED, SignatureState.UNTRUSTED):
            if worst in states:
                return worst
        return SignatureState.VALID


class SignatureVerifier(Protocol):
    """Checks the signatures of a PDF without the provider that made them."""

    async def verify(self, pdf: bytes) -> VerificationReport: ...


class RenderFailed(ActionNotAllowed):
    """The decision document cannot be turned into a PDF: nothing is signed."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(refusal="document_not_renderable", name=name, reason=reason)


class DocumentRenderer(Protocol):
    """Turns the decision document into the PDF that is signed."""

    async def render(self, name: str, content: bytes, fields: Mapping[str, str]) -> bytes:
        """The PDF of document ``name`` (a .docx) with the dossier's ``fields`` filled in;
        empty ``content`` (a dossier without a decision document): the fields themselves.

        Raises :class:`RenderFailed` with the reason when it cannot be rendered."""
        ...


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A decision as a register keeps it: what was decided, when and by whom, and the
    decision's PDF (the signed one when the flow signs: ``signed_on`` is then the day of the
    last signature, else ""). ``identificatie`` is the dossier number; ``effective_on`` the
    day it takes effect ("" : the day it was decided). Dates are ISO days in the
    municipality's time zone."""

    dossier_id: str
    identificatie: str
    title: str
    text: str
    decided_on: str
    decided_by: Person
    document_name: str
    document: bytes
    signers: Sequence[Person] = ()
    signed_on: str = ""
    effective_on: str = ""

    @property
    def document_sha256(self) -> str:
        return sha256_hex(self.document)


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """Where the register keeps a decision: the besluit's ``url`` and its document's."""

    identificatie: str
    url: str
    document_url: str = ""


class DecisionRegistry(Protocol):
    """A decision register (a ZGW Besluiten API, for one)."""

    async def register(self, decision: DecisionRecord) -> RegistryEntry:
        """Register the decision, its document and the link between them; idempotent per
        ``identificatie`` (a second call finds what the first made and makes nothing more).

        Raises a refusal (:class:`approvals.errors.ActionNotAllowed`) for a decision the
        register cannot take, before anything is sent."""
        ...

    async def entry(self, identificatie: str) -> RegistryEntry | None:
        """The register's entry of the decision, None when it has none."""
        ...
