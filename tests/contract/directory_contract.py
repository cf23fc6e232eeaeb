"""What every Directory promises, checked on the canonical data of ``directory_fixture.yaml``.

A backend subclasses :class:`DirectoryContract` and implements ``make_directory``, loading
(or seeding its fake server from) ``FIXTURE``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from approvals.ports import Directory

FIXTURE = Path(__file__).with_name("directory_fixture.yaml")
DATA = yaml.safe_load(FIXTURE.read_text("utf-8"))
TENANT = DATA["tenant"]
OID = {u["upn"]: u["oid"] for u in DATA["users"]}

TIM, SARA, HENK, DIRK = (OID[f"{n}@contractstad.nl"]
                         for n in ("t.groen", "s.blom", "h.kramer", "d.prins"))
ANS, BURAK, FLOOR, BEA = (OID[f"{n}@contractstad.nl"]
                          for n in ("a.claes", "b.aydin", "f.vermeulen", "beheer"))
GUEST_UPN = "e.dewit_ketenpartner.nl#EXT#@contractstad.onmicrosoft.com"
EVI = OID[GUEST_UPN]


class DirectoryContract:
    async def make_directory(self, fixture: Path) -> Directory:
        raise NotImplementedError

    @pytest.fixture
    async def directory(self) -> Directory:
        return await self.make_directory(FIXTURE)

    @pytest.mark.parametrize("key", [
        TIM, TIM.upper(), "t.groen@contractstad.nl", "  T.Groen@ContractStad.NL ",
    ])
    async def test_a_user_is_found_by_oid_or_upn(self, directory: Directory, key: str) -> None:
        person = await directory.user(key)
        assert person is not None
        assert (person.oid, person.upn, person.name, person.tenant) == (
            TIM, "t.groen@contractstad.nl", "Tim Groen", TENANT)

    @pytest.mark.parametrize("key", [GUEST_UPN, GUEST_UPN.upper(), "e.dewit@ketenpartner.nl",
                                     " E.deWit@Ketenpartner.nl"])
    async def test_a_guest_is_found_by_upn_or_mail(self, directory: Directory, key: str) -> None:
        person = await directory.user(key)
        assert person is not None and (person.oid, person.name) == (EVI,
                                                                    "Evi de Wit (Ketenpartner)")

    @pytest.mark.parametrize("key", ["", "   ", "onbekend@contractstad.nl",
                                     "00000000-0000-0000-0000-000000000000", "Tim Groen"])
    async def test_an_unknown_user_is_none(self, directory: Directory, key: str) -> None:
        assert await directory.user(key) is None

    async def test_the_manager_chain(self, directory: Directory) -> None:
        chain = []
        current = await directory.user(TIM)
        while current is not None:
            current = await directory.manager(current.oid)
            if current is not None:
                chain.append(current.oid)
        assert chain == [SARA, HENK, DIRK]

    async def test_no_manager(self, directory: Directory) -> None:
        assert await directory.manager(DIRK) is None
        assert await directory.manager(EVI) is None
        assert await directory.manager("00000000-0000-0000-0000-000000000000") is None

    async def test_group_members_are_transitive_unique_and_by_name(
        self, directory: Directory
    ) -> None:
        members = await directory.group_members("adviseurs")
        assert [p.oid for p in members] == [ANS, BURAK, EVI, FLOOR]
        assert all(p.tenant == TENANT for p in members)
        assert [p.oid for p in await directory.group_members("juristen")] == [ANS, BURAK, EVI]
        assert [p.oid for p in await directory.group_members("extern")] == [EVI]

    async def test_empty_and_unknown_groups_have_no_members(self, directory: Directory) -> None:
        assert list(await directory.group_members("leeg")) == []
        assert list(await directory.group_members("bestaat-niet")) == []

    async def test_role_members(self, directory: Directory) -> None:
        assert [p.oid for p in await directory.role_members("directeur")] == [DIRK]
        assert [p.oid for p in await directory.role_members("afdelingshoofd")] == [HENK]
        assert list(await directory.role_members("wethouder")) == []

    async def test_only_the_beheerder_is_admin(self, directory: Directory) -> None:
        assert await directory.is_admin(BEA) is True
        for oid in (TIM, DIRK, EVI, "00000000-0000-0000-0000-000000000000"):
            assert await directory.is_admin(oid) is False

    async def test_the_beheerders_are_listed(self, directory: Directory) -> None:
        assert [p.oid for p in await directory.list_admins()] == [BEA]

    async def test_only_the_b2b_guest_is_a_guest(self, directory: Directory) -> None:
        assert await directory.is_guest(EVI) is True
        for oid in (TIM, DIRK, BEA, "00000000-0000-0000-0000-000000000000"):
            assert await directory.is_guest(oid) is False
