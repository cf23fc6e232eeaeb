"""The flow designer's picker over the demo directory: people, groups and roles by a part of
their name, UPN or id (approvals.ports.DirectorySearch)."""

from __future__ import annotations

from approvals.ports import DirectoryEntry, DirectorySearch
from local.directory import YamlDirectory
from tests.unit.test_local_directory import DEMO


async def test_people_groups_and_roles_are_found_by_part_of_a_name_people_first() -> None:
    directory = YamlDirectory.from_file(DEMO)
    assert isinstance(directory, DirectorySearch)
    found = await directory.search("e", 100)
    kinds = [e.kind for e in found]
    assert kinds == sorted(kinds, key=["user", "group", "role"].index)
    assert set(kinds) == {"user", "group", "role"}
    found = await directory.search("jur", 50)
    assert DirectoryEntry("group", "juristen", "Juridische Zaken", "juristen") in found
    found = await directory.search("leeuw", 50)
    assert [(e.kind, e.value) for e in found] == [("user", "e.vanleeuwen@voorbeeldstad.nl")]


async def test_case_and_the_upn_count_and_the_limit_holds() -> None:
    directory = YamlDirectory.from_file(DEMO)
    by_upn = await directory.search("H.VANDIJK@", 10)
    assert [(e.kind, e.value, e.name) for e in by_upn] == [
        ("user", "h.vandijk@voorbeeldstad.nl", "Hanneke van Dijk")]
    assert "Ruimtelijke Ontwikkeling" in by_upn[0].detail
    assert [e.value for e in await directory.search("COLL", 10)] == ["college"]
    assert len(await directory.search("", 5)) == 5
    assert await directory.search("niemand-heet-zo", 10) == []
