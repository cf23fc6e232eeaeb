"""A card's decision links its entry in the decision register once it is registered, in the
reader's language; an address that is not http(s) stays plain text."""

from __future__ import annotations

from dataclasses import replace

from approvals import event_payloads as ev
from approvals.dossier import Decision, DossierState
from approvals.identity import Person
from cards.dossier_view import LEVELS, decision_block
from cards.strings.catalog import Strings
from cards.strings.en import EN
from cards.strings.nl import NL

WILLEM = Person("oid-w", "w.vandenberg@voorbeeldstad.nl", "Willem van den Berg")
URL = "https://oz.example/besluiten/api/v1/besluiten/4b1c"
STATE = DossierState(
    id="D-7", flow_id="besluit", flow_version=1, title="Subsidie", fields={}, initiator=WILLEM,
    created_at="2026-12-01T08:00:00Z", updated_at="2026-12-01T09:00:00Z",
    decision=Decision("besluit", "Toegekend.", WILLEM, None, "2026-12-01T09:00:00Z"))


def _texts(state: DossierState, strings: Strings) -> list[str]:
    return [str(b.get("text", "")) for b in decision_block(state, strings, LEVELS[-1])]


def _registered(url: str) -> DossierState:
    return replace(STATE, registered=ev.DecisionRegistered(
        register="zgw", identificatie="D-7", url=url, document_url=""))


def test_an_unregistered_decision_has_no_link() -> None:
    assert not any("besluitenregister" in t for t in _texts(STATE, NL))


def test_a_registered_decision_links_its_entry() -> None:
    assert f"[In het besluitenregister als D-7]({URL})" in _texts(_registered(URL), NL)
    assert f"[In the decision register as D-7]({URL})" in _texts(_registered(URL), EN)


def test_an_address_that_is_not_http_is_not_a_link() -> None:
    texts = _texts(_registered("javascript:alert(1)"), NL)
    assert "In het besluitenregister als D-7" in texts
    assert not any("javascript" in t for t in texts)
