"""``paraaf manifest build``: the Teams app package for this deployment.

Only the standard library is imported here, so ``paraaf --help`` stays fast. The builder is
``manifest/build.py`` in paraaf's source folder (next to ``bot/``); it is not part of the
installed package, so this command runs from a source checkout.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cards.strings import CliStrings

EXIT_OK, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 2, 3
BUILDER = Path(__file__).resolve().parents[2] / "manifest" / "build.py"
DEFAULT_OUTPUT = "paraaf-teams-app.zip"



def _texts(texts: CliStrings | None) -> CliStrings:
    from bot.cli.constants import cli_texts

    return texts or cli_texts()


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser, texts: CliStrings | None = None) -> None:
    """Add ``manifest build`` to the ``paraaf`` command line (in the words of ``texts``)."""
    t = _texts(texts)
    manifest = sub.add_parser("manifest", help=t.h_manifest, description=t.d_manifest)
    msub = manifest.add_subparsers(dest="manifest_command", required=True, metavar=t.mv_command)
    p = msub.add_parser("build", parents=[common], help=t.h_manifest_build,
                        description=t.d_manifest_build,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app-id", metavar="GUID", default="", help=t.h_app_id)
    p.add_argument("--bot-id", metavar="GUID", default="", help=t.h_bot_id)
    p.add_argument("--public-url", metavar="URL", default="", help=t.h_public_url)
    p.add_argument("--sso-app-id", metavar="GUID", default="", help=t.h_sso_app_id)
    p.add_argument("--app-version", metavar="X.Y.Z", default="", help=t.h_app_version)
    p.add_argument("--publisher", metavar=t.mv_name, default="", help=t.h_publisher)
    p.add_argument("--privacy-url", metavar="URL", default="", help=t.h_privacy_url)
    p.add_argument("--terms-url", metavar="URL", default="", help=t.h_terms_url)
    p.add_argument("-o", "--output", metavar=t.mv_file, default=DEFAULT_OUTPUT,
                   help=t.h_manifest_output.format(file=DEFAULT_OUTPUT))


def load_builder() -> ModuleType:
    """``manifest/build.py`` from the source folder; FileNotFoundError when it is not there."""
    if not BUILDER.is_file():
        raise FileNotFoundError(BUILDER)
    name = "paraaf_manifest_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _paraaf_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("paraaf")
    except PackageNotFoundError:
        return "1.0.0"


def _error(args: argparse.Namespace, code: str, message: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        print(f"paraaf: {message}", file=sys.stderr)


def _values(args: argparse.Namespace, builder: ModuleType) -> Any:
    bot_id, public_url = args.bot_id.strip(), args.public_url.strip()
    if not bot_id or not public_url:
        from bot.settings import Settings  # read only when a default is needed

        settings = Settings.from_env(data_dir=getattr(args, "data", None))
        bot_id = bot_id or settings.app_id
        public_url = public_url or settings.public_url
    if not bot_id:
        raise builder.ManifestInputError(_texts(None).m_no_bot_id)
    return builder.PackageValues(
        bot_id=bot_id, public_url=public_url, teams_app_id=args.app_id.strip(),
        sso_app_id=args.sso_app_id.strip(),
        version=args.app_version.strip() or _paraaf_version(),
        publisher=args.publisher.strip() or "paraaf",
        privacy_url=args.privacy_url, terms_url=args.terms_url,
    )


async def run(args: argparse.Namespace) -> int:
    """Run ``paraaf manifest build``; 2 for a bad id or URL (nothing is written)."""
    try:
        builder = load_builder()
    except FileNotFoundError:
        _error(args, "unavailable", _texts(None).m_no_builder.format(path=BUILDER))
        return EXIT_UNAVAILABLE
    try:
        values = _values(args, builder)
        package: bytes = builder.build_package(values)
        manifest: dict[str, Any] = builder.render_manifest(values)
    except builder.ManifestInputError as exc:
        _error(args, "invalid_input", _input_error(exc, args, builder))
        return EXIT_INPUT
    target = Path(args.output)
    if target.is_dir():
        target = target / DEFAULT_OUTPUT
    target.write_bytes(package)
    report = {
        "file": str(target), "bytes": len(package),
        "sha256": hashlib.sha256(package).hexdigest(),
        "teamsAppId": manifest["id"], "botId": manifest["bots"][0]["botId"],
        "version": manifest["version"], "manifestVersion": manifest["manifestVersion"],
        "tabs": [tab["contentUrl"] for tab in manifest["staticTabs"] if "contentUrl" in tab],
        "sso": manifest["webApplicationInfo"]["resource"],
    }
    if getattr(args, "json", False):
        print(json.dumps(report, ensure_ascii=False))
    else:
        t = _texts(None)
        print("\n".join([
            t.m_wrote.format(file=target, bytes=_thousands(len(package)),
                             app=report["teamsAppId"],
                             version=report["version"], manifest=report["manifestVersion"],
                             bot=report["botId"]),
            t.m_tabs.format(tabs=", ".join(report["tabs"])),
            t.m_sso.format(resource=report["sso"])]))
    return EXIT_OK


OPTIONS = {"bot_id": "--bot-id", "public_url": "--public-url", "teams_app_id": "--app-id",
           "sso_app_id": "--sso-app-id", "version": "--app-version", "publisher": "--publisher",
           "privacy_url": "--privacy-url", "terms_url": "--terms-url"}
SETTINGS = {"bot_id": "PARAAF_APP_ID", "public_url": "PARAAF_PUBLIC_URL"}  # their defaults


def _input_error(error: Any, args: argparse.Namespace, builder: ModuleType) -> str:
    """A value the package cannot be built with, in the command line's words, naming the
    option to fix (or the setting its value came from when the option was left out)."""
    codes = builder.ManifestInputError.CODES
    code = getattr(error, "code", "")
    if code not in codes:  # the missing bot id's message comes from the catalogue already
        return str(error)
    option = OPTIONS.get(error.field, "")
    if error.field in SETTINGS and not str(getattr(args, error.field, "")).strip():
        option = SETTINGS[error.field]
    return _texts(None).m_input_errors[codes.index(code)].format(option=option,
                                                                 value=error.value)


def _thousands(count: int) -> str:
    """1,234 in English, 1.234 in Dutch (the cards' separator)."""
    from bot.cli.constants import language
    from cards.strings import strings

    return f"{count:,}".replace(",", strings(language()).thousands_sep)
