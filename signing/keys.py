"""Where signatures get their keys, timestamps and trust from.

- :class:`DemoKeys`: the demo CA in the data folder (``paraaf demo`` makes it) issues a
  certificate for each signer, with their name and UPN; an in-process timestamp authority
  (or one at ``PARAAF_TSA_URL``); the CA is trusted and its revocation list embedded.
- :class:`Pkcs12Keys`: production. One PKCS#12 (``PARAAF_SIGNING_PKCS12`` and its password)
  signs for everyone, the signer's name in the signature and its visible text; the timestamp
  authority at ``PARAAF_TSA_URL``; the trusted roots are the CA certificates in the PKCS#12;
  revocation information is fetched online.

Both trust the roots of ``PARAAF_SIGNING_TRUST_ROOTS`` (a PEM file, :func:`read_roots`) as
well: the roots of signatures made elsewhere, such as ValidSign's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign import signers
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from approvals.identity import Person
from signing.pades import Trust, simple_signer, to_asn1_cert, to_asn1_crl, to_asn1_key
from signing.pki import DemoPki

TSA_TIMEOUT_SECONDS = 10


class KeySource(Protocol):
    """What a signature needs besides the PDF."""

    def signer_for(self, person: Person) -> signers.Signer: ...

    def timestamper(self) -> TimeStamper: ...

    def trust(self) -> Trust: ...


def read_roots(path: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM file (ValueError when it holds none, OSError when it cannot
    be read)."""
    roots = tuple(x509.load_pem_x509_certificates(path.read_bytes()))
    if not roots:  # pragma: no cover - cryptography raises ValueError itself
        raise ValueError(f"{path} holds no certificate")
    return roots


def http_timestamper(url: str) -> TimeStamper:
    """An RFC 3161 timestamp authority over HTTP(S)."""
    return RequestsHTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS)


def demo_timestamper(pki: DemoPki) -> DummyTimeStamper:
    """The demo CA's timestamp authority, in process."""
    return DummyTimeStamper(
        tsa_cert=to_asn1_cert(pki.tsa.cert), tsa_key=to_asn1_key(pki.tsa.key),
        certs_to_embed=SimpleCertificateStore.from_certs([to_asn1_cert(pki.ca.cert)]))


@dataclass
class DemoKeys:
    """The demo CA: a certificate per signer, issued once per run."""

    pki: DemoPki
    tsa_url: str = ""
    extra_roots: tuple[x509.Certificate, ...] = ()
    _issued: dict[str, signers.Signer] = field(default_factory=dict)

    @classmethod
    def from_folder(cls, folder: Path, tsa_url: str = "",
                    extra_roots: tuple[x509.Certificate, ...] = ()) -> DemoKeys:
        return cls(DemoPki.load(folder), tsa_url, extra_roots)

    def signer_for(self, person: Person) -> signers.Signer:
        key = person.upn.lower() or person.oid
        found = self._issued.get(key)
        if found is None:
            issued = self.pki.issue_signer(person)
            found = self._issued[key] = simple_signer(issued.cert, issued.key, [self.pki.ca.cert])
        return found

    def timestamper(self) -> TimeStamper:
        return http_timestamper(self.tsa_url) if self.tsa_url else demo_timestamper(self.pki)

    def trust(self) -> Trust:
        roots = (self.pki.ca.cert, *self.extra_roots)
        return Trust(roots=tuple(to_asn1_cert(c) for c in roots),
                     crls=(to_asn1_crl(self.pki.crl),))


@dataclass
class Pkcs12Keys:
    """A PKCS#12 from a real provider, a timestamp authority's URL, roots to trust (the
    PKCS#12's own and the ``trust_roots`` file's)."""

    signer: signers.Signer
    tsa_url: str
    roots: tuple[x509.Certificate, ...]

    @classmethod
    def load(cls, path: Path, password: str, tsa_url: str, trust_roots: Path | None = None,
             ) -> Pkcs12Keys:
        """Raises ValueError when the file is not a PKCS#12 with a key and a certificate, or
        the password does not open it."""
        data = path.read_bytes()
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode() or None)
        if key is None or cert is None:
            raise ValueError(f"{path} holds no private key and certificate")
        signer = simple_signer(cert, key, chain)
        roots = tuple(c for c in chain if c.issuer == c.subject)
        if trust_roots is not None:
            roots += tuple(c for c in read_roots(trust_roots) if c not in roots)
        if not roots:
            raise ValueError(f"{path} holds no root certificate: name the roots to trust "
                             "in PARAAF_SIGNING_TRUST_ROOTS")
        return cls(signer, tsa_url, roots)

    def signer_for(self, person: Person) -> signers.Signer:
        return self.signer

    def timestamper(self) -> TimeStamper:
        return http_timestamper(self.tsa_url)

    def trust(self) -> Trust:
        return Trust(roots=tuple(to_asn1_cert(c) for c in self.roots), fetch=True)
