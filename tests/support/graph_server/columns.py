"""Column definitions: SharePoint's built-in columns, creating and changing custom ones, and
turning field values to and from JSON the way Graph does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.support.graph_server.model import Column, Ids
from tests.support.graph_server.protocol import GraphError, bad_request, iso

TYPES = ("text", "number", "dateTime", "boolean", "choice")
NUMBER_FACET = {
    "decimalPlaces": "automatic",
    "displayAs": "number",
    "maximum": 1.7976931348623157e308,
    "minimum": -1.7976931348623157e308,
}
_INVALID_NAME = re.compile(r"[^A-Za-z0-9_ ]")

# (internal name, fixed id, display name, kind, facet, read only, group)
_BUILT_IN: list[tuple[str, str, str, str, dict[str, Any], bool, str]] = [
    ("ContentType", "c042a256-787d-4a6f-8a8a-cf6ab767f12d", "Content Type", "system", {}, False,
     "_Hidden"),
    ("Modified", "28cf69c5-fa48-462a-b5cd-27b6f9d2bd5f", "Modified", "dateTime",
     {"displayAs": "standard", "format": "dateTime"}, True, "_Hidden"),
    ("Created", "8c06beca-0777-48f7-91c7-6da68bc07b69", "Created", "dateTime",
     {"displayAs": "standard", "format": "dateTime"}, True, "_Hidden"),
    ("Author", "1df5e554-ec7e-46a6-901d-d85a3881cb18", "Created By", "system",
     {"personOrGroup": {"allowMultipleSelection": False, "displayAs": "nameWithPresence",
                        "chooseFromType": "peopleAndGroups"}}, True, "_Hidden"),
    ("Editor", "d31655d1-1d5b-4511-95a1-7a09e9b75bf2", "Modified By", "system",
     {"personOrGroup": {"allowMultipleSelection": False, "displayAs": "nameWithPresence",
                        "chooseFromType": "peopleAndGroups"}}, True, "_Hidden"),
    ("_UIVersionString", "dce8262a-3ae9-45aa-aab4-83bd75fb738a", "Version", "system",
     {"text": {"allowMultipleLines": False, "appendChangesToExistingText": False,
               "linesForEditing": 0, "maxLength": 255}}, True, "_Hidden"),
    ("Attachments", "67df98f4-9dec-48ff-a553-29bece9c5bf4", "Attachments", "system",
     {"boolean": {}}, True, "_Hidden"),
]
TITLE_ID = "fa564e0f-0c70-4ab9-b863-0177e6ddd247"
FILE_LEAF_REF_ID = "8553196d-ec8d-4564-9861-3dbe931050c8"


def text_facet(multiline: bool = False, max_length: int = 255) -> dict[str, Any]:
    return {
        "allowMultipleLines": multiline,
        "appendChangesToExistingText": False,
        "linesForEditing": 6 if multiline else 0,
        "maxLength": max_length,
    }


def built_in_columns(template: str) -> list[Column]:
    """The columns every new list (or document library) starts with."""
    columns: list[Column] = []
    if template == "documentLibrary":
        columns.append(Column(FILE_LEAF_REF_ID, "FileLeafRef", "Name", "text", text_facet(),
                              required=True, column_group="_Hidden", system=True))
    columns.append(Column(TITLE_ID, "Title", "Title", "text", text_facet(),
                          required=template != "documentLibrary"))
    for name, cid, display, kind, facet, read_only, group in _BUILT_IN:
        columns.append(Column(cid, name, display, kind, dict(facet), read_only=read_only,
                              column_group=group, system=True))
    return columns


def column_json(column: Column) -> dict[str, Any]:
    body: dict[str, Any] = {
        "columnGroup": column.column_group,
        "description": column.description,
        "displayName": column.display_name,
        "enforceUniqueValues": column.unique,
        "hidden": column.hidden,
        "id": column.id,
        "indexed": column.indexed,
        "name": column.name,
        "readOnly": column.read_only,
        "required": column.required,
        "isDeletable": not column.system and column.name != "Title",
        "isReorderable": True,
        "isSealed": column.system,
        "propagateChanges": False,
    }
    if column.kind == "system":
        body.update(column.facet)
    else:
        body["text" if column.kind == "note" else column.kind] = column.facet
    return body


def internal_name(name: str) -> str:
    return name.replace(" ", "_x0020_")


def create_column(body: dict[str, Any], ids: Ids, existing: dict[str, Column]) -> Column:
    """A custom column from a Graph columnDefinition body, validated as SharePoint does."""
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("The column name is required.")
    if _INVALID_NAME.search(name):
        raise bad_request(f"The column name '{name}' contains characters that are not allowed.")
    name = internal_name(name.strip())
    if name.casefold() in {n.casefold() for n in existing} or name.casefold() == "id":
        raise GraphError(409, "nameAlreadyExists", f'A duplicate field name "{name}" was found.')
    kinds = [k for k in TYPES if k in body]
    if len(kinds) != 1:
        raise bad_request(
            "A column needs exactly one type facet: text, number, dateTime, boolean or choice."
        )
    kind = kinds[0]
    raw = body.get(kind) or {}
    if not isinstance(raw, dict):
        raise bad_request(f"The '{kind}' facet must be an object.")
    facet = _facet(kind, raw)
    if kind == "text" and facet["allowMultipleLines"]:
        kind = "note"
    column = Column(
        id=ids.guid(),
        name=name,
        display_name=str(body.get("displayName") or name.replace("_x0020_", " ")),
        kind=kind,
        facet=facet,
        description=str(body.get("description") or ""),
        hidden=bool(body.get("hidden", False)),
        required=bool(body.get("required", False)),
        column_group=str(body.get("columnGroup") or "Custom Columns"),
    )
    apply_flags(column, body.get("indexed", False), body.get("enforceUniqueValues", False))
    return column


def _facet(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    if kind == "text":
        multiline = bool(raw.get("allowMultipleLines", False))
        max_length = int(raw.get("maxLength", 0 if multiline else 255))
        if not multiline and not 1 <= max_length <= 255:
            raise bad_request("maxLength of a single line of text is between 1 and 255.")
        facet = text_facet(multiline, max_length)
        if "linesForEditing" in raw:
            facet["linesForEditing"] = int(raw["linesForEditing"])
        return facet
    if kind == "number":
        return {**NUMBER_FACET, **{k: raw[k] for k in NUMBER_FACET if k in raw}}
    if kind == "dateTime":
        return {"displayAs": raw.get("displayAs", "default"),
                "format": raw.get("format", "dateTime")}
    if kind == "choice":
        choices = raw.get("choices") or []
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise bad_request("choice.choices must be a list of strings.")
        return {"allowTextEntry": bool(raw.get("allowTextEntry", False)), "choices": choices,
                "displayAs": raw.get("displayAs", "dropDownMenu")}
    return {}


def apply_flags(column: Column, indexed: Any, unique: Any) -> None:
    """Set `indexed` / `enforceUniqueValues`, with SharePoint's rules between the two."""
    indexed, unique = bool(indexed), bool(unique)
    if indexed and column.kind == "note":
        raise bad_request("Multiple lines of text columns cannot be indexed.")
    if unique and column.kind in ("note", "boolean", "system"):
        raise bad_request(f"The column '{column.name}' cannot enforce unique values.")
    if unique and not indexed:
        raise bad_request("The field must be indexed to enforce unique values.")
    column.indexed, column.unique = indexed, unique


def parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(value) from exc
    else:
        raise ValueError(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def coerce_write(column: Column, value: Any) -> Any:
    """A JSON value written to a field, stored in the column's type (or a 400)."""
    if value is None or value == "":
        return None
    try:
        if column.kind in ("text", "note", "choice"):
            if isinstance(value, dict | list):
                raise ValueError(value)
            if isinstance(value, bool):
                text = "true" if value else "false"
            else:
                text = value if isinstance(value, str) else str(value)
            limit = column.facet.get("maxLength", 0)
            if column.kind == "text" and limit and len(text) > limit:
                raise bad_request(
                    f"The value for field '{column.name}' is longer than {limit} characters."
                )
            return text
        if column.kind == "number":
            if isinstance(value, bool):
                raise ValueError(value)
            number = float(value)
            return int(number) if number.is_integer() else number
        if column.kind == "boolean":
            if isinstance(value, bool):
                return value
            if str(value).strip().lower() in ("1", "true"):
                return True
            if str(value).strip().lower() in ("0", "false"):
                return False
            raise ValueError(value)
        if column.kind == "dateTime":
            return parse_datetime(value)
    except (ValueError, TypeError) as exc:
        raise bad_request(
            f"Invalid value '{value}' for field '{column.name}' of type {column.kind}."
        ) from exc
    raise bad_request(f"Field '{column.name}' is read-only.")


def render(column: Column | None, value: Any) -> Any:
    """A stored value as Graph returns it in `fields`."""
    if isinstance(value, datetime):
        return iso(value)
    if column is not None and column.kind == "number" and isinstance(value, float):
        return int(value) if value.is_integer() else value
    return value


def coerce_literal(column: Column | None, literal: Any) -> Any:
    """A `$filter` literal in the type of the column it is compared with."""
    if column is None or literal is None:
        return literal
    try:
        if column.kind == "number":
            return float(literal) if not isinstance(literal, bool) else literal
        if column.kind == "boolean":
            if isinstance(literal, bool):
                return literal
            return str(literal).lower() in ("1", "true")
        if column.kind == "dateTime":
            return parse_datetime(literal)
    except (ValueError, TypeError):
        return literal
    return literal


def comparable(column: Column | None, value: Any) -> Any:
    """A stored value in a form `$filter` and `$orderby` can compare."""
    if column is not None and column.kind == "number" and isinstance(value, int | float):
        return float(value)
    return value


def unique_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
