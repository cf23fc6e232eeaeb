"""The official ZGW specifications (Besluiten API 1.1.0, Documenten API 1.4.2) as openapi-core
validators, read from ``../shared/specs/zgw`` beside the repository (see its README): never
copied into the product.

The Documenten spec holds one external ``$ref`` (the Catalogi API's InformatieObjectType,
on the web, used only in an ``expand`` of the list responses); it is resolved to a local
object schema here, so validating needs no network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest

ROOT = Path(__file__).resolve().parents[3]
BESLUITEN = "besluiten-1.1.0.openapi.yaml"
DOCUMENTEN = "documenten-1.4.2.openapi.yaml"
EXTERNAL = ("https://raw.githubusercontent.com/vng-Realisatie/catalogi-api/1.2.0/src/openapi.yaml"
            "#/components/schemas/InformatieObjectType")
LOCAL = "#/components/schemas/CatalogiInformatieObjectType"


def _main_checkout(root: Path) -> Path | None:
    """The main checkout of a git worktree (its ``.git`` is a file naming the worktree's
    folder inside the main checkout's ``.git``)."""
    marker = root / ".git"
    if not marker.is_file():
        return None
    text = marker.read_text("utf-8").strip()
    if not text.startswith("gitdir:"):
        return None
    gitdir = Path(text.removeprefix("gitdir:").strip())
    return gitdir.parents[2] if gitdir.parent.name == "worktrees" else None


def specs_dir() -> Path:
    """``../shared/specs/zgw`` beside the repository (or beside its main checkout, for a
    worktree); AssertionError saying where it looked when it is not there."""
    candidates = [ROOT.parent / "shared" / "specs" / "zgw"]
    main = _main_checkout(ROOT)
    if main is not None:
        candidates.append(main.parent / "shared" / "specs" / "zgw")
    for folder in candidates:
        if (folder / BESLUITEN).is_file() and (folder / DOCUMENTEN).is_file():
            return folder
    raise AssertionError(f"the ZGW specifications are not in {' or '.join(map(str, candidates))}"
                         " (shared/specs/zgw beside the repository)")


def _local_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: (LOCAL if key == "$ref" and value == EXTERNAL else _local_refs(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    return node


@cache
def spec(name: str) -> dict[str, Any]:
    """The spec as a dict, its external reference made local."""
    text = (specs_dir() / name).read_text("utf-8")
    loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    document: dict[str, Any] = _local_refs(loaded)
    if name == DOCUMENTEN:
        document["components"]["schemas"]["CatalogiInformatieObjectType"] = {
            "type": "object", "description": "Catalogi API 1.2.0 InformatieObjectType "
                                             "(not checked offline)"}
    return document


@cache
def api(name: str) -> OpenAPI:
    """The spec's validator (the spec itself is official: not checked again, which is slow)."""
    config = Config(spec_validator_cls=None,
                    extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(spec(name), config=config)


def api_for(path: str) -> OpenAPI:
    """The spec that serves a path ("/besluiten/api/v1/..." or "/documenten/api/v1/...")."""
    return api(BESLUITEN if path.startswith("/besluiten/") else DOCUMENTEN)


def validate_request_body(path: str, body: bytes) -> None:
    """A create request's body (``POST path``) checked against the spec, as the export
    file gives it."""
    request = MockRequest("http://zgw.example", "post", path,
                          headers={"Authorization": "Bearer x",
                                   "Content-Type": "application/json"},
                          data=body, content_type="application/json")
    api_for(path).validate_request(request)
