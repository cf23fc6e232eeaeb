"""The decision register in the ZGW shape: a decided dossier as the Besluiten and Documenten
APIs of "Zaakgericht werken" (VNG) take it.

A decision becomes three objects: the ``enkelvoudiginformatieobject`` (the decision's PDF,
with its ``ondertekening`` and ``integriteit``) in the Documenten API, the ``besluit`` in the
Besluiten API, and the ``besluitinformatieobject`` that links them. :func:`to_zgw` makes the
first two as the APIs' create requests take them, and checks, before anything is sent, what
a register would refuse or should never get: the RSIN (the elfproef) and dates after today.
The link is made by :meth:`ZgwDecision.link` once both have their URL. Standard library only.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from approvals.dossier import DossierState
from approvals.errors import ActionNotAllowed
from approvals.signatures import DecisionRecord

IDENTIFICATIE_LIMIT = 40
"""The Documenten API's limit on ``identificatie`` (the Besluiten API's is 50)."""
TITLE_LIMIT = 200
AUTHOR_LIMIT = 200
PDF = "application/pdf"
LANGUAGE = "nld"  # ISO 639-2/B
SIGNATURE_KIND = "pki"  # a PAdES signature: digital, with a certificate (SoortEnum)
HASH_ALGORITHM = "sha_256"  # AlgoritmeEnum


class ZgwRefused(ActionNotAllowed):
    """A decision the register cannot take as it is: nothing is sent."""


@dataclass(frozen=True, slots=True)
class ZgwOrganisation:
    """Who registers (the municipality's RSIN) and in which types of its catalogue (the
    Catalogi API's URLs of the besluittype and of the informatieobjecttype)."""

    rsin: str  # checked when a decision is made ready (:func:`to_zgw`) and at start
    besluittype: str
    informatieobjecttype: str


def elfproef(number: str) -> bool:
    """Whether nine digits pass the elfproef of the RSIN and the BSN: the digits weighted
    9, 8, ..., 2 and the last -1 add up to a multiple of 11 (and not to 0)."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(number, weights, strict=True))
    return total % 11 == 0 and number != "000000000"


def check_rsin(rsin: str) -> str:
    """The RSIN, or :class:`ZgwRefused` saying what is wrong with it."""
    if len(rsin) != 9 or not rsin.isascii() or not rsin.isdigit():
        raise ZgwRefused(refusal="zgw_rsin_not_nine_digits", rsin=rsin)
    if not elfproef(rsin):
        raise ZgwRefused(refusal="zgw_rsin_elfproef", rsin=rsin)
    return rsin


def _not_after_today(dossier: str, field: str, day: str, today: date) -> str:
    if date.fromisoformat(day) > today:
        raise ZgwRefused(refusal="zgw_date_in_future", dossier=dossier, field=field, date=day,
                         today=today.isoformat())
    return day


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class ZgwDecision:
    """A decision as the ZGW APIs take it: ``besluit`` (for ``POST /besluiten``) and
    ``informatieobject`` (for ``POST /enkelvoudiginformatieobjecten``), both identified by
    ``identificatie`` within the organisation ``rsin``."""

    dossier_id: str
    identificatie: str
    rsin: str
    besluit: Mapping[str, Any]
    informatieobject: Mapping[str, Any]

    @staticmethod
    def link(besluit_url: str, informatieobject_url: str) -> dict[str, str]:
        """The ``besluitinformatieobject`` (for ``POST /besluitinformatieobjecten``)."""
        return {"besluit": besluit_url, "informatieobject": informatieobject_url}


def to_zgw(decision: DecisionRecord, organisation: ZgwOrganisation, today: date) -> ZgwDecision:
    """The decision as a ``besluit`` and its ``enkelvoudiginformatieobject``; refused
    (:class:`ZgwRefused`) with what to fix when the RSIN fails the elfproef, a date lies
    after ``today`` or the dossier number is too long to identify it."""
    rsin = check_rsin(organisation.rsin)
    dossier = decision.dossier_id
    if len(decision.identificatie) > IDENTIFICATIE_LIMIT:
        raise ZgwRefused(refusal="zgw_identificatie_too_long", dossier=decision.identificatie,
                         length=len(decision.identificatie), limit=IDENTIFICATIE_LIMIT)
    datum = _not_after_today(dossier, "datum", decision.decided_on, today)
    # A decision may take effect later, or earlier (terugwerkende kracht): the API asks only
    # for a date; the day it was decided when the dossier names none.
    ingangsdatum = decision.effective_on or datum
    besluit: dict[str, Any] = {
        "identificatie": decision.identificatie,
        "verantwoordelijkeOrganisatie": rsin,
        "besluittype": organisation.besluittype,
        "datum": datum,
        "ingangsdatum": ingangsdatum,
        "toelichting": decision.text,
    }
    document: dict[str, Any] = {
        "identificatie": decision.identificatie,
        "bronorganisatie": rsin,
        "creatiedatum": datum,
        "titel": _cut(decision.title or decision.document_name, TITLE_LIMIT),
        "auteur": _cut(decision.decided_by.name or decision.decided_by.upn, AUTHOR_LIMIT),
        "status": "definitief",
        "formaat": PDF,
        "taal": LANGUAGE,
        "bestandsnaam": decision.document_name,
        "bestandsomvang": len(decision.document),
        "inhoud": base64.b64encode(decision.document).decode("ascii"),
        "informatieobjecttype": organisation.informatieobjecttype,
        "indicatieGebruiksrecht": False,
        "integriteit": {"algoritme": HASH_ALGORITHM, "waarde": decision.document_sha256,
                        "datum": decision.signed_on or datum},
    }
    if decision.signed_on:
        signed_on = _not_after_today(dossier, "ondertekening.datum", decision.signed_on, today)
        document["ondertekening"] = {"soort": SIGNATURE_KIND, "datum": signed_on}
    return ZgwDecision(dossier, decision.identificatie, rsin, besluit, document)


def local_day(instant: str, zone: tzinfo) -> str:
    """The ISO day of an ISO 8601 instant in ``zone`` (a decision at 23:30 UTC in winter is
    taken the next day in the Netherlands)."""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return moment.astimezone(zone).date().isoformat()


def decision_record(state: DossierState, document_name: str, document: bytes,
                    zone: tzinfo) -> DecisionRecord:
    """The register's record of a decided dossier, with its PDF ``document`` (the signed one
    when the dossier was signed). :class:`ZgwRefused` when the dossier has no decision."""
    decision = state.decision
    if decision is None:
        raise ZgwRefused(refusal="zgw_not_decided", dossier=state.id)
    last = state.signings[-1] if state.signings else None
    return DecisionRecord(
        dossier_id=state.id, identificatie=state.id, title=state.title, text=decision.text,
        decided_on=local_day(decision.at, zone), decided_by=decision.on_behalf_of or decision.by,
        document_name=document_name, document=document,
        signers=last.signers if last else (),
        signed_on=local_day(last.signed_at, zone) if last else "")
