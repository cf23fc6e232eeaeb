"""A decided dossier in the ZGW shape: a ``besluit``, its ``enkelvoudiginformatieobject`` and
the link between them, each valid against the official specs; the RSIN checked with the
elfproef and dates after today refused with what to fix."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, timedelta, timezone

import pytest

from approvals import event_payloads as ev
from approvals.dossier import Decision, DossierState
from approvals.errors import REFUSALS
from approvals.identity import Person
from approvals.signatures import DecisionRecord, sha256_hex
from approvals.zgw import (
    ZgwOrganisation,
    ZgwRefused,
    check_rsin,
    decision_record,
    elfproef,
    local_day,
    to_zgw,
)
from cards.strings.nl import NL
from tests.support.zgw.spec import validate_request_body

RSIN = "002220647"  # passes the elfproef
ORG = ZgwOrganisation(RSIN, "https://catalogi.example/api/v1/besluittypen/b1",
                      "https://catalogi.example/api/v1/informatieobjecttypen/i1")
TODAY = date(2026, 12, 3)
WILLEM = Person("oid-w", "w.vandenberg@voorbeeldstad.nl", "Willem van den Berg")
PDF = b"%PDF-1.7\n% a decision\n"


def record(**changes: object) -> DecisionRecord:
    values: dict[str, object] = dict(
        dossier_id="DOS-7", identificatie="DOS-7", title="Subsidie buurthuis",
        text="Het college kent de subsidie toe.", decided_on="2026-12-01", decided_by=WILLEM,
        document_name="besluit.pdf", document=PDF, signers=(WILLEM,), signed_on="2026-12-02")
    values.update(changes)
    return DecisionRecord(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("number", ["002220647", "111222333", "123456782"])
def test_numbers_that_pass_the_elfproef(number: str) -> None:
    assert elfproef(number)
    assert check_rsin(number) == number


@pytest.mark.parametrize("number", ["002220648", "123456789", "000000000", "12345678",
                                    "1234567890", "12345678a", "１２３４５６７８２"])
def test_numbers_that_fail_it(number: str) -> None:
    assert not elfproef(number)


def test_an_rsin_of_other_than_nine_digits_is_refused_saying_so() -> None:
    with pytest.raises(ZgwRefused) as caught:
        check_rsin("12345")
    assert caught.value.refusal == "zgw_rsin_not_nine_digits"
    assert "'12345'" in caught.value.message and "9 digits" in caught.value.message


def test_an_rsin_that_fails_the_elfproef_is_refused_saying_so() -> None:
    with pytest.raises(ZgwRefused) as caught:
        to_zgw(record(), ZgwOrganisation("123456789", ORG.besluittype,
                                         ORG.informatieobjecttype), TODAY)
    assert caught.value.refusal == "zgw_rsin_elfproef"
    assert "elfproef" in caught.value.message and "PARAAF_ZGW_RSIN" in caught.value.message


def test_the_besluit_says_who_decided_what_and_when() -> None:
    zgw = to_zgw(record(), ORG, TODAY)
    assert zgw.besluit == {
        "identificatie": "DOS-7", "verantwoordelijkeOrganisatie": RSIN,
        "besluittype": ORG.besluittype, "datum": "2026-12-01", "ingangsdatum": "2026-12-01",
        "toelichting": "Het college kent de subsidie toe."}


def test_the_document_carries_its_content_signature_and_integrity() -> None:
    doc = to_zgw(record(), ORG, TODAY).informatieobject
    assert doc["bronorganisatie"] == RSIN and doc["taal"] == "nld"
    assert doc["formaat"] == "application/pdf" and doc["bestandsnaam"] == "besluit.pdf"
    assert base64.b64decode(doc["inhoud"]) == PDF and doc["bestandsomvang"] == len(PDF)
    assert doc["auteur"] == "Willem van den Berg" and doc["titel"] == "Subsidie buurthuis"
    assert doc["ondertekening"] == {"soort": "pki", "datum": "2026-12-02"}
    assert doc["integriteit"] == {"algoritme": "sha_256", "waarde": sha256_hex(PDF),
                                  "datum": "2026-12-02"}
    assert doc["informatieobjecttype"] == ORG.informatieobjecttype


def test_an_unsigned_decision_has_no_ondertekening() -> None:
    doc = to_zgw(record(signed_on="", signers=()), ORG, TODAY).informatieobject
    assert "ondertekening" not in doc
    assert doc["integriteit"]["datum"] == "2026-12-01"


def test_a_later_ingangsdatum_is_kept() -> None:
    assert to_zgw(record(effective_on="2027-01-01"), ORG, TODAY).besluit["ingangsdatum"] == \
        "2027-01-01"


def test_a_long_title_is_cut_to_the_apis_limit() -> None:
    doc = to_zgw(record(title="x" * 300), ORG, TODAY).informatieobject
    assert len(doc["titel"]) == 200 and doc["titel"].endswith("…")


@pytest.mark.parametrize(("changes", "field"), [
    ({"decided_on": "2026-12-04"}, "datum"),
    ({"signed_on": "2026-12-04"}, "ondertekening.datum"),
])
def test_a_date_after_today_is_refused_naming_it(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ZgwRefused) as caught:
        to_zgw(record(**changes), ORG, TODAY)
    assert caught.value.refusal == "zgw_date_in_future"
    assert caught.value.params["field"] == field
    assert "2026-12-04" in caught.value.message and "2026-12-03" in caught.value.message


def test_a_decision_of_today_is_taken() -> None:
    assert to_zgw(record(decided_on="2026-12-03", signed_on="2026-12-03"), ORG, TODAY)


def test_a_dossier_number_too_long_to_identify_it_is_refused() -> None:
    with pytest.raises(ZgwRefused) as caught:
        to_zgw(record(identificatie="D" * 41), ORG, TODAY)
    assert caught.value.refusal == "zgw_identificatie_too_long"


def test_every_object_validates_against_the_official_specs() -> None:
    zgw = to_zgw(record(), ORG, TODAY)
    validate_request_body("/besluiten/api/v1/besluiten", json.dumps(zgw.besluit).encode())
    validate_request_body("/documenten/api/v1/enkelvoudiginformatieobjecten",
                          json.dumps(zgw.informatieobject).encode())
    link = zgw.link("https://zgw.example/besluiten/api/v1/besluiten/1",
                    "https://zgw.example/documenten/api/v1/enkelvoudiginformatieobjecten/2")
    validate_request_body("/besluiten/api/v1/besluitinformatieobjecten",
                          json.dumps(link).encode())


def test_the_spec_check_is_real_a_short_rsin_fails_it() -> None:
    besluit = dict(to_zgw(record(), ORG, TODAY).besluit, verantwoordelijkeOrganisatie="12")
    with pytest.raises(Exception, match="too short"):
        validate_request_body("/besluiten/api/v1/besluiten", json.dumps(besluit).encode())


def test_the_day_is_the_municipalitys() -> None:
    amsterdam_winter = timezone(timedelta(hours=1))
    assert local_day("2026-12-01T23:30:00Z", amsterdam_winter) == "2026-12-02"
    assert local_day("2026-12-01T23:30:00+00:00", UTC) == "2026-12-01"


def test_refusals_have_dutch_words() -> None:
    codes = {c for c in REFUSALS if c.startswith("zgw_")}
    assert len(codes) == 6
    assert codes <= set(NL.refusals)


def _state(**changes: object) -> DossierState:
    values: dict[str, object] = dict(
        id="DOS-7", flow_id="subsidie", flow_version=1, title="Subsidie buurthuis", fields={},
        initiator=WILLEM, created_at="2026-11-30T08:00:00Z", updated_at="2026-12-01T23:30:00Z")
    values.update(changes)
    return DossierState(**values)  # type: ignore[arg-type]


def _signed(at: str) -> ev.DocumentSigned:
    return ev.DocumentSigned(
        stage="ondertekenen", round=1, slot="oid-w", source="", source_sha256="",
        name="besluit.pdf", uri="u", version="1", size=len(PDF), sha256_before="",
        sha256=sha256_hex(PDF), signers=(WILLEM,), signed_at=at, provider="pades",
        level="PAdES-B-LTA", evidence="", evidence_sha256="")


def test_a_dossier_without_a_decision_has_nothing_to_register() -> None:
    with pytest.raises(ZgwRefused) as caught:
        decision_record(_state(), "besluit.pdf", PDF, UTC)
    assert caught.value.refusal == "zgw_not_decided"


def test_a_decided_and_signed_dossier_becomes_its_record() -> None:
    decision = Decision("besluit", "Toegekend.", WILLEM, None, "2026-12-01T23:30:00Z")
    state = _state(decision=decision, signings=(_signed("2026-12-02T09:00:00Z"),))
    got = decision_record(state, "besluit.pdf", PDF, timezone(timedelta(hours=1)))
    assert (got.identificatie, got.text, got.decided_on, got.signed_on) == (
        "DOS-7", "Toegekend.", "2026-12-02", "2026-12-02")
    assert got.decided_by == WILLEM and tuple(got.signers) == (WILLEM,)
    assert got.document_sha256 == sha256_hex(PDF)
