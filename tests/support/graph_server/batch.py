"""JSON batching: `POST /$batch` with at most 20 requests.

Each part is dispatched through the same pipeline as a plain request (faults and stats
included) and answered with its own status, headers and body. `dependsOn` sequences parts and
answers 424 to the dependants of a failed part; parts without dependencies run in an order the
server picks (shuffled with the seed, as Graph gives no order), and responses come back in an
order of the server's choosing too. `depends_on` (what msgraph-sdk writes) is not `dependsOn`
and is ignored, as by Graph.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from multidict import CIMultiDict

from tests.support.graph_server.protocol import GraphError, GraphRequest, GraphResponse

Execute = Callable[[GraphRequest], Awaitable[GraphResponse]]


def _invalid(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


def _parts(body: Any, limit: int) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
        raise _invalid("Invalid batch payload format.")
    parts = body["requests"]
    if not parts:
        raise _invalid("Invalid batch payload format: the batch holds no requests.")
    if len(parts) > limit:
        raise _invalid(f"Invalid batch payload format: a batch holds at most {limit} requests.")
    seen: set[str] = set()
    for part in parts:
        if not isinstance(part, dict) or not all(
            isinstance(part.get(k), str) and part.get(k) for k in ("id", "method", "url")
        ):
            raise _invalid("Invalid batch payload format: every request needs id, method, url.")
        if part["id"].lower() in seen:
            raise _invalid(f"Invalid batch payload format: duplicate id '{part['id']}'.")
        seen.add(part["id"].lower())
        headers = part.get("headers") or {}
        if "body" in part and not any(k.lower() == "content-type" for k in headers):
            raise _invalid("Invalid batch payload format: a request with a body needs a "
                           "Content-Type header.")
        if part["url"].startswith(("http://", "https://")):
            raise _invalid("Invalid batch payload format: url must be relative to the version.")
    ids = {p["id"].lower() for p in parts}
    for part in parts:
        for dep in part.get("dependsOn") or []:
            if str(dep).lower() not in ids:
                raise _invalid(f"Invalid batch payload format: unknown dependsOn id '{dep}'.")
    done: set[str] = set()
    while len(done) < len(parts):
        ready = {p["id"].lower() for p in parts if p["id"].lower() not in done
                 and all(str(d).lower() in done for d in p.get("dependsOn") or [])}
        if not ready:
            raise _invalid("Invalid batch payload format: dependsOn forms a cycle.")
        done |= ready
    return parts


def _sub_request(outer: GraphRequest, part: dict[str, Any]) -> GraphRequest:
    url = part["url"] if part["url"].startswith("/") else "/" + part["url"]
    split = urlsplit(url)
    headers: CIMultiDict[str] = CIMultiDict()
    for key, value in (part.get("headers") or {}).items():
        headers.add(str(key), str(value))
    if "Authorization" in outer.headers:
        headers["Authorization"] = outer.headers["Authorization"]
    raw = part.get("body")
    if raw is None:
        body = b""
    elif isinstance(raw, str) and "json" not in headers.get("Content-Type", "").lower():
        body = base64.b64decode(raw)
    else:
        body = json.dumps(raw).encode()
    return GraphRequest(
        method=part["method"].upper(), path=unquote(split.path), query=GraphRequest.parse_query(
            split.query), headers=headers, body=body, base_url=outer.base_url, in_batch=True,
        caller=outer.caller,
    )


def _sub_response(part_id: str, response: GraphResponse) -> dict[str, Any]:
    out: dict[str, Any] = {"id": part_id, "status": response.status}
    headers = dict(response.headers)
    if response.content_type:
        headers["Content-Type"] = response.content_type
    out["headers"] = headers
    if isinstance(response.body, bytes):
        out["body"] = base64.b64encode(response.body).decode()
    elif response.body is not None:
        out["body"] = response.body
    return out


def _failed_dependency(part_id: str) -> dict[str, Any]:
    return {"id": part_id, "status": 424, "headers": {"Content-Type": "application/json"},
            "body": {"error": {"code": "FailedDependency",
                               "message": "The request depends on a request that failed."}}}


async def run_batch(
    outer: GraphRequest, execute: Execute, rng: random.Random, limit: int = 20
) -> GraphResponse:
    parts = _parts(outer.json(), limit)
    sequenced = any(p.get("dependsOn") for p in parts)
    order = list(parts)
    if not sequenced:
        rng.shuffle(order)
    status: dict[str, int] = {}
    answers: list[dict[str, Any]] = []
    pending = order
    while pending:
        for part in list(pending):
            deps = [str(d).lower() for d in part.get("dependsOn") or []]
            if any(d not in status for d in deps):
                continue
            pending.remove(part)
            if any(not 200 <= status[d] < 300 for d in deps):
                answer = _failed_dependency(part["id"])
            elif part["url"].lstrip("/").lower().startswith("$batch"):
                answer = _sub_response(part["id"], GraphResponse.json(400, {"error": {
                    "code": "BadRequest", "message": "A batch cannot contain a batch."}}))
            else:
                answer = _sub_response(part["id"], await execute(_sub_request(outer, part)))
            status[part["id"].lower()] = answer["status"]
            answers.append(answer)
    if not sequenced:
        rng.shuffle(answers)
    return GraphResponse(200, {"responses": answers}, {}, "application/json")
