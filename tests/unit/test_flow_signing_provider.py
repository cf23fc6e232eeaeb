"""``provider`` on a sign stage: which signing provider signs there (ValidSign, or paraaf's
own PAdES signer); only on sign stages, only a provider paraaf knows."""

from __future__ import annotations

import pytest

from approvals.errors import FlowValidationError
from approvals.flows.yaml_io import dump_flow, parse_flow

HEAD = """\
schema: paraaf/flow/v1
id: ondertekening
version: 1
title: Ondertekening
stages:
  - id: paraaf
    kind: initial
    assignees: [{user: f.meijer@voorbeeldstad.nl}]
"""


def _stage(kind: str, provider: str) -> str:
    return HEAD + (f"  - id: stap\n    kind: {kind}\n    assignees:\n"
                   f"      - user: m.jansen@voorbeeldstad.nl\n    provider: {provider}\n")


@pytest.mark.parametrize("provider", ["validsign", "embedded"])
def test_a_sign_stage_names_its_provider_and_keeps_it_on_export(provider: str) -> None:
    flow = parse_flow(_stage("sign", provider))
    assert flow.stage("stap").provider == provider
    assert flow.stage("paraaf").provider is None
    assert parse_flow(dump_flow(flow)) == flow


def test_an_unknown_provider_is_refused_with_the_known_ones() -> None:
    with pytest.raises(FlowValidationError) as refused:
        parse_flow(_stage("sign", "docusign"), "f.yaml")
    text = str(refused.value)
    assert "f.yaml:13: stages[1].provider:" in text
    assert "unknown signing provider 'docusign'" in text
    assert "embedded" in text and "validsign" in text


def test_provider_only_applies_to_sign_stages() -> None:
    with pytest.raises(FlowValidationError, match="provider only applies to sign stages"):
        parse_flow(_stage("approve", "validsign"), "f.yaml")
