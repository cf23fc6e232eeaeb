"""The open-source files: the EUPL-1.2 licence and its SPDX identifiers, publiccode.yml by the
Standard for Public Code (publiccode.yml 0.4), and one version everywhere (``paraaf
--version``, pyproject.toml, CHANGELOG.md, publiccode.yml, the Helm chart).

No publiccode.yml parser installs here (the standard's own parser is a Go program, and none
is on PyPI or npm), so the mandatory keys and value lists of the 0.4 standard are checked
below from its text (docs/standard/schema.core.rst, categories-list.rst, scope-list.rst).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tomllib
from datetime import date
from importlib.metadata import metadata
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
PUBLICCODE = yaml.safe_load((ROOT / "publiccode.yml").read_text("utf-8"))
CHANGELOG = (ROOT / "CHANGELOG.md").read_text("utf-8")

# LICENSE is byte for byte the text in licenses/EUPL-1.2.json of the npm package
# spdx-license-list 6.12.0 (the SPDX License List's text of the EUPL v1.2, English version).
EUPL_SHA256 = "d126070e53a97387b339cc1b4c794e9bc134df061d6cb5ab37cef0bfe986228a"

# publiccode.yml 0.4: the controlled vocabularies
_CATEGORIES = """
accounting agile-project-management applicant-tracking application-development
appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
business-process-management cad call-center-management cloud-management collaboration
communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design
design-system digital-asset-management digital-citizenship document-management
donor-management e-commerce e-signature educational-content email-management email-marketing
employee-management enterprise-project-management enterprise-social-networking erp
event-management facility-management feedback-and-reviews-management financial-reporting
fleet-management fundraising gamification geographic-information-systems grant-management
graphic-design help-desk hr ide identity-management instant-messaging
integrated-library-system inventory-management it-asset-management it-development
it-management it-security it-service-management knowledge-management
learning-management-system marketing mind-mapping mobile-marketing mobile-payment
network-management office online-booking online-community payment-gateway payroll
predictive-analysis procurement productivity-suite project-collaboration project-management
property-management real-estate-management regulations-and-directives remote-support
resource-management sales-management seo service-desk social-media-management survey
talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip
warehouse-management web-collaboration web-conferencing website-builder whistleblowing
workflow-management
"""
_SCOPES = """
agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs government healthcare infrastructures
justice local-authorities manufacturing research science-and-technology security society
sport tourism transportation welfare
"""
CATEGORIES = frozenset(_CATEGORIES.split())
SCOPES = frozenset(_SCOPES.split())
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop",
                  "standalone/web", "standalone/backend", "standalone/other", "addon",
                  "library", "configurationFiles")
STATUSES = ("concept", "development", "beta", "stable", "obsolete")
MANDATORY = ("publiccodeYmlVersion", "name", "url", "platforms", "categories",
             "developmentStatus", "softwareType", "description", "legal", "maintenance",
             "localisation")


def changelog_top() -> tuple[str, str]:
    """The version and date of the first released entry (an [Unreleased] one may be above)."""
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\S+))?$", CHANGELOG, re.M)
    if headings and headings[0][0] == "Unreleased":
        headings = headings[1:]
    assert headings, "CHANGELOG.md has no released entry"
    return headings[0]


# ---------------------------------------------------------------- the licence


def test_licence_is_the_eupl_1_2_text_unchanged() -> None:
    data = (ROOT / "LICENSE").read_bytes()
    assert hashlib.sha256(data).hexdigest() == EUPL_SHA256
    text = data.decode("utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\n"
                           "EUPL © the European Union 2007, 2016\n")
    articles = re.findall(r"^(\d+)\.\S", text, re.M)
    assert articles == [str(n) for n in range(1, 16)]  # the fifteen articles, in order
    assert "‘Compatible Licences’ according to Article 5 EUPL are:" in text


def test_spdx_identifier_in_pyproject_and_the_installed_metadata() -> None:
    assert PROJECT["license"] == "EUPL-1.2"
    assert not [c for c in PROJECT.get("classifiers", []) if c.startswith("License ::")]
    assert metadata("paraaf")["License-Expression"] == "EUPL-1.2"


def _package_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*package.json", "*package-lock.json"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return sorted(p for p in listed.split() if Path(p).name in
                  ("package.json", "package-lock.json") and "node_modules" not in p)


def test_every_package_json_and_its_lock_say_eupl_1_2() -> None:
    files = _package_files()
    assert len([f for f in files if f.endswith("/package.json")]) >= 3
    for name in files:
        data: dict[str, Any] = json.loads((ROOT / name).read_text("utf-8"))
        if name.endswith("package-lock.json"):
            assert data["packages"][""]["license"] == "EUPL-1.2", name  # the root package
        else:
            assert data["license"] == "EUPL-1.2", name
            assert (ROOT / name).with_name("package-lock.json").exists(), name


# ---------------------------------------------------------------- publiccode.yml


def test_publiccode_has_every_mandatory_key_of_the_standard() -> None:
    pc = PUBLICCODE
    assert [key for key in MANDATORY if key not in pc] == []
    assert pc["publiccodeYmlVersion"] == "0.4"
    assert pc["name"] == PROJECT["name"]
    assert re.fullmatch(r"https://\S+", pc["url"])
    assert pc["platforms"] and all(isinstance(p, str) for p in pc["platforms"])
    assert pc["categories"] and set(pc["categories"]) <= CATEGORIES
    assert set(pc["intendedAudience"]["scope"]) <= SCOPES
    assert pc["intendedAudience"]["countries"] == ["nl"]
    assert pc["developmentStatus"] in STATUSES
    assert pc["softwareType"] in SOFTWARE_TYPES
    assert pc["maintenance"]["type"] in ("internal", "contract", "community", "none")
    if pc["maintenance"]["type"] in ("internal", "community"):
        assert all(c["name"] for c in pc["maintenance"]["contacts"])
    assert pc["localisation"]["localisationReady"] is True
    for dependency in [*pc["dependsOn"].get("open", []), *pc["dependsOn"]["proprietary"]]:
        assert dependency["name"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_publiccode_describes_paraaf_in_dutch_and_english(lang: str) -> None:
    assert set(PUBLICCODE["localisation"]["availableLanguages"]) == {"nl", "en"}
    text = PUBLICCODE["description"][lang]
    assert "\n" not in text["shortDescription"].strip()
    assert 0 < len(text["shortDescription"]) <= 150
    assert 150 <= len(text["longDescription"]) <= 10000
    assert len(text["features"]) >= 3 and all(f.strip() for f in text["features"])


def test_publiccode_licence_version_and_date_agree_with_the_release() -> None:
    version, released = changelog_top()
    assert PUBLICCODE["legal"]["license"] == PROJECT["license"]
    assert PUBLICCODE["softwareVersion"] == version
    assert PUBLICCODE["releaseDate"] == released
    date.fromisoformat(released)
    chart = yaml.safe_load((ROOT / "infra/helm/paraaf/Chart.yaml").read_text("utf-8"))
    assert chart["home"] == PUBLICCODE["url"]
    assert chart["annotations"]["licenses"] == PUBLICCODE["legal"]["license"]


# ---------------------------------------------------------------- one version


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"paraaf {installed_version('paraaf')}\n"


def test_changelog_top_entry_is_the_package_version() -> None:
    version, _ = changelog_top()
    assert version == PROJECT["version"] == installed_version("paraaf")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)  # Semantic Versioning
    assert f"[{version}]: " in CHANGELOG  # the entry links to its release


@pytest.mark.parametrize("name", ["CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md"])
def test_the_community_files_are_there(name: str) -> None:
    text = (ROOT / name).read_text("utf-8")
    assert text.startswith("# ") and len(text) > 500
