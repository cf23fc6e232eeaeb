"""The SharePoint site of a deployment: its URL, checked, and its Graph id.

``https://contoso.sharepoint.com/sites/paraaf`` is found with
``GET /sites/contoso.sharepoint.com:/sites/paraaf``. Adapters may also address it by path
(:func:`site_path_id`, ``/sites/contoso.sharepoint.com:/sites/paraaf:/lists/...``), which
Graph resolves on every request: that is what the wiring uses, as it builds the adapters
without a round trip.

This module imports nothing of the SDK at load time (the settings use it to check the URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from graph.rest import Graph


class InvalidSiteUrl(ValueError):
    """Not the URL of a SharePoint site. ``reason`` says which way (one of REASONS) and
    ``text`` what was given, so the command line can say it in its own language."""

    REASONS = ("not_a_site_url", "not_just_the_address", "inside_a_site", "bad_characters")

    def __init__(self, message: str, reason: str = "", text: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class SiteUrl:
    host: str  # contoso.sharepoint.com
    path: str  # /sites/paraaf ("/" for the root site)

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path if self.path != '/' else ''}"


@dataclass(frozen=True)
class Site:
    id: str  # host,site-collection guid,web guid
    web_url: str
    name: str


def parse_site_url(url: str) -> SiteUrl:
    """The host and server-relative path of ``https://host/sites/name``; InvalidSiteUrl when it
    is something else (another scheme, credentials, a query, a page inside the site)."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.hostname:
        raise InvalidSiteUrl(
            f"'{text}' is not a SharePoint site URL; write it as "
            "https://<tenant>.sharepoint.com/sites/<name>.", "not_a_site_url", text)
    if parts.username or parts.password or parts.port or parts.query or parts.fragment:
        raise InvalidSiteUrl(f"'{text}' should be just the site's address, like "
                             "https://<tenant>.sharepoint.com/sites/<name>.",
                             "not_just_the_address", text)
    path = "/" + unquote(parts.path).strip("/")
    if path != "/" and (".aspx" in path.lower() or "/_layouts" in path.lower()
                        or "/lists/" in (path + "/").lower()):
        raise InvalidSiteUrl(f"'{text}' points inside a site; give the site itself, like "
                             "https://<tenant>.sharepoint.com/sites/<name>.", "inside_a_site",
                             text)
    if any(ch in path for ch in ":#?%\\") or "//" in path:
        raise InvalidSiteUrl(f"'{text}' has characters a site path cannot have.",
                             "bad_characters", text)
    return SiteUrl(parts.hostname.lower(), path)


def site_path_id(url: str) -> str:
    """The site's id in path form (``host:/sites/name:``), usable wherever a site id is."""
    site = parse_site_url(url)
    if site.path == "/":
        return site.host
    return f"{site.host}:{quote(site.path)}:"


async def resolve_site(graph: Graph, url: str) -> Site:
    """The site at ``url`` (``GraphError``/``NotFound`` when Graph cannot give it)."""
    from graph.lists import NotFound
    from graph.rest import GraphError

    site = parse_site_url(url)
    path = f"/sites/{site.host}" if site.path == "/" else f"/sites/{site.host}:{quote(site.path)}"
    try:
        data = await graph.request("GET", path)
    except GraphError as error:
        if error.status == 404:
            raise NotFound(error.status, error.code, error.message) from error
        raise
    return Site(str(data["id"]), str(data.get("webUrl") or site.url),
                str(data.get("displayName") or data.get("name") or ""))
