"""PAdES signatures made by the embedded provider, checked by pyHanko: intact, trusted and
B-LTA; one changed byte is reported as changed, a foreign root as untrusted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals.identity import Person
from approvals.signatures import SignatureState, SigningRequest, SigningStatus, sha256_hex
from signing.embedded import EmbeddedSigning, KeySettings
from signing.keys import DemoKeys, Pkcs12Keys
from signing.pades import LEVEL, STAMP_FONTS
from signing.pki import DemoPki
from signing.render import text_pdf
from signing.service import PadesSigningService, PadesVerifier, SigningFailed
from signing.tsa import serve_tsa

BURGEMEESTER = Person(oid="b-1", upn="burgemeester@voorbeeldstad.nl", name="Bea Burgemeester")
SECRETARIS = Person(oid="s-1", upn="secretaris@voorbeeldstad.nl", name="Sem Secretaris")


@pytest.fixture(scope="module")
def pki() -> DemoPki:
    return DemoPki.create()


@pytest.fixture(scope="module")
def foreign() -> DemoPki:
    return DemoPki.create(name="Andere Gemeente Demo CA")


def _decision() -> bytes:
    return text_pdf(["Besluit van de burgemeester", "", "Het college besluit: toegekend."])


async def _signed(keys: DemoKeys, pdf: bytes, *signers: Person) -> bytes:
    service = PadesSigningService(keys)
    package = await service.prepare(SigningRequest(
        dossier_id="D-7", dossier_number="D-7", name="besluit.pdf", pdf=pdf,
        signers=signers))
    assert package.status is SigningStatus.PREPARED
    assert (await service.send(package.id)).status is SigningStatus.COMPLETED
    signed = await service.signed_document(package.id)
    assert signed.sha256_before == sha256_hex(pdf)
    assert signed.sha256_after == sha256_hex(signed.pdf)
    assert signed.signers == signers and signed.provider == "pades" and signed.level == LEVEL
    return signed.pdf


async def test_two_signers_in_order_are_two_intact_trusted_b_lta_signatures(
        pki: DemoPki) -> None:
    keys = DemoKeys(pki)
    pdf = await _signed(keys, _decision(), BURGEMEESTER, SECRETARIS)
    report = await PadesVerifier(keys).verify(pdf)
    assert report.state is SignatureState.VALID
    assert [(c.signer, c.state, c.level) for c in report.signatures] == [
        ("Bea Burgemeester", SignatureState.VALID, LEVEL),
        ("Sem Secretaris", SignatureState.VALID, LEVEL),
    ]
    assert all(c.signed_at.endswith("Z") for c in report.signatures)
    reader = PdfFileReader(io.BytesIO(pdf))
    assert "/DSS" in reader.root  # validation data embedded
    assert reader.embedded_timestamp_signatures  # document timestamps (the LTA part)
    for sig in reader.embedded_regular_signatures:  # visible: a widget with an appearance
        widget = sig.sig_field
        rect = [float(v) for v in widget["/Rect"]]
        assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 30
        if any(font.is_file() for font in STAMP_FONTS):  # PDF/A: the stamp's font embedded
            assert _appearance_fonts(widget["/AP"]["/N"].get_object()) == {"/FontFile2"}


def _appearance_fonts(xobject: Any) -> set[str]:
    """How the fonts of an appearance (and the forms it draws) are embedded."""
    found: set[str] = set()
    resources = xobject.get("/Resources")
    if resources is None:
        return found
    resources = resources.get_object()
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant.get("/FontDescriptor")
        keys = descriptor.get_object().keys() if descriptor is not None else ()
        found |= {k for k in keys if k.startswith("/FontFile")} or {"not embedded"}
    for inner in resources.get("/XObject", {}).values():
        found |= _appearance_fonts(inner.get_object())
    return found


async def test_signing_a_signed_document_again_keeps_the_first_signature_valid(
        pki: DemoPki) -> None:
    keys = DemoKeys(pki)
    first = await _signed(keys, _decision(), BURGEMEESTER)
    second = await _signed(keys, first, SECRETARIS)
    assert second.startswith(first)  # an incremental update
    report = await PadesVerifier(keys).verify(second)
    assert [c.state for c in report.signatures] == [SignatureState.VALID] * 2


async def test_one_changed_byte_is_reported_as_changed(pki: DemoPki) -> None:
    keys = DemoKeys(pki)
    pdf = await _signed(keys, _decision(), BURGEMEESTER)
    at = pdf.index(b"toegekend")
    changed = pdf[:at] + b"a" + pdf[at + 1:]  # "aoegekend": one byte
    report = await PadesVerifier(keys).verify(changed)
    assert report.state is SignatureState.CHANGED
    assert report.signatures[0].level == ""


async def test_a_signature_under_a_foreign_root_is_untrusted(pki: DemoPki,
                                                             foreign: DemoPki) -> None:
    pdf = await _signed(DemoKeys(pki), _decision(), BURGEMEESTER)
    report = await PadesVerifier(DemoKeys(foreign)).verify(pdf)
    assert report.state is SignatureState.UNTRUSTED
    assert report.signatures[0].signer == "Bea Burgemeester"


async def test_a_document_without_signatures_is_unsigned(pki: DemoPki) -> None:
    report = await PadesVerifier(DemoKeys(pki)).verify(_decision())
    assert report.state is SignatureState.UNSIGNED


async def test_a_file_that_is_no_pdf_is_changed(pki: DemoPki) -> None:
    report = await PadesVerifier(DemoKeys(pki)).verify(b"not a pdf at all")
    assert report.state is SignatureState.CHANGED


async def test_the_timestamp_authority_over_http_on_localhost(pki: DemoPki) -> None:
    runner, url = await serve_tsa(pki)
    try:
        keys = DemoKeys(pki, tsa_url=url)
        pdf = await _signed(keys, _decision(), BURGEMEESTER)
    finally:
        await runner.cleanup()
    report = await PadesVerifier(keys).verify(pdf)
    assert [(c.state, c.level) for c in report.signatures] == [(SignatureState.VALID, LEVEL)]


def test_the_demo_ca_is_kept_in_a_folder_and_read_back(pki: DemoPki, tmp_path: Path) -> None:
    assert not DemoPki.exists(tmp_path)
    pki.save(tmp_path)
    assert DemoPki.exists(tmp_path)
    again = DemoPki.load(tmp_path)
    assert again.fingerprint == pki.fingerprint
    assert (tmp_path / "ca.key").stat().st_mode & 0o077 == 0


def test_a_pkcs12_is_read_with_its_password_and_trusts_its_root(pki: DemoPki,
                                                                 tmp_path: Path) -> None:
    seal = pki.issue_signer(Person(oid="g", upn="zegel@voorbeeldstad.nl", name="Zegel"))
    path = tmp_path / "zegel.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"zegel", seal.key, seal.cert, [pki.ca.cert], BestAvailableEncryption(b"geheim")))
    keys = Pkcs12Keys.load(path, "geheim", "https://tsa.example/")
    assert keys.roots == (pki.ca.cert,)
    assert keys.trust().fetch
    with pytest.raises(ValueError):
        Pkcs12Keys.load(path, "fout", "https://tsa.example/")


async def test_a_timestamp_authority_that_does_not_answer_refuses_the_signature(
        pki: DemoPki) -> None:
    runner, url = await serve_tsa(pki)
    await runner.cleanup()  # the address is known, nobody listens there any more
    service = PadesSigningService(DemoKeys(pki, tsa_url=url))
    package = await service.prepare(SigningRequest(
        dossier_id="D-7", dossier_number="D-7", name="besluit.pdf", pdf=_decision(),
        signers=(BURGEMEESTER,)))
    with pytest.raises(SigningFailed) as refused:
        await service.send(package.id)
    assert refused.value.refusal == "signing_failed"
    assert "besluit.pdf" in refused.value.message
    assert (await service.status(package.id)).status is SigningStatus.PREPARED


def _pem(*pkis: DemoPki) -> bytes:
    return b"".join(p.ca.cert.public_bytes(Encoding.PEM) for p in pkis)


async def test_the_trust_roots_file_adds_a_root_to_the_demo_ca(
        pki: DemoPki, foreign: DemoPki, tmp_path: Path) -> None:
    """PARAAF_SIGNING_TRUST_ROOTS without a PKCS#12: signatures made elsewhere (ValidSign's)
    are trusted besides the demo CA's; a root not in it still is not."""
    elsewhere = await _signed(DemoKeys(foreign), _decision(), BURGEMEESTER)
    (tmp_path / "roots.pem").write_bytes(_pem(foreign))
    (tmp_path / "other.pem").write_bytes(_pem(DemoPki.create(name="Derde CA")))
    demo = tmp_path / "demo"
    pki.save(demo)
    own = await _signed(DemoKeys(pki), _decision(), BURGEMEESTER)
    for roots, verdict in (("roots.pem", SignatureState.VALID), ("", SignatureState.UNTRUSTED),
                           ("other.pem", SignatureState.UNTRUSTED)):
        signing = EmbeddedSigning(KeySettings(
            demo_dir=demo, trust_roots=str(tmp_path / roots) if roots else ""))
        assert (await signing.verify(elsewhere)).state is verdict, roots
        assert (await signing.verify(own)).state is SignatureState.VALID  # the demo CA too


async def test_production_without_a_pkcs12_trusts_the_trust_roots_file_alone(
        pki: DemoPki, foreign: DemoPki, tmp_path: Path) -> None:
    """ValidSign signs, paraaf has no keys of its own: its root comes from the PEM file."""
    elsewhere = await _signed(DemoKeys(foreign), _decision(), BURGEMEESTER)
    (tmp_path / "roots.pem").write_bytes(_pem(foreign))
    for roots, verdict in (("roots.pem", SignatureState.VALID), ("", SignatureState.UNTRUSTED)):
        signing = EmbeddedSigning(KeySettings(
            demo_dir=tmp_path / "none", demo_allowed=False,
            trust_roots=str(tmp_path / roots) if roots else ""))
        assert (await signing.verify(elsewhere)).state is verdict, roots
    assert not (tmp_path / "none").exists()  # no demo CA made in production


def test_a_pkcs12_trusts_its_own_root_and_the_trust_roots_file(
        pki: DemoPki, foreign: DemoPki, tmp_path: Path) -> None:
    seal = pki.issue_signer(Person(oid="g", upn="zegel@voorbeeldstad.nl", name="Zegel"))
    path = tmp_path / "zegel.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"zegel", seal.key, seal.cert, [pki.ca.cert], BestAvailableEncryption(b"geheim")))
    roots = tmp_path / "roots.pem"
    roots.write_bytes(_pem(foreign, pki))
    keys = Pkcs12Keys.load(path, "geheim", "https://tsa.example/", roots)
    assert keys.roots == (pki.ca.cert, foreign.ca.cert)
    roots.write_text("geen certificaat\n")
    with pytest.raises(ValueError):
        Pkcs12Keys.load(path, "geheim", "https://tsa.example/", roots)
