"""Builds the Teams app package: manifest.json, the two icons and the English strings, zipped.

Standard library only, so it runs anywhere paraaf's source is. ``build_package(values)`` fills
``manifest.template.json`` and returns the zip as bytes; the same values always give the same
bytes (fixed order, fixed timestamps and file modes).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
# name in the package -> file in this folder
FILES: Mapping[str, Path] = {
    "color.png": HERE / "icons" / "color.png",
    "outline.png": HERE / "icons" / "outline.png",
    "en.json": HERE / "localization" / "en.json",
}
PACKAGE_NAME = "paraaf-teams-app.zip"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                  r"[a-z0-9])?)*$")
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


class ManifestInputError(ValueError):
    """A value the package cannot be built with; the message says which and why (in English).
    ``code`` (one of CODES), ``field`` (the PackageValues field) and ``value`` (as shown) let
    the command line say it in its own language and name the option to fix."""

    CODES = ("guid", "public_url_missing", "public_url_invalid", "public_url_not_https",
             "public_url_host", "public_url_credentials", "public_url_query",
             "public_url_too_long", "version", "publisher", "link")

    def __init__(self, message: str, code: str = "", field: str = "", value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.value = value


class SettingsLike(Protocol):
    """What :meth:`PackageValues.from_settings` reads (``bot.settings.Settings`` has these)."""

    app_id: str
    public_url: str


@dataclass(frozen=True)
class PackageValues:
    """Everything that differs between deployments.

    ``teams_app_id`` is the app's id in Teams (any GUID; by default the bot's). ``bot_id`` and
    ``sso_app_id`` are Entra application (client) ids: the bot's registration and the one the
    tab's single sign-on tokens are issued for (by default the same registration).
    """

    bot_id: str
    public_url: str
    version: str = "1.0.0"
    teams_app_id: str = ""
    sso_app_id: str = ""
    publisher: str = "paraaf"
    privacy_url: str = ""
    terms_url: str = ""

    @classmethod
    def from_settings(cls, settings: SettingsLike, **overrides: Any) -> PackageValues:
        """Values from the product settings (PARAAF_APP_ID, PARAAF_PUBLIC_URL) and overrides."""
        values: dict[str, Any] = {"bot_id": settings.app_id, "public_url": settings.public_url}
        values.update({k: v for k, v in overrides.items() if v not in (None, "")})
        return cls(**values)


def check_guid(value: str, what: str, field: str = "") -> str:
    """The GUID in lower case, or ManifestInputError naming ``what`` (``field``: which)."""
    value = value.strip()
    if not GUID.match(value):
        shown = value[:60] or "nothing"
        raise ManifestInputError(
            f"{what} must be a GUID like 00000000-0000-0000-0000-000000000000, not {shown!r}.",
            "guid", field, repr(shown))
    return value.lower()


def check_public_url(url: str) -> str:
    """The public base URL without a trailing slash, or ManifestInputError saying what is wrong.

    Teams loads tabs over HTTPS only, from a host named in ``validDomains``; single sign-on
    uses ``api://<host>/<app id>``, so the URL must be a plain https://host[:port][/path].
    """
    raw = url.strip()
    if not raw:
        raise ManifestInputError(
            "The public URL is missing: pass --public-url https://paraaf.example.nl or set "
            "PARAAF_PUBLIC_URL.", "public_url_missing", "public_url")
    shown = raw[:100]
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ManifestInputError(f"The public URL {shown!r} is not a valid URL.",
                                 "public_url_invalid", "public_url", repr(shown)) from None
    if parts.scheme.lower() != "https":
        raise ManifestInputError(
            f"The public URL must start with https:// (Teams loads tabs over HTTPS only), "
            f"not {shown!r}.", "public_url_not_https", "public_url", repr(shown))
    host = (parts.hostname or "").lower()
    if not HOST.match(host) or ("." not in host and host != "localhost"):
        raise ManifestInputError(f"The public URL {shown!r} has no valid host name.",
                                 "public_url_host", "public_url", repr(shown))
    if parts.username is not None or parts.password is not None:
        raise ManifestInputError("The public URL must not contain a user name or password.",
                                 "public_url_credentials", "public_url")
    if parts.query or parts.fragment or raw.endswith(("?", "#")):
        raise ManifestInputError(
            f"The public URL must be a base URL without ?query or #fragment, not {shown!r}.",
            "public_url_query", "public_url", repr(shown))
    if len(raw) > 1500:
        raise ManifestInputError("The public URL is longer than 1500 characters.",
                                 "public_url_too_long", "public_url")
    netloc = host if port in (None, 443) else f"{host}:{port}"
    return f"https://{netloc}{parts.path.rstrip('/')}"


def _check_link(url: str, what: str, field: str = "") -> str:
    """An https link for the developer block (empty stays empty), or ManifestInputError."""
    url = url.strip()
    if url and (not url.lower().startswith("https://") or not urlsplit(url).hostname
                or len(url) > 2048 or any(c.isspace() for c in url)):
        raise ManifestInputError(f"{what} must be an https:// link, not {url[:100]!r}.",
                                 "link", field, repr(url[:100]))
    return url


def _substitutions(values: PackageValues) -> dict[str, str]:
    bot_id = check_guid(values.bot_id, "The bot id (PARAAF_APP_ID, --bot-id)", "bot_id")
    teams_app_id = check_guid(values.teams_app_id or bot_id, "The Teams app id (--app-id)",
                              "teams_app_id")
    sso_app_id = check_guid(values.sso_app_id or bot_id, "The single sign-on app id",
                            "sso_app_id")
    public_url = check_public_url(values.public_url)
    if not SEMVER.match(values.version):
        raise ManifestInputError(
            f"The app version must look like 1.2.3 (Teams needs major.minor.patch), "
            f"not {values.version[:40]!r}.", "version", "version", repr(values.version[:40]))
    publisher = " ".join(values.publisher.split())
    if not 0 < len(publisher) <= 32:
        raise ManifestInputError("The publisher name must be 1 to 32 characters long.",
                                 "publisher", "publisher")
    privacy = _check_link(values.privacy_url, "The privacy statement URL", "privacy_url") or (
        public_url + "/privacy")
    terms = _check_link(values.terms_url, "The terms of use URL", "terms_url") or (
        public_url + "/voorwaarden")
    return {
        "TEAMS_APP_ID": teams_app_id,
        "BOT_ID": bot_id,
        "SSO_APP_ID": sso_app_id,
        "VERSION": values.version,
        "PUBLIC_URL": public_url,
        "PUBLIC_HOST": urlsplit(public_url).netloc,
        "PUBLISHER": publisher,
        "WEBSITE_URL": public_url,
        "PRIVACY_URL": privacy,
        "TERMS_URL": terms,
    }


def _fill(node: Any, subs: Mapping[str, str]) -> Any:
    """Placeholders are replaced inside parsed JSON strings, so a value can never break JSON."""
    if isinstance(node, dict):
        return {key: _fill(item, subs) for key, item in node.items()}
    if isinstance(node, list):
        return [_fill(item, subs) for item in node]
    if isinstance(node, str):
        def one(match: re.Match[str]) -> str:
            if match.group(1) not in subs:
                raise ManifestInputError(f"The template has an unknown placeholder {match[0]}.")
            return subs[match.group(1)]

        return PLACEHOLDER.sub(one, node)
    return node


def render_manifest(values: PackageValues,
                    template: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The filled-in manifest.json as a dict."""
    if template is None:
        template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    filled: dict[str, Any] = _fill(template, _substitutions(values))
    return filled


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever system builds it, so the mode below is read alike
    info.external_attr = 0o100644 << 16
    return info


def build_package(values: PackageValues) -> bytes:
    """The app package (a zip with every file at its root, manifest.json first)."""
    manifest = render_manifest(values)
    contents = {"manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
                .encode("utf-8")}
    contents.update({name: path.read_bytes() for name, path in FILES.items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents, key=lambda n: (n != "manifest.json", n)):
            archive.writestr(_entry(name), contents[name], compresslevel=9)
    return buffer.getvalue()
