"""PAdES signatures with pyHanko: sign a PDF at B-LTA and check the signatures of one.

A signature is visible (on the last page: who signed, when, the dossier number), carries a
signature timestamp, has the certificates and revocation lists it needs embedded (the DSS),
and is followed by a document timestamp, so it can be checked years later without paraaf:
PAdES baseline B-LTA. Several signers in order are several signatures on one document, each
an incremental update that leaves the earlier ones intact.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation.ades import AdESLTAValidationResult, ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleCertificateStore, SimpleTrustManager

from approvals.signatures import SignatureCheck, SignatureState, VerificationReport


class _EmbeddedRevocationLists(logging.Filter):
    """pyHanko warns when validation data is embedded without fetching it online; with the
    demo CA that is the intent (its revocation list is given, not published), so that one
    warning is left out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_EmbeddedRevocationLists())

LEVEL = "PAdES-B-LTA"
PROVIDER = "pades"
STAMP_TEXT = "%(label)s %(signer)s\n%(when)s %(ts)s\n%(dossier_label)s %(dossier)s"
_STAMP_WIDTH, _STAMP_HEIGHT, _MARGIN = 250, 62, 36
STAMP_FONTS = (  # embedded in the stamp, so a PDF/A document stays PDF/A (Debian's fonts)
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
)


class _EmbeddedFont(GlyphAccumulatorFactory):
    """pyHanko's TrueType font, read into memory (its own factory leaves the file open)."""

    def create_font_engine(self, writer: BasePdfFileWriter,
                           obj_stream: object = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(Path(self.font_file).read_bytes()),
            font_size=self.font_size, ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag, writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream)


def stamp_style() -> TextStampStyle:
    """The visible signature: a TrueType font embedded when one is installed, else the
    standard Courier (not embedded; a strict PDF/A check would flag it)."""
    font = next((f for f in STAMP_FONTS if f.is_file()), None)
    if font is None:
        return TextStampStyle(stamp_text=STAMP_TEXT, border_width=1)
    box = TextBoxStyle(font=_EmbeddedFont(str(font), font_size=9), font_size=9)
    return TextStampStyle(stamp_text=STAMP_TEXT, border_width=1, text_box_style=box)


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_asn1_key(key: object) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def to_asn1_crl(crl: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class StampWords:
    """The words of the visible signature, in the reader's language."""

    label: str = "Ondertekend door:"
    when: str = "Tijdstip:"
    dossier: str = "Dossier:"


@dataclass(frozen=True)
class Trust:
    """What a signature's certificates are checked against: the trusted roots, and (for the
    embedded demo, whose lists are nowhere online) revocation lists to use instead of
    fetching them. ``fetch``: look revocation information up online (production)."""

    roots: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    fetch: bool = False

    def context(self, extra_certs: Sequence[asn1_x509.Certificate] = ()) -> ValidationContext:
        return ValidationContext(trust_roots=list(self.roots), other_certs=list(extra_certs),
                                 crls=list(self.crls), allow_fetching=self.fetch)


async def sign_pdf(pdf: bytes, signer: signers.Signer, timestamper: TimeStamper, trust: Trust,
                   *, signer_name: str, dossier_number: str, reason: str = "",
                   words: StampWords = StampWords()) -> bytes:
    """``pdf`` with one more signature, at PAdES B-LTA (raises SigningError)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    count = len(reader.embedded_signatures)
    field_name = f"Handtekening{count + 1}"
    box = _stamp_box(reader, count)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True, use_pades_lta=True, validation_context=trust.context(),
        reason=reason or None, name=signer_name,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper,
        stamp_style=stamp_style(),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=-1, box=box),
    )
    out = io.BytesIO()
    await pdf_signer.async_sign_pdf(writer, output=out, appearance_text_params={
        "label": words.label, "when": words.when, "dossier_label": words.dossier,
        "dossier": dossier_number, "signer": signer_name})
    return out.getvalue()


def _stamp_box(reader: PdfFileReader, index: int) -> tuple[int, int, int, int]:
    """Where signature ``index`` goes on the last page: side by side along the bottom, then
    a row higher."""
    width = 595.0  # A4, when the page does not say
    try:
        count = int(reader.root["/Pages"]["/Count"])
        page, _, _ = reader.find_page_for_modification(count - 1)
        box = page.get_object()["/MediaBox"]
        width = float(box[2]) - float(box[0])
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    per_row = max(1, int(width - 2 * _MARGIN) // (_STAMP_WIDTH + 10))
    column, row = index % per_row, index // per_row
    x1 = _MARGIN + column * (_STAMP_WIDTH + 10)
    y1 = _MARGIN + row * (_STAMP_HEIGHT + 10)
    return (x1, y1, x1 + _STAMP_WIDTH, y1 + _STAMP_HEIGHT)


async def verify_pdf(pdf: bytes, trust: Trust) -> VerificationReport:
    """Every signature of ``pdf``: valid, changed after signing, or untrusted."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as error:
        return VerificationReport((SignatureCheck(
            signer="", signed_at="", state=SignatureState.CHANGED, level="",
            detail=f"unreadable: {type(error).__name__}: {error}"),))
    checks = [await _check(sig, trust) for sig in signatures]
    return VerificationReport(tuple(checks))


def _holder(sig: object) -> str:
    try:
        cert = sig.signer_cert  # type: ignore[attr-defined]
        return str(cert.subject.native.get("common_name", "")) or cert.subject.human_friendly
    except Exception:
        return ""


def _spec(trust: Trust) -> PdfSignatureValidationSpec:
    """Validation at PAdES B-LTA: the chain to a trusted root, revocation information required
    for every certificate that is not a root (from the document's DSS; online only when
    ``trust.fetch``)."""
    required = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(trust.roots)),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=required, intermediate_ca_cert_rule=required)),
    )
    fetching = (RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH if trust.fetch
                else RevinfoOnlineFetchingRule.LOCAL_ONLY)
    return PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=policy,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=fetching),
        key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
    ))


async def _check(sig: object, trust: Trust) -> SignatureCheck:
    holder = _holder(sig)
    try:
        result = await ades_lta_validation(sig, _spec(trust))  # type: ignore[arg-type]
    except Exception as error:
        return SignatureCheck(signer=holder, signed_at="", state=SignatureState.CHANGED,
                              level="", detail=f"{type(error).__name__}: {error}")
    status = result.api_status
    signed_at = ""
    if result.best_signature_time is not None:
        signed_at = result.best_signature_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    detail = f"{result.ades_subindic}: {result.failure_msg or ''}"
    intact = status is not None and status.intact and status.valid
    if not intact:
        return SignatureCheck(signer=holder, signed_at=signed_at,
                              state=SignatureState.CHANGED, level="", detail=detail)
    assert status is not None
    if result.ades_subindic is AdESPassed.OK and status.trusted:
        return SignatureCheck(signer=holder, signed_at=signed_at, state=SignatureState.VALID,
                              level=_level(result), detail=detail)
    return SignatureCheck(signer=holder, signed_at=signed_at, state=SignatureState.UNTRUSTED,
                          level="", detail=detail)


def _level(result: AdESLTAValidationResult) -> str:
    """B-LTA when a document timestamp after the signature holds (its evidence record), the
    signature has a timestamp of its own and the document keeps validation data (DSS);
    B-T with the signature timestamp alone; B-B otherwise."""
    timestamped = result.signature_timestamp_status is not None and \
        result.signature_timestamp_status.ades_subindic is AdESPassed.OK
    if timestamped and result.oldest_evidence_record_timestamp is not None:
        return LEVEL
    return "PAdES-B-T" if timestamped else "PAdES-B-B"


def evidence_json(report: VerificationReport, *, name: str, sha256: str,
                  signed_at: datetime) -> bytes:
    """The embedded provider's evidence: its own check of the PDF it just signed."""
    return json.dumps({
        "document": name, "sha256": sha256, "provider": PROVIDER, "level": LEVEL,
        "checked_at": signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "state": report.state.value,
        "signatures": [{"signer": c.signer, "signed_at": c.signed_at, "state": c.state.value,
                        "level": c.level} for c in report.signatures],
    }, indent=2, ensure_ascii=False).encode("utf-8")


def simple_signer(cert: x509.Certificate, key: object,
                  chain: Sequence[x509.Certificate]) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=to_asn1_cert(cert), signing_key=to_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([to_asn1_cert(c) for c in chain]))
