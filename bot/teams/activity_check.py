"""Reading an activity from an HTTP body: size, JSON nesting and the envelope's shape.

Everything an SDK or the bot reads from the envelope is checked here first, so a malformed
activity is answered 400 with a short reason instead of failing somewhere inside a turn.
Fields that are not listed pass through as they are (Teams adds fields over time); ``value``
is free-form (the card's data is checked where it is used) but bounded by the nesting limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

MAX_BODY = 256 * 1024
MAX_DEPTH = 32


class BadActivity(Exception):
    """The request body is not an activity we can read; ``status`` 400, 413 or 415."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(raw: bytes) -> Any:
    """The JSON document in ``raw``, nested at most ``MAX_DEPTH`` deep, or BadActivity."""
    if len(raw) > MAX_BODY:
        raise BadActivity(f"the body is larger than {MAX_BODY} bytes", 413)
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise BadActivity("the body is nested too deeply") from None
    except ValueError:  # includes UnicodeDecodeError
        raise BadActivity("the body is not JSON") from None
    if _depth(body) > MAX_DEPTH:
        raise BadActivity(f"the body is nested deeper than {MAX_DEPTH} levels")
    return body


def _depth(document: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:  # deeper is refused anyway: stop counting there
                stack.extend((child, depth + 1) for child in node)
    return deepest


# ---------------------------------------------------------------- the envelope's shape

Check = Callable[[str, Any], None]


def _text(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise BadActivity(f"{name} must be a string")


def _flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise BadActivity(f"{name} must be true or false")


def _time(name: str, value: Any) -> None:
    _text(name, value)
    try:
        if "T" not in value.upper():  # a date alone is not a moment
            raise ValueError(value)
        datetime.fromisoformat(value)
    except ValueError:
        raise BadActivity(f"{name} must be an ISO 8601 date and time") from None


def _object(**fields: Check) -> Check:
    """A JSON object whose listed fields, when present and not null, pass their checks."""
    def check(name: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise BadActivity(f"{name} must be an object")
        for key, field_check in fields.items():
            if value.get(key) is not None:
                field_check(f"{name}.{key}", value[key])
    return check


def _list(item: Check) -> Check:
    def check(name: str, value: Any) -> None:
        if not isinstance(value, list):
            raise BadActivity(f"{name} must be a list")
        for index, entry in enumerate(value):
            item(f"{name}[{index}]", entry)
    return check


def _required(check: Check, *keys: str) -> Check:
    def wrapped(name: str, value: Any) -> None:
        check(name, value)
        for key in keys:
            if not isinstance(value.get(key), str) or not value[key]:
                raise BadActivity(f"{name}.{key} is required")
    return wrapped


_ACCOUNT = _object(id=_text, name=_text, aadObjectId=_text, role=_text)
_CONVERSATION = _object(id=_text, name=_text, conversationType=_text, tenantId=_text,
                        isGroup=_flag, aadObjectId=_text, role=_text)
_WITH_ID = _object(id=_text, name=_text, aadGroupId=_text, type=_text)
ENVELOPE: dict[str, Check] = {
    "type": _text, "id": _text, "channelId": _text, "serviceUrl": _text,
    "timestamp": _time, "localTimestamp": _time, "expiration": _time,
    "localTimezone": _text, "locale": _text, "text": _text, "textFormat": _text,
    "speak": _text, "inputHint": _text, "summary": _text, "name": _text,
    "replyToId": _text, "action": _text, "topicName": _text, "label": _text,
    "valueType": _text, "importance": _text, "deliveryMode": _text, "callerId": _text,
    "attachmentLayout": _text, "historyDisclosed": _flag,
    "from": _ACCOUNT, "recipient": _ACCOUNT,
    "conversation": _required(_CONVERSATION, "id"),
    "membersAdded": _list(_ACCOUNT), "membersRemoved": _list(_ACCOUNT),
    "reactionsAdded": _list(_object(type=_text)), "reactionsRemoved": _list(_object(type=_text)),
    "entities": _list(_object(type=_text)),
    "attachments": _list(_object(contentType=_text, contentUrl=_text, name=_text,
                                 thumbnailUrl=_text)),
    "channelData": _object(tenant=_object(id=_text), team=_WITH_ID, channel=_WITH_ID,
                           eventType=_text, settings=_object(), notification=_object(),
                           meeting=_object(id=_text), onBehalfOf=_list(_object())),
    "relatesTo": _object(activityId=_text, channelId=_text, serviceUrl=_text,
                         user=_ACCOUNT, bot=_ACCOUNT, conversation=_CONVERSATION),
    "suggestedActions": _object(to=_list(_text), actions=_list(_object())),
    "textHighlights": _list(_object(text=_text)),
    "listenFor": _list(_text),
    "semanticAction": _object(id=_text, state=_text, entities=_object()),
}
REQUIRED = ("type", "channelId", "serviceUrl", "conversation")


def check_envelope(body: Any) -> dict[str, Any]:
    """``body`` if it is a readable activity, else BadActivity naming the first problem."""
    if not isinstance(body, dict):
        raise BadActivity("the body is not an activity (a JSON object)")
    for name in REQUIRED:
        if body.get(name) is None or body.get(name) == "":
            raise BadActivity(f"{name} is required")
    for name, check in ENVELOPE.items():
        if body.get(name) is not None:
            check(name, body[name])
    return body
