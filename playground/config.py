"""The Agents Playground's configuration, built from our demo directory.

The Playground (npm ``@microsoft/m365agentsplayground`` 0.2.28) reads one YAML file (JSON is
valid YAML) named by ``M365_AGENTS_PLAYGROUND_CONFIG_PATH``. Its schema (``config.schema.json``
0.1.1, bundled in the package) and its own checks ask for:

- ``version`` "0.1.0" or "0.1.1", ``tenantId``;
- ``bot``: ``id``, ``name`` (at most 42 characters);
- ``currentUser`` plus exactly 5 ``users``, each with exactly ``id``, ``name``,
  ``userPrincipleName`` (their spelling), ``aadObjectId``, ``givenName``, ``surname``,
  ``email``; user ids unique;
- ``personalChat.id``, ``groupChat`` (``id``, ``name``), ``team`` (``id``, ``name``,
  ``aadGroupId``, ``channels``: at most one besides General); these ids unique.

No extra properties are allowed anywhere. A user's ``id`` (the Bot Framework channel account id)
is set to their Entra object id: a bot that opens a 1:1 chat names the member by that id, and
the Playground puts exactly that id into the new chat, so later messages and card clicks of the
user are accepted there.

Everything here is pure: ``build_config`` maps a parsed directory document to the config.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

SCHEMA_VERSION = "0.1.1"
USER_COUNT = 6  # the current user plus exactly five others
BOT_NAME_MAX = 42
NAME_MAX = 256

# The collegevoorstel cast: the initiator first (the Playground's current user), then the
# advisors and approvers of a college proposal.
COLLEGEVOORSTEL_CAST: tuple[str, ...] = (
    "t.dejong",
    "e.vanleeuwen",
    "f.meijer",
    "h.vandijk",
    "r.bakker",
    "w.vandenberg",
)

# Fixed, made-up ids for the local stand-in (valid GUIDs; the package's defaults are not).
BOT_ID = "7d3c1f0e-5b2a-4c8e-9f61-0a4b2c6d8e13"
BOT_NAME = "paraaf"
TEAM_AAD_GROUP_ID = "b6f1c2d3-8e4a-4f5b-9c6d-1e2f3a4b5c6d"
GROUP_CHAT_ID = "19:paraaf-playground-groupchat@thread.v2"
GROUP_CHAT_NAME = "Collegevoorstel"
TEAM_ID = "19:paraaf-playground-general@thread.tacv2"
TEAM_NAME = "Voorbeeldstad"
DEMO_DIRECTORY = Path(__file__).resolve().parent.parent / "local" / "demo" / "directory.yaml"


def read_directory(path: Path = DEMO_DIRECTORY) -> dict[str, Any]:
    """The parsed directory file (``local/demo/directory.yaml`` format)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a directory document")
    return document


def personal_chat_id(oid: str) -> str:
    """The current user's 1:1 chat with the bot (stable, so a restart finds the same chat)."""
    return f"a:paraaf-playground-personal-{oid}"


def find_user(directory: Mapping[str, Any], who: str) -> dict[str, Any]:
    """A directory user by UPN, by the UPN's part before ``@`` (``t.dejong``) or by object id."""
    key = who.strip().casefold()
    found = [
        user for user in directory.get("users") or []
        if key in (str(user.get("upn", "")).casefold(),
                   str(user.get("upn", "")).split("@")[0].casefold(),
                   str(user.get("oid", "")).casefold())
    ]
    if len(found) != 1:
        raise ValueError(f"{who!r} names {len(found)} directory users, not one")
    return dict(found[0])


def playground_user(user: Mapping[str, Any]) -> dict[str, str]:
    """One directory user in the Playground's user shape (the seven fields, nothing else)."""
    oid, upn, name = str(user["oid"]), str(user["upn"]), str(user["name"]).strip()
    if not name or len(name) > NAME_MAX:
        raise ValueError(f"{upn}: a display name of 1..{NAME_MAX} characters is needed")
    given, _, surname = name.partition(" ")
    return {
        "id": oid,
        "name": name,
        "userPrincipleName": upn,  # sic: the Playground's spelling
        "aadObjectId": oid,
        "givenName": given,
        "surname": surname or given,
        "email": str(user.get("mail") or upn),
    }


def build_config(
    directory: Mapping[str, Any],
    cast: Sequence[str] = COLLEGEVOORSTEL_CAST,
    *,
    bot_id: str = BOT_ID,
    bot_name: str = BOT_NAME,
) -> dict[str, Any]:
    """The Playground config: ``cast[0]`` is the current user, the other five its ``users``."""
    if len(cast) != USER_COUNT:
        raise ValueError(f"the Playground needs exactly {USER_COUNT} users, got {len(cast)}")
    if not 0 < len(bot_name) <= BOT_NAME_MAX:
        raise ValueError(f"the bot name must have 1..{BOT_NAME_MAX} characters")
    users = [playground_user(find_user(directory, who)) for who in cast]
    if len({user["id"] for user in users}) != USER_COUNT:
        raise ValueError(f"the cast names a user twice: {list(cast)}")
    me = users[0]
    return {
        "version": SCHEMA_VERSION,
        "tenantId": str(directory["tenant"]),
        "bot": {"id": bot_id, "name": bot_name},
        "currentUser": me,
        "users": users[1:],
        "personalChat": {"id": personal_chat_id(me["aadObjectId"])},
        "groupChat": {"id": GROUP_CHAT_ID, "name": GROUP_CHAT_NAME},
        "team": {
            "id": TEAM_ID,
            "name": TEAM_NAME,
            "aadGroupId": TEAM_AAD_GROUP_ID,
            "channels": [],
        },
    }


def dump(config: Mapping[str, Any]) -> str:
    """The config file's text (JSON, which the Playground reads as YAML)."""
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"
