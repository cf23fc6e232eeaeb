"""The YAML demo directory: the shipped file loads, and a broken file says where it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.directory import YamlDirectory

DEMO = Path(__file__).resolve().parents[2] / "local" / "demo" / "directory.yaml"

GOOD = """\
tenant: 6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c
users:
  - oid: b122dc57-2159-4115-aa63-b06de8ea7c95
    upn: t.groen@contractstad.nl
    name: Tim Groen
    manager: s.blom@contractstad.nl
  - oid: b1e026a2-e4e6-4089-b6ff-e012f1e6a533
    upn: s.blom@contractstad.nl
    name: Sara Blom
    mail: sara.blom@contractstad.nl
    locale: en-US
groups:
  - id: a
    name: Groep A
    members: [t.groen@contractstad.nl]
    groups: [b]
  - id: b
    name: Groep B
    members: [s.blom@contractstad.nl]
    groups: [a]
"""


def test_the_demo_directory_loads() -> None:
    directory = YamlDirectory.from_file(DEMO)
    assert len(directory.users()) >= 20
    assert directory.groups()
    admins = [u for u in directory.users() if (p := directory.profile(u.oid)) and p.admin]
    assert admins, "the demo needs a beheerder"
    assert all(u.tenant == directory.tenant for u in directory.users())


async def test_nested_groups_may_form_a_cycle() -> None:
    directory = YamlDirectory.from_text(GOOD)
    assert [p.name for p in await directory.group_members("a")] == ["Sara Blom", "Tim Groen"]
    assert [p.name for p in await directory.group_members("b")] == ["Sara Blom", "Tim Groen"]


def test_profile_locale_and_the_file_order() -> None:
    directory = YamlDirectory.from_text(GOOD)
    assert [p.name for p in directory.users()] == ["Tim Groen", "Sara Blom"]
    sara = directory.profile(" SARA.BLOM@contractstad.nl")
    assert sara is not None and sara.person.upn == "s.blom@contractstad.nl"
    assert directory.locale(sara.person.oid) == "en-US"
    assert directory.locale("b122dc57-2159-4115-aa63-b06de8ea7c95") == "nl-NL"
    assert directory.locale("onbekend") == "nl-NL"
    assert [g.id for g in directory.groups()] == ["a", "b"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("manager: s.blom@contractstad.nl", "manager: niemand@contractstad.nl",
         ":6: users[0].manager: unknown manager 'niemand@contractstad.nl'"),
        ("b1e026a2-e4e6-4089-b6ff-e012f1e6a533", "b122dc57-2159-4115-aa63-b06de8ea7c95",
         ":7: users[1].oid: oid 'b122dc57-2159-4115-aa63-b06de8ea7c95' is already used by "
         "users[0]"),
        ("upn: s.blom@contractstad.nl", "upn: T.Groen@contractstad.nl",
         ":8: users[1].upn: upn 'T.Groen@contractstad.nl' is already used by users[0]"),
        ("oid: b122dc57-2159-4115-aa63-b06de8ea7c95", "oid: tim",
         ":3: users[0].oid: oid 'tim' is not a GUID"),
        ("    mail: sara.blom@contractstad.nl",
         "    manager: t.groen@contractstad.nl",
         ":6: users[0].manager: manager cycle: t.groen@contractstad.nl -> "
         "s.blom@contractstad.nl -> t.groen@contractstad.nl"),
        ("members: [s.blom@contractstad.nl]", "members: [x@contractstad.nl]",
         ":19: groups[1].members: unknown member 'x@contractstad.nl'"),
        ("groups: [a]", "groups: [c]", ":20: groups[1].groups: unknown nested group 'c'"),
        ("tenant: 6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c", "tenant: voorbeeldstad",
         ":1: tenant: 'tenant' must be a GUID"),
        ("    name: Tim Groen\n", "", ":3: users[0].name: 'name' must be non-empty text"),
        ("    locale: en-US", "    admin: ja",
         ":11: users[1].admin: 'admin' must be true or false"),
        ("  - id: b\n", "  - id: a\n", ":17: groups[1].id: group id 'a' is used twice"),
    ],
)
def test_a_broken_directory_names_the_line(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(ValueError) as raised:
        YamlDirectory.from_text(GOOD.replace(old, new, 1), "directory.yaml")
    assert str(raised.value) == f"directory.yaml{message}"


def test_an_unknown_manager_further_down_the_file_is_named() -> None:
    text = GOOD.replace("    mail: sara.blom@contractstad.nl", "    manager: x@contractstad.nl")
    with pytest.raises(ValueError, match=r":10: users\[1\].manager: unknown manager 'x@"):
        YamlDirectory.from_text(text)


def test_a_manager_of_oneself_is_a_cycle() -> None:
    text = GOOD.replace("manager: s.blom@contractstad.nl", "manager: t.groen@contractstad.nl")
    with pytest.raises(ValueError, match="manager cycle"):
        YamlDirectory.from_text(text)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "tenant: [\n", "users: 3\n"])
def test_a_file_that_is_no_directory_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="<directory>"):
        YamlDirectory.from_text(text)
