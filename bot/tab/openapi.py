"""The API's OpenAPI 3.1 document, generated from the route table and its pydantic models.

Never written by hand: ``python -m bot.tab.openapi > openapi.json`` writes it (the web app
generates its TypeScript types from that file); the server serves the same document at
``/api/v1/openapi.json``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from pydantic.json_schema import models_json_schema

from bot.tab import models as m
from bot.tab.core import PREFIX, Route
from bot.tab.routes import routes

REF = "#/components/schemas/{model}"
DESCRIPTIONS = {
    400: "Bad request", 401: "No valid identity (SSO token, or the local user in local mode)",
    403: "Only a beheerder may do this", 404: "Not found, or not a dossier of yours",
    409: "The request does not fit the current state: a task no longer fits the dossier "
         "(stale, closed, not your turn, busy); a substitute unknown or a period that does "
         "not fit (``field`` names the input)",
    413: "The body is too large", 415: "The body is not JSON",
    422: "The input is not valid", 503: "Sign-ins cannot be checked now",
}


def _parameters(route: Route, schemas: Mapping[Any, Any],
                defs: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if "{id}" in route.path:
        found.append({"name": "id", "in": "path", "required": True,
                      "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"}})
    if route.query is not None:
        schema = schemas[(route.query, "validation")]
        if "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[1]]
        required = set(schema.get("required", ()))
        for name, prop in schema.get("properties", {}).items():
            found.append({"name": name, "in": "query", "required": name in required,
                          "schema": prop})
    return found


def _content(route: Route, schemas: Mapping[Any, Any]) -> dict[str, Any]:
    """What a route answers: its response model as JSON, or the media types of its file."""
    if not route.files:
        return {"application/json": {"schema": schemas[(route.response, "serialization")]}}
    return {media: {"schema": schemas[(model, "serialization")] if model is not None
                    else {"type": "string"}} for media, model in route.files}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the tab's API."""
    table = routes()
    models: list[tuple[type[Any], Any]] = [(m.Error, "serialization")]
    for route in table:
        models.append((route.response, "serialization"))
        if route.body is not None:
            models.append((route.body, "validation"))
        if route.query is not None:
            models.append((route.query, "validation"))
        models += [(model, "serialization") for _, model in route.files if model is not None]
    unique = list(dict.fromkeys(models))
    schemas, top = models_json_schema(unique, ref_template=REF)
    defs: dict[str, Any] = top.get("$defs", {})
    error_ref = schemas[(m.Error, "serialization")]
    paths: dict[str, Any] = {}
    for route in table:
        operation: dict[str, Any] = {
            "operationId": route.name,
            "summary": route.summary,
            "responses": {
                "200": {"description": "OK", "content": _content(route, schemas)},
                **{str(status): {"description": DESCRIPTIONS[status], "content": {
                    "application/json": {"schema": error_ref}}} for status in route.errors},
            },
        }
        parameters = _parameters(route, schemas, defs)
        if parameters:
            operation["parameters"] = parameters
        if route.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": schemas[(route.body, "validation")]}}}
        if route.access == "local":
            operation["security"] = []
        elif route.access == "beheerder":
            operation["description"] = "Needs the app role Beheerder."
        paths.setdefault(PREFIX + route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "paraaf tab API", "version": "1",
                 "description": "The JSON API of paraaf's Teams tab. Error messages follow "
                                "Accept-Language (Dutch by default, English)."},
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "entraSso": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                             "description": "An Entra ID SSO token for the tab's app, scope "
                                            "access_as_user"},
                "localUser": {"type": "apiKey", "in": "header", "name": "X-Paraaf-User",
                              "description": "Local mode on loopback only: a demo user's "
                                             "object id or UPN"},
            },
        },
        "security": [{"entraSso": []}, {"localUser": []}],
    }


def main() -> None:
    json.dump(document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
