"""The ValidSign adapter against its stand-in: the rules of ValidSign's API that the signing
contract does not show (tests/contract/test_signing_service.py runs the contract)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from approvals.errors import ActionNotAllowed
from approvals.signatures import SigningRequest, SigningStatus
from signing.render import text_pdf
from signing.validsign import DEFAULT_ANCHOR, ValidSignSettings, ValidSignSigning
from tests.support.signing_kit import MAYOR, SECRETARY
from tests.support.validsign import ValidSignStandIn, running_validsign


@pytest.fixture
async def validsign() -> AsyncIterator[ValidSignStandIn]:
    async with running_validsign() as stand_in:
        yield stand_in


def _service(stand_in: ValidSignStandIn, **change: str) -> ValidSignSigning:
    settings = {"url": stand_in.url, "api_key": stand_in.api_key,
                "callback_key": stand_in.callback_key, **change}
    return ValidSignSigning(ValidSignSettings(**settings))


def _request(pdf: bytes | None = None) -> SigningRequest:
    return SigningRequest(
        dossier_id="D-1", dossier_number="D-1", name="besluit.pdf",
        pdf=pdf if pdf is not None else text_pdf(["Besluit", DEFAULT_ANCHOR]),
        signers=(MAYOR, SECRETARY), reason="Subsidie")


async def test_a_wrong_api_key_is_refused_with_401(validsign: ValidSignStandIn) -> None:
    service = _service(validsign, api_key="wrong")
    try:
        with pytest.raises(ActionNotAllowed, match="refused the API key"):
            await service.prepare(_request())
    finally:
        await service.close()
    assert not validsign.packages


async def test_an_anchor_not_in_the_document_is_a_400_and_nothing_is_made(
        validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    try:
        with pytest.raises(ActionNotAllowed, match="was not found in the document"):
            await service.prepare(_request(text_pdf(["Besluit zonder plaats voor handtekening"])))
    finally:
        await service.close()
    assert not validsign.packages


async def test_documents_are_read_only_once_sent(validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    try:
        package = await service.prepare(_request())
        headers = {"Authorization": f"Basic {validsign.api_key}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            url = f"{validsign.url}/api/packages/{package.id}"
            async with http.post(f"{url}/documents", data=b"%PDF-1.7") as response:
                assert response.status == 200  # a draft takes another document
            assert (await service.send(package.id)).status is SigningStatus.SENT
            async with http.post(f"{url}/documents", data=b"%PDF-1.7") as response:
                assert response.status == 400
            async with http.put(url, json={"name": "changed"}) as response:
                assert response.status == 400
            async with http.put(url, json={"status": "COMPLETED"}) as response:
                assert response.status == 400  # only its signers complete it
        assert (await service.send(package.id)).status is SigningStatus.SENT  # sent stays sent
    finally:
        await service.close()


async def test_the_package_says_who_signs_in_which_order_and_for_which_dossier(
        validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    try:
        package = await service.prepare(_request())
        stored = validsign.packages[package.id].payload
        assert [(r["index"], r["signers"][0]["email"]) for r in stored["roles"]] == [
            (1, MAYOR.upn), (2, SECRETARY.upn)]
        anchors = [f["extractAnchor"]["text"] for a in stored["documents"][0]["approvals"]
                   for f in a["fields"]]
        assert anchors == [DEFAULT_ANCHOR, DEFAULT_ANCHOR]
        assert (await service.status(package.id)).dossier_id == "D-1"
    finally:
        await service.close()


@pytest.mark.parametrize(("stop", "status", "reason"), [
    ("decline", SigningStatus.DECLINED, "Niet akkoord"),
    ("opt_out", SigningStatus.DECLINED, "Ik teken op papier"),
    ("expire", SigningStatus.EXPIRED, ""),
])
async def test_a_stopped_package_says_why(validsign: ValidSignStandIn, stop: str,
                                          status: SigningStatus, reason: str) -> None:
    service = _service(validsign)
    try:
        package = await service.prepare(_request())
        await service.send(package.id)
        if stop == "expire":
            await validsign.expire(package.id)
        else:
            await getattr(validsign, stop)(package.id, reason)
        found = await service.status(package.id)
        assert (found.status, found.reason) == (status, reason)
        with pytest.raises(ActionNotAllowed):
            await service.signed_document(package.id)
    finally:
        await service.close()


async def test_reads_are_retried_when_validsign_has_a_moment(
        validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    try:
        package = await service.prepare(_request())
        validsign.unavailable = 2
        assert (await service.status(package.id)).status is SigningStatus.PREPARED
        validsign.unavailable = 10
        with pytest.raises(ActionNotAllowed, match="not reachable"):
            await service.status(package.id)
    finally:
        await service.close()


async def test_a_package_is_made_once_even_when_validsign_fails(
        validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    validsign.unavailable = 1
    try:
        with pytest.raises(ActionNotAllowed, match="not reachable"):
            await service.prepare(_request())
    finally:
        await service.close()
    assert [c for c in validsign.calls if c == ("POST", "/api/packages")] == [
        ("POST", "/api/packages")]


@pytest.mark.parametrize("authorization", [None, "Basic wrong", "Bearer stand-in-callback-key",
                                           "stand-in-callback-key"])
async def test_a_callback_without_the_callback_key_is_not_genuine(
        validsign: ValidSignStandIn, authorization: str | None) -> None:
    service = _service(validsign)
    body = json.dumps({"name": "PACKAGE_COMPLETE", "packageId": "p-1"}).encode()
    headers = {"Authorization": authorization} if authorization is not None else {}
    assert await service.callback(body, headers) is None


async def test_a_genuine_callback_names_its_package(validsign: ValidSignStandIn) -> None:
    service = _service(validsign)
    headers = {"authorization": f"Basic {validsign.callback_key}"}
    notice = await service.callback(json.dumps(
        {"name": "PACKAGE_DECLINE", "packageId": "p-1", "createdDate": "t"}).encode(), headers)
    assert notice is not None
    assert (notice.package_id, notice.status) == ("p-1", SigningStatus.DECLINED)
    assert await service.callback(b"not json", headers) is None
    assert await service.callback(b'{"name": "PACKAGE_COMPLETE"}', headers) is None
    assert await _service(validsign, callback_key="").callback(
        b'{"packageId": "p-1"}', {"Authorization": "Basic "}) is None


async def test_the_stand_in_keeps_a_recalled_package_from_its_signers() -> None:
    """ValidSign's rule: a sent package taken back to DRAFT cannot be signed any more; an
    ended one cannot be taken back."""
    async with running_validsign() as stand_in:
        service = ValidSignSigning(ValidSignSettings(stand_in.url, stand_in.api_key,
                                                     stand_in.callback_key))
        try:
            ids = []
            for _ in range(2):
                package = await service.prepare(SigningRequest(
                    dossier_id="D-1", dossier_number="D-1", name="besluit.pdf",
                    pdf=text_pdf(["Besluit", DEFAULT_ANCHOR]), signers=(MAYOR,)))
                await service.send(package.id)
                ids.append(package.id)
            recalled, completed = ids
            await stand_in.sign(completed)
            assert await service.recall(recalled) is True
            assert stand_in.packages[recalled].status == "DRAFT"
            assert "changed to draft by the sender" in stand_in.packages[recalled].trail[-1]
            with pytest.raises(AssertionError, match="is DRAFT"):
                await stand_in.sign(recalled)
            assert await service.recall(completed) is False
            assert stand_in.packages[completed].status == "COMPLETED"
        finally:
            await service.close()
