"""Ondertekenen through the command line: `paraaf demo` makes the demo CA; burgemeester and
secretaris sign; `paraaf dossier show` says valid, changed after signing, or untrusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from signing.pdfa import pdfa_2b_problems
from signing.pki import DemoPki
from signing.render import find_libreoffice
from tests.e2e.conftest import Cli
from tests.support.signing_kit import (
    DECISION_TEXT,
    INITIATOR_UPN,
    MAYOR_UPN,
    SECRETARY_UPN,
    SIGN_FLOW,
    SIGNED_NAME,
    decision_docx,
)
from tests.support.validsign.server import validsign_in_thread, validsign_root_pem

INITIATOR, MAYOR, SECRETARY = INITIATOR_UPN, MAYOR_UPN, SECRETARY_UPN
SIGNED = SIGNED_NAME


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_LANGUAGE", "en")
    monkeypatch.setenv("PARAAF_RENDERER", "text")  # LibreOffice has its own test


def _signed_dossier(cli: Cli, tmp_path: Path, document: bytes | None = None) -> str:
    flow = tmp_path / "raadsbesluit.yaml"
    flow.write_text(SIGN_FLOW, "utf-8")
    assert cli("flow", "publish", str(flow)) == 0, cli.err
    dossier = str(cli.json("dossier", "start", "--flow", "raadsbesluit", "--as", INITIATOR,
                           "--title", "Verordening speeltuinen",
                           "--field", "onderwerp=Speeltuinen")["id"])
    if document is not None:
        path = tmp_path / "besluit.docx"
        path.write_bytes(document)
        assert cli("dossier", "attach", dossier, "--as", INITIATOR, str(path)) == 0, cli.err
    for who in (MAYOR, SECRETARY):
        assert cli("dossier", "act", dossier, "--as", who, "--action", "sign") == 0, cli.err
    return dossier


def _decision_docx() -> bytes:
    return decision_docx(DECISION_TEXT)


def test_paraaf_demo_makes_the_demo_ca(cli: Cli) -> None:
    for name in ("ca.pem", "ca.key", "tsa.pem", "tsa.key", "ca.crl"):
        assert (cli.data / "signing" / name).is_file()


def test_two_signatures_show_as_valid_b_lta(cli: Cli, tmp_path: Path) -> None:
    dossier = _signed_dossier(cli, tmp_path, _decision_docx())
    shown = cli.json("dossier", "show", dossier)
    assert shown["status"] == "completed"
    (signed,) = shown["signatures"]
    assert (signed["name"], signed["state"], signed["level"]) == (SIGNED, "valid",
                                                                  "PAdES-B-LTA")
    assert [p["upn"] for p in signed["signers"]] == [MAYOR, SECRETARY]
    assert [c["state"] for c in signed["checks"]] == ["valid", "valid"]
    assert SIGNED in [d["name"] for d in shown["documents"]]
    assert cli("dossier", "show", dossier) == 0
    assert "Signatures:" in cli.out
    assert (f"{SIGNED}: valid (PAdES-B-LTA); signed by Marieke Jansen, Ruud Bakker"
            in cli.out)
    assert f"Marieke Jansen signed {SIGNED} (v1, PAdES-B-LTA) digitally" in cli.out  # timeline


def test_one_changed_byte_shows_as_changed(cli: Cli, tmp_path: Path) -> None:
    dossier = _signed_dossier(cli, tmp_path, _decision_docx())
    path = cli.data / "documents" / dossier / SIGNED
    pdf = path.read_bytes()
    at = pdf.index(b"Speeltuinen")
    path.write_bytes(pdf[:at] + b"Z" + pdf[at + 1:])
    (signed,) = cli.json("dossier", "show", dossier)["signatures"]
    assert signed["state"] == "changed"
    assert cli("dossier", "show", dossier) == 0
    assert f"{SIGNED}: CHANGED after signing" in cli.out


def test_a_foreign_root_shows_as_untrusted(cli: Cli, tmp_path: Path) -> None:
    dossier = _signed_dossier(cli, tmp_path)  # no document: the dossier itself is signed
    shutil.rmtree(cli.data / "signing")
    DemoPki.create(name="Andere Gemeente Demo CA").save(cli.data / "signing")  # trusted now
    (signed,) = cli.json("dossier", "show", dossier)["signatures"]
    assert signed["state"] == "untrusted"
    assert cli("dossier", "show", dossier) == 0
    assert f"{SIGNED}: signed with a certificate that is NOT TRUSTED" in cli.out


def test_a_document_that_cannot_be_rendered_stops_the_stage(cli: Cli, tmp_path: Path) -> None:
    flow = tmp_path / "raadsbesluit.yaml"
    flow.write_text(SIGN_FLOW, "utf-8")
    assert cli("flow", "publish", str(flow)) == 0, cli.err
    dossier = str(cli.json("dossier", "start", "--flow", "raadsbesluit", "--as", INITIATOR,
                           "--title", "Kapot", "--field", "onderwerp=Kapot")["id"])
    broken = tmp_path / "besluit.docx"
    broken.write_bytes(b"this is no Word document")
    assert cli("dossier", "attach", dossier, "--as", INITIATOR, str(broken)) == 0, cli.err
    before = cli.json("dossier", "show", dossier)
    assert cli("dossier", "act", dossier, "--as", MAYOR, "--action", "sign") != 0
    assert "cannot be turned into a PDF to sign" in cli.err + cli.out
    after = cli.json("dossier", "show", dossier)
    assert after["version"] == before["version"] and after["signatures"] == []
    assert not (cli.data / "documents" / dossier / SIGNED).exists()


def test_the_dutch_command_line_says_ondertekening_geldig(cli: Cli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    dossier = _signed_dossier(cli, tmp_path)
    monkeypatch.setenv("PARAAF_LANGUAGE", "nl")
    assert cli("dossier", "show", dossier) == 0
    assert "Ondertekening:" in cli.out
    assert (f"{SIGNED}: geldig (PAdES-B-LTA); ondertekend door Marieke Jansen, Ruud Bakker"
            in cli.out)


@pytest.mark.skipif(find_libreoffice() is None,
                    reason="LibreOffice is not installed here (Debian: "
                           "libreoffice-writer-nogui; `make system-packages` installs it)")
def test_libreoffice_renders_what_is_signed(cli: Cli, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAAF_RENDERER", "libreoffice")
    dossier = _signed_dossier(cli, tmp_path, _decision_docx())
    (signed,) = cli.json("dossier", "show", dossier)["signatures"]
    assert (signed["state"], signed["level"]) == ("valid", "PAdES-B-LTA")
    pdf = (cli.data / "documents" / dossier / SIGNED).read_bytes()
    assert b"pdfaid:part" in pdf  # LibreOffice's PDF/A-2b, signed by incremental updates
    # a partial structural check of PDF/A-2b (signing/pdfa.py), not veraPDF
    assert pdfa_2b_problems(pdf) == []


def test_validsign_from_the_command_line_and_paraaf_tick(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without callbacks (paraaf serve is not running), `paraaf tick` finds what ValidSign
    says of the open packages and records it once."""
    with validsign_in_thread() as validsign:
        for name, value in (("PROVIDER", "validsign"), ("URL", validsign.url),
                            ("API_KEY", validsign.api_key),
                            ("CALLBACK_KEY", validsign.callback_key)):
            monkeypatch.setenv(f"PARAAF_{'SIGNING' if name == 'PROVIDER' else 'VALIDSIGN'}_"
                               f"{name}", value)
        monkeypatch.setenv("PARAAF_VALIDSIGN_ANCHOR", "Besluit over")
        flow = tmp_path / "raadsbesluit.yaml"
        flow.write_text(SIGN_FLOW, "utf-8")
        assert cli("flow", "publish", str(flow)) == 0, cli.err
        dossier = str(cli.json("dossier", "start", "--flow", "raadsbesluit", "--as", INITIATOR,
                               "--title", "Verordening speeltuinen",
                               "--field", "onderwerp=Speeltuinen")["id"])
        path = tmp_path / "besluit.docx"
        path.write_bytes(_decision_docx())
        assert cli("dossier", "attach", dossier, "--as", INITIATOR, str(path)) == 0, cli.err
        assert cli("dossier", "act", dossier, "--as", MAYOR, "--action", "sign") == 0, cli.err
        assert cli("dossier", "show", dossier) == 0, cli.err
        assert "sent besluit - ondertekend.pdf to ValidSign to be signed" in cli.out
        assert cli("dossier", "act", dossier, "--as", MAYOR, "--action", "sign") != 0
        assert "is with ValidSign to be signed" in cli.err + cli.out
        [package] = validsign.packages
        assert cli.json("tick")["signing"] == {"checked": 1, "settled": 0}  # still out
        validsign.run(validsign.sign(package))
        assert cli.json("tick")["signing"] == {"checked": 1, "settled": 1}
        assert cli.json("tick")["signing"] == {"checked": 0, "settled": 0}
        assert cli("dossier", "show", dossier) == 0, cli.err
        assert "Marieke Jansen signed besluit - ondertekend.pdf (v1, PAdES) digitally" in cli.out
        # ValidSign's CA is not among the roots this installation trusts (see the README)
        assert "signed with a certificate that is NOT TRUSTED" in cli.out
        foreign = tmp_path / "foreign.pem"
        foreign.write_bytes(DemoPki.create(name="Foreign CA").ca.cert.public_bytes(
            serialization.Encoding.PEM))
        monkeypatch.setenv("PARAAF_SIGNING_TRUST_ROOTS", str(foreign))
        assert cli("dossier", "show", dossier) == 0, cli.err
        assert "signed with a certificate that is NOT TRUSTED" in cli.out  # another root
        roots = tmp_path / "roots.pem"  # ValidSign's root besides another: now it is trusted
        roots.write_bytes(foreign.read_bytes() + validsign_root_pem())
        monkeypatch.setenv("PARAAF_SIGNING_TRUST_ROOTS", str(roots))
        assert cli("dossier", "show", dossier) == 0, cli.err
        assert "NOT TRUSTED" not in cli.out
        assert f"{SIGNED}: valid" in cli.out, cli.out
