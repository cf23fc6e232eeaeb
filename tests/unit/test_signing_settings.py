"""The signing settings: a PKCS#12 needs a timestamp authority, named files must exist, the
demo CA is made once in the data folder, and pyHanko is loaded only when someone signs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from bot.wiring import create_signing_demo, sign_stage
from tests.support.fakes import InMemoryDocumentStore

ROOT = Path(__file__).resolve().parents[2]


def test_signing_is_on_by_default_with_the_demo_ca_and_can_be_turned_off() -> None:
    settings = Settings.from_env({})
    assert (settings.signing, settings.renderer, settings.tsa_url) == ("pades", "auto", "")
    assert sign_stage(settings, InMemoryDocumentStore()) is not None
    off = Settings.from_env({"PARAAF_SIGNING": "off"})
    assert sign_stage(off, InMemoryDocumentStore()) is None


def test_a_pkcs12_needs_a_timestamp_authority_and_must_exist(tmp_path: Path) -> None:
    p12 = tmp_path / "zegel.p12"
    with pytest.raises(SettingsError) as missing:
        Settings.from_env({"PARAAF_SIGNING_PKCS12": str(p12), "PARAAF_TSA_URL": "https://t/"})
    assert missing.value.code == "signing_file"
    p12.write_bytes(b"x")
    with pytest.raises(SettingsError) as no_tsa:
        Settings.from_env({"PARAAF_SIGNING_PKCS12": str(p12)})
    assert no_tsa.value.code == "signing_missing" and "PARAAF_TSA_URL" in str(no_tsa.value)
    with pytest.raises(SettingsError) as bad_url:
        Settings.from_env({"PARAAF_TSA_URL": "tsa.example"})
    assert bad_url.value.code == "signing_tsa_url"
    settings = Settings.from_env({"PARAAF_SIGNING_PKCS12": str(p12),
                                  "PARAAF_SIGNING_PKCS12_PASSWORD": "geheim",
                                  "PARAAF_TSA_URL": "https://tsa.example/"})
    assert "geheim" not in repr(settings)


def test_validsign_needs_its_address_api_key_and_callback_key() -> None:
    complete = {"PARAAF_SIGNING_PROVIDER": "validsign",
                "PARAAF_VALIDSIGN_URL": "https://my.validsign.nl",
                "PARAAF_VALIDSIGN_API_KEY": "api-geheim",
                "PARAAF_VALIDSIGN_CALLBACK_KEY": "callback-geheim"}
    for name in ("PARAAF_VALIDSIGN_URL", "PARAAF_VALIDSIGN_API_KEY",
                 "PARAAF_VALIDSIGN_CALLBACK_KEY"):
        with pytest.raises(SettingsError) as missing:
            Settings.from_env({**complete, name: ""})
        assert missing.value.code == "validsign_missing" and name in str(missing.value)
    for url in ("my.validsign.nl", "http://my.validsign.nl", "ftp://127.0.0.1"):
        with pytest.raises(SettingsError) as bad_url:
            Settings.from_env({**complete, "PARAAF_VALIDSIGN_URL": url})
        assert bad_url.value.code == "validsign_url"
    with pytest.raises(SettingsError) as unknown:
        Settings.from_env({**complete, "PARAAF_SIGNING_PROVIDER": "docusign"})
    assert unknown.value.code == "one_of"
    settings = Settings.from_env(complete)
    assert "geheim" not in repr(settings)
    stage = sign_stage(settings, InMemoryDocumentStore())
    assert stage is not None and stage.service.provider == "validsign"
    local = Settings.from_env({**complete, "PARAAF_VALIDSIGN_URL": "http://127.0.0.1:8080"})
    assert local.validsign_url == "http://127.0.0.1:8080"
    assert Settings.from_env({}).signing_provider == "embedded"


def test_the_demo_ca_is_made_once_and_not_with_a_pkcs12(tmp_path: Path) -> None:
    settings = Settings.from_env({}, data_dir=str(tmp_path))
    create_signing_demo(settings)
    ca = (settings.signing_dir / "ca.pem").read_bytes()
    create_signing_demo(settings)
    assert (settings.signing_dir / "ca.pem").read_bytes() == ca
    off = Settings.from_env({"PARAAF_SIGNING": "off"}, data_dir=str(tmp_path / "off"))
    create_signing_demo(off)
    assert not off.signing_dir.exists()


def test_pyhanko_is_loaded_only_when_someone_signs() -> None:
    code = ("import sys\n"
            "from bot.settings import Settings\n"
            "from bot.wiring import sign_stage\n"
            "from tests.support.fakes import InMemoryDocumentStore\n"
            "assert sign_stage(Settings.from_env({}), InMemoryDocumentStore()) is not None\n"
            "print(sorted(m for m in sys.modules if m.startswith('pyhanko')))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


async def test_production_does_not_sign_with_the_demo_ca(tmp_path: Path) -> None:
    from approvals.errors import ActionNotAllowed
    from approvals.identity import Person
    from approvals.signatures import SignatureState, SigningRequest
    from signing.render import text_pdf

    settings = Settings(mode="production", data_dir=tmp_path)
    stage = sign_stage(settings, InMemoryDocumentStore())
    assert stage is not None and stage.verifier is not None
    with pytest.raises(ActionNotAllowed) as refused:
        await stage.service.prepare(SigningRequest(
            dossier_id="D-1", dossier_number="D-1", name="besluit.pdf",
            pdf=text_pdf(["Besluit"]), signers=(Person(oid="a", upn="a@x.nl", name="A"),)))
    assert refused.value.refusal == "signing_failed"
    assert "PARAAF_SIGNING_PKCS12" in refused.value.message
    assert not settings.signing_dir.exists()
    report = await stage.verifier.verify(text_pdf(["Besluit"]))
    assert report.state is SignatureState.UNSIGNED


def test_the_trust_roots_must_be_a_pem_file_with_a_certificate(tmp_path: Path) -> None:
    """PARAAF_SIGNING_TRUST_ROOTS counts with or without a PKCS#12 (ValidSign's root); a file
    that is not there or holds no certificate is refused when the settings are read, with
    the fix, in both languages."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from signing.pki import DemoPki

    roots = tmp_path / "roots.pem"
    with pytest.raises(SettingsError) as missing:
        Settings.from_env({"PARAAF_SIGNING_TRUST_ROOTS": str(roots)})
    assert missing.value.code == "signing_file"
    for content in (b"", b"geen certificaat\n",
                    b"-----BEGIN CERTIFICATE-----\nbm9n\n-----END CERTIFICATE-----\n"):
        roots.write_bytes(content)
        with pytest.raises(SettingsError) as empty:
            Settings.from_env({"PARAAF_SIGNING_TRUST_ROOTS": str(roots)})
        error = empty.value
        assert (error.code, error.setting) == ("signing_roots", "PARAAF_SIGNING_TRUST_ROOTS")
        assert str(roots) in str(error) and "PEM" in str(error)
        assert "PARAAF_SIGNING_TRUST_ROOTS" in error.text("nl") and "PEM" in error.fix("nl")
        assert "ValidSign" in error.fix("en") and error.fix("nl") != error.fix("en")
    roots.write_bytes(DemoPki.create(name="ValidSign CA").ca.cert.public_bytes(Encoding.PEM))
    settings = Settings.from_env({"PARAAF_SIGNING_TRUST_ROOTS": str(roots)})
    assert settings.signing_trust_roots == str(roots) and not settings.signing_pkcs12
