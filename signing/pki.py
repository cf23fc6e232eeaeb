"""The demo's public key infrastructure: a CA, a certificate per signer, a timestamp
authority and the CA's revocation list, made with ``cryptography``.

``paraaf demo`` makes one in the data folder; production brings a PKCS#12 from a real
(qualified) provider and a timestamp authority's URL instead (see :mod:`signing.keys`).
Nothing here is for production: the CA's key lies in the folder, unencrypted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from approvals.identity import Person

ORGANISATION = "Gemeente Voorbeeldstad (demo)"
CRL_URL = "http://127.0.0.1/paraaf-demo-ca.crl"  # named in the certificates, never fetched:
# the list itself is embedded in every signed PDF


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, email: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
             x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if email:
        parts.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(parts)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass(frozen=True)
class DemoPki:
    """A CA that issues signer certificates on demand, a TSA certificate and the CA's CRL."""

    ca: Issued
    tsa: Issued
    crl: x509.CertificateRevocationList

    @classmethod
    def create(cls, now: datetime | None = None, name: str = "Voorbeeldstad Demo CA",
               ) -> DemoPki:
        now = now or datetime.now(UTC)
        key = _key()
        subject = _name(name)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256())
        )
        ca = Issued(cert, key)
        tsa = _issue(ca, _name("Voorbeeldstad Demo Timestamp Authority"), now, tsa=True)
        return cls(ca, tsa, _crl(ca, now))

    def issue_signer(self, person: Person, now: datetime | None = None) -> Issued:
        """A signing certificate for ``person`` (name and UPN in the subject)."""
        return _issue(self.ca, _name(person.name or person.upn, person.upn),
                      now or datetime.now(UTC), tsa=False)

    # --- the folder ---------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        pem = serialization.Encoding.PEM
        (folder / "ca.pem").write_bytes(self.ca.cert.public_bytes(pem))
        (folder / "ca.key").write_bytes(_pem_key(self.ca.key))
        (folder / "tsa.pem").write_bytes(self.tsa.cert.public_bytes(pem))
        (folder / "tsa.key").write_bytes(_pem_key(self.tsa.key))
        (folder / "ca.crl").write_bytes(self.crl.public_bytes(serialization.Encoding.DER))
        for path in ("ca.key", "tsa.key"):
            (folder / path).chmod(0o600)

    @classmethod
    def load(cls, folder: Path) -> DemoPki:
        def key(name: str) -> rsa.RSAPrivateKey:
            loaded = serialization.load_pem_private_key((folder / name).read_bytes(), None)
            assert isinstance(loaded, rsa.RSAPrivateKey)
            return loaded

        return cls(
            Issued(x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes()), key("ca.key")),
            Issued(x509.load_pem_x509_certificate((folder / "tsa.pem").read_bytes()),
                   key("tsa.key")),
            x509.load_der_x509_crl((folder / "ca.crl").read_bytes()),
        )

    @staticmethod
    def exists(folder: Path) -> bool:
        return all((folder / n).is_file() for n in ("ca.pem", "ca.key", "tsa.pem", "tsa.key",
                                                     "ca.crl"))

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of the CA certificate (to compare with what a verifier trusts)."""
        der = self.ca.cert.public_bytes(serialization.Encoding.DER)
        return hashlib.sha256(der).hexdigest()


def _issue(ca: Issued, subject: x509.Name, now: datetime, *, tsa: bool) -> Issued:
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(ca.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=not tsa, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def _crl(ca: Issued, now: datetime) -> x509.CertificateRevocationList:
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=3650))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       critical=False)
        .sign(ca.key, hashes.SHA256())
    )
