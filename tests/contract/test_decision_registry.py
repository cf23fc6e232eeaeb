"""What every DecisionRegistry promises: a decision registered once is found by its
identificatie, registering it again makes nothing twice, and a decision the register cannot
take (an RSIN that fails the elfproef, a date after today) is refused before anything is
sent.

Run against the fake and the ZGW adapter of ``signing/`` (:class:`signing.zgw.ZgwRegistry`)
on the stand-in of an Open Zaak-compatible Besluiten and Documenten API, whose every request
and answer is checked against the official specs. The adapter's own promises (a fresh JWT
per call, the order of the calls, a dropped connection) follow in its own class.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import pytest_asyncio

from approvals.identity import Person
from approvals.signatures import DecisionRecord, DecisionRegistry, sha256_hex
from approvals.zgw import ZgwOrganisation, ZgwRefused
from signing.zgw import ZgwRegistry, ZgwSettings, ZgwUnavailable
from tests.support.fakes import InMemoryDecisionRegistry
from tests.support.zgw.server import ZgwStandIn

RSIN = "002220647"
BAD_RSIN = "002220648"  # one digit off: fails the elfproef
BESLUITTYPE = "https://catalogi.example/catalogi/api/v1/besluittypen/7c1a"
IOTYPE = "https://catalogi.example/catalogi/api/v1/informatieobjecttypen/3f2b"
TODAY = date(2026, 12, 3)
WILLEM = Person("oid-w", "w.vandenberg@voorbeeldstad.nl", "Willem van den Berg")
PDF = b"%PDF-1.7\n% het besluit\n"


def decision(identificatie: str = "DOS-7", **changes: object) -> DecisionRecord:
    values: dict[str, object] = dict(
        dossier_id=identificatie, identificatie=identificatie, title="Subsidie buurthuis",
        text="Het college kent de subsidie toe.", decided_on="2026-12-01", decided_by=WILLEM,
        document_name="besluit.pdf", document=PDF, signers=(WILLEM,), signed_on="2026-12-02")
    values.update(changes)
    return DecisionRecord(**values)  # type: ignore[arg-type]


def organisation(rsin: str = RSIN) -> ZgwOrganisation:
    return ZgwOrganisation(rsin, BESLUITTYPE, IOTYPE)


class DecisionRegistryContract:
    async def make_registry(self, rsin: str = RSIN) -> DecisionRegistry:
        raise NotImplementedError

    def sent(self) -> int:
        """How many requests reached the register."""
        raise NotImplementedError

    async def test_a_registered_decision_is_found_by_its_identificatie(self) -> None:
        registry = await self.make_registry()
        entry = await registry.register(decision())
        assert entry.identificatie == "DOS-7" and entry.url and entry.document_url
        assert await registry.entry("DOS-7") == entry

    async def test_a_decision_not_registered_has_no_entry(self) -> None:
        registry = await self.make_registry()
        await registry.register(decision("DOS-1"))
        assert await registry.entry("DOS-2") is None

    async def test_registering_again_makes_nothing_twice(self) -> None:
        registry = await self.make_registry()
        first = await registry.register(decision())
        assert await registry.register(decision()) == first

    async def test_two_decisions_are_two_entries(self) -> None:
        registry = await self.make_registry()
        one, two = await registry.register(decision("DOS-1")), await registry.register(
            decision("DOS-2"))
        assert one.url != two.url and one.document_url != two.document_url

    async def test_an_rsin_that_fails_the_elfproef_is_refused_and_nothing_sent(self) -> None:
        registry = await self.make_registry(BAD_RSIN)
        with pytest.raises(ZgwRefused) as caught:
            await registry.register(decision())
        assert caught.value.refusal == "zgw_rsin_elfproef" and BAD_RSIN in caught.value.message
        assert self.sent() == 0

    @pytest.mark.parametrize("changes", [{"decided_on": "2026-12-04"},
                                         {"signed_on": "2026-12-04"}])
    async def test_a_date_after_today_is_refused_and_nothing_sent(
            self, changes: dict[str, str]) -> None:
        registry = await self.make_registry()
        with pytest.raises(ZgwRefused) as caught:
            await registry.register(decision(**changes))
        assert caught.value.refusal == "zgw_date_in_future"
        assert self.sent() == 0


class TestInMemoryDecisionRegistry(DecisionRegistryContract):
    async def make_registry(self, rsin: str = RSIN) -> DecisionRegistry:
        self.fake = InMemoryDecisionRegistry(organisation(rsin), TODAY)
        return self.fake

    def sent(self) -> int:
        return self.fake.sent


CLIENT_ID, SECRET = "paraaf-test", "een-geheim-van-minstens-32-tekens!"


@pytest_asyncio.fixture
async def stand_in() -> AsyncIterator[ZgwStandIn]:
    server = ZgwStandIn(clients={CLIENT_ID: SECRET}, besluittypen={BESLUITTYPE},
                        informatieobjecttypen={IOTYPE}, today=TODAY)
    await server.start()
    yield server
    await server.stop()
    assert server.spec_errors == []  # every request and answer fits the official specs


def settings_for(server: ZgwStandIn, rsin: str = RSIN, secret: str = SECRET,
                 besluittype: str = BESLUITTYPE) -> ZgwSettings:
    return ZgwSettings(besluiten_url=server.besluiten_url,
                       documenten_url=server.documenten_url, client_id=CLIENT_ID,
                       secret=secret, organisation=ZgwOrganisation(rsin, besluittype, IOTYPE),
                       user_id="paraaf", user_representation="paraaf (besluitenregister)")


class TestZgwRegistry(DecisionRegistryContract):
    @pytest.fixture(autouse=True)
    def _server(self, stand_in: ZgwStandIn) -> None:
        self.server = stand_in

    @pytest_asyncio.fixture(autouse=True)
    async def _closing(self) -> AsyncIterator[None]:
        self.registries: list[ZgwRegistry] = []
        yield
        for registry in self.registries:
            await registry.close()

    async def make_registry(self, rsin: str = RSIN, **changes: str) -> ZgwRegistry:
        registry = ZgwRegistry(settings_for(self.server, rsin, **changes),
                               today=lambda: TODAY)
        self.registries.append(registry)
        return registry

    def sent(self) -> int:
        return self.server.requests

    # --- the adapter's own promises ---------------------------------------------------------

    async def test_the_three_objects_are_made_in_order_and_linked(self) -> None:
        entry = await (await self.make_registry()).register(decision())
        posts = [e.path.rsplit("/", 1)[-1] for e in self.server.exchanges if e.method == "POST"]
        assert posts == ["enkelvoudiginformatieobjecten", "besluiten",
                         "besluitinformatieobjecten"]
        (besluit,) = self.server.besluiten.values()
        (document,) = self.server.documenten.values()
        (link,) = self.server.links.values()
        assert besluit["url"] == entry.url and document["url"] == entry.document_url
        assert (link["besluit"], link["informatieobject"]) == (entry.url, entry.document_url)
        assert besluit["verantwoordelijkeOrganisatie"] == RSIN and besluit["datum"] == \
            "2026-12-01"
        assert document["ondertekening"] == {"soort": "pki", "datum": "2026-12-02"}
        assert document["integriteit"]["waarde"] == sha256_hex(PDF)
        assert self.server.contents[entry.document_url.rsplit("/", 1)[-1]] == PDF

    async def test_every_call_carries_a_fresh_token_with_the_zgw_claims(self) -> None:
        await (await self.make_registry()).register(decision())
        assert len(self.server.tokens) == self.server.requests >= 6
        for claims in self.server.tokens:
            assert claims["iss"] == claims["client_id"] == CLIENT_ID
            assert claims["user_id"] == "paraaf" and isinstance(claims["iat"], int)
            assert claims["user_representation"] == "paraaf (besluitenregister)"

    async def test_the_secret_stays_out_of_sight(self) -> None:
        registry = await self.make_registry()
        assert SECRET not in repr(registry.settings)

    async def test_a_wrong_secret_is_turned_away_and_nothing_is_made(self) -> None:
        registry = await self.make_registry(secret="niet-het-geheim-" + "y" * 20)
        with pytest.raises(ZgwUnavailable, match="401"):
            await registry.register(decision())
        assert self.server.besluiten == {} and self.server.documenten == {}

    async def test_an_unknown_besluittype_is_the_registers_refusal_with_its_reason(
            self) -> None:
        registry = await self.make_registry(besluittype=BESLUITTYPE + "-onbekend")
        with pytest.raises(ZgwRefused) as caught:
            await registry.register(decision())
        assert caught.value.refusal == "zgw_register_refused"
        assert "besluittype" in caught.value.message and self.server.besluiten == {}

    @pytest.mark.parametrize("dropped", ["documenten", "besluiten", "links"])
    async def test_a_connection_dropped_after_the_server_acted_makes_nothing_twice(
            self, dropped: str) -> None:
        registry = await self.make_registry()
        self.server.drop_after.add(dropped)
        with pytest.raises(ZgwUnavailable):
            await registry.register(decision())
        entry = await registry.register(decision())  # the outbox tries it again later
        assert len(self.server.besluiten) == len(self.server.documenten) == 1
        assert len(self.server.links) == 1
        assert await registry.entry("DOS-7") == entry

    async def test_a_read_the_server_fails_is_tried_again_at_once(self) -> None:
        self.server.failing_reads = 2
        entry = await (await self.make_registry()).register(decision())
        assert entry.url and [e.status for e in self.server.exchanges][:3] == [500, 500, 200]

    async def test_a_server_that_keeps_failing_leaves_it_for_later(self) -> None:
        self.server.failing_reads = 3
        with pytest.raises(ZgwUnavailable, match="500"):
            await (await self.make_registry()).register(decision())
        assert self.server.documenten == {}

    async def test_the_stand_in_keeps_identificatie_unique_per_organisation(self) -> None:
        registry = await self.make_registry()
        zgw_body = {"identificatie": "DOS-9", "verantwoordelijkeOrganisatie": RSIN,
                    "besluittype": BESLUITTYPE, "datum": "2026-12-01",
                    "ingangsdatum": "2026-12-01"}
        url = self.server.besluiten_url + "/besluiten"
        await registry._post(url, zgw_body, "DOS-9")
        with pytest.raises(ZgwRefused, match="identificatie"):
            await registry._post(url, zgw_body, "DOS-9")

    async def test_the_stand_in_refuses_a_future_datum_itself(self) -> None:
        registry = await self.make_registry()
        body = {"verantwoordelijkeOrganisatie": RSIN, "besluittype": BESLUITTYPE,
                "datum": (TODAY + timedelta(days=1)).isoformat(),
                "ingangsdatum": TODAY.isoformat()}
        with pytest.raises(ZgwRefused, match="datum"):
            await registry._post(self.server.besluiten_url + "/besluiten", body, "DOS-10")

    async def test_the_stand_in_turns_away_a_request_without_a_token(self) -> None:
        import aiohttp

        async with aiohttp.ClientSession() as session, session.get(
                self.server.besluiten_url + "/besluiten") as response:
            assert response.status == 401
            assert (await response.json(content_type=None))["code"] == "not_authenticated"

