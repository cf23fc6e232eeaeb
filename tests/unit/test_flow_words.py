"""Every problem the flow validator reports has a stable code, a hint code and typed
parameters, and a template in each language with the same placeholders; the renderer says it
in the beheerder's language and keeps the line shape ``source:line: path: message (hint)``."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import approvals
from approvals.errors import FLOW_HINTS, FLOW_VALUES, FLOW_WORDS, FlowIssue, FlowValidationError
from approvals.flows.yaml_io import check_flow, parse_flow
from cards.flow_words import flow_error_text, issue_json, issue_line, issue_texts
from cards.strings import CLI_LANGUAGES

APPROVALS = Path(approvals.__file__).parent
BAD_FLOWS = Path(__file__).parents[1] / "data" / "bad_flows"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", sorted(CLI_LANGUAGES))
@pytest.mark.parametrize(("table", "registry"), [
    ("flow_words", FLOW_WORDS), ("flow_hints", FLOW_HINTS), ("flow_values", FLOW_VALUES)])
def test_every_code_has_a_template_with_the_same_placeholders(
        lang: str, table: str, registry: dict[str, str]) -> None:
    templates = getattr(CLI_LANGUAGES[lang], table)
    assert set(templates) == set(registry)
    for code, english in registry.items():
        assert _placeholders(templates[code]) == _placeholders(english), (lang, code)


def test_the_dutch_words_are_dutch() -> None:
    nl = CLI_LANGUAGES["nl"]
    same = [code for code in FLOW_WORDS if nl.flow_words[code] == FLOW_WORDS[code]]
    assert same == []
    same = [code for code in FLOW_HINTS if nl.flow_hints[code] == FLOW_HINTS[code]]
    assert same == []


# --- every creation names a registered code --------------------------------------------------

# Per called name: the positions (after the receiver) of its code arguments and the registry
# (or the prefix in FLOW_VALUES) each must come from.
_ARGUMENTS: dict[str, tuple[tuple[int, str], ...]] = {
    "FlowIssue": ((2, "words"), (4, "hints")),
    "issue": ((2, "words"), (3, "hints")),
    "_issue": ((2, "words"), (3, "hints")),
    "mapping": ((2, "what"), (3, "hints")),
    "required": ((4, "hints"),),
    "identifier": ((3, "hints"), (4, "words")),
    "integer": ((4, "hints"),),
    "choice": ((3, "words"), (4, "listing")),
    "suggest": ((2, "listing"),),
    "ConditionError": ((2, "problem"), (3, "hints")),
    "_error": ((1, "problem"), (2, "hints")),
}
_KEYWORDS = {"code": "words", "hint": "hints", "hint_code": "hints", "what": "what",
             "listing": "listing"}


def _registered(kind: str, code: str) -> bool:
    if kind == "words":
        return code in FLOW_WORDS
    if kind == "hints":
        return code in FLOW_HINTS or code == ""  # "": no hint
    return f"{kind}_{code}" in FLOW_VALUES


def _constants(value: ast.expr, assigned: dict[str, list[ast.expr]]) -> list[str] | None:
    """The strings an argument can be: a constant, either branch of ``a if x else b``, any
    value assigned to a local name (``hint = "x"``, ``hint, params = "y", {}``, a tuple the
    name is unpacked from); None for a parameter passed on."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.BoolOp):  # error.hint_code or "condition_docs"
        return [code for part in value.values for code in _constants(part, assigned) or ()]
    if isinstance(value, ast.IfExp):
        body, orelse = _constants(value.body, assigned), _constants(value.orelse, assigned)
        return None if body is None or orelse is None else body + orelse
    if isinstance(value, ast.Name) and value.id in assigned:
        found: list[str] = []
        for source in assigned[value.id]:
            found += _constants(source, assigned) or []
        return found
    return None


def _assignments(function: ast.AST) -> dict[str, list[ast.expr]]:
    assigned: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for name, part in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(name, ast.Name):
                            assigned.setdefault(name.id, []).append(part)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.IfExp):
                    for branch in (node.value.body, node.value.orelse):
                        if isinstance(branch, ast.Tuple):
                            for name, part in zip(target.elts, branch.elts, strict=False):
                                if isinstance(name, ast.Name):
                                    assigned.setdefault(name.id, []).append(part)
    return assigned


def _creations() -> list[tuple[str, int, str, str]]:
    """(file, line, kind, code) of every code a flow check or the condition parser passes
    on."""
    found: list[tuple[str, int, str, str]] = []
    for file in sorted((APPROVALS / "flows").glob("*.py")):
        tree = ast.parse(file.read_text("utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            assigned = _assignments(function)
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                checks = [(call.args[index], kind) for index, kind in _ARGUMENTS.get(name, ())
                          if index < len(call.args)]
                checks += [(k.value, _KEYWORDS[k.arg]) for k in call.keywords
                           if name in _ARGUMENTS and k.arg in _KEYWORDS]
                for value, kind in checks:
                    codes = _constants(value, assigned)
                    for code in codes or ():
                        found.append((file.name, call.lineno, kind, code))
    return found


def test_every_flow_issue_and_condition_error_names_a_registered_code() -> None:
    found = _creations()
    assert len({code for _, _, kind, code in found if kind == "words"}) > 60
    assert len({code for _, _, kind, code in found if kind == "hints"}) > 50
    unknown = [entry for entry in found if not _registered(entry[2], entry[3])]
    assert unknown == []
    used = {code for _, _, kind, code in found if kind == "words"}
    assert set(FLOW_WORDS) - used == {"invalid_id"}  # identifier()'s default code
    used = {code for _, _, kind, code in found if kind == "hints"}
    assert set(FLOW_HINTS) - used == {"did_you_mean", "allowed"}  # what suggest() returns
    used = {f"problem_{code}" for _, _, kind, code in found if kind == "problem"}
    assert {key for key in FLOW_VALUES if key.startswith("problem_")} == used


def test_an_issue_derives_its_english_from_the_templates() -> None:
    issue = FlowIssue("stages[0].kind", 7, "unknown_stage_kind",
                      {"value": "adviies", "word": "advise", "listing": "stage_kinds",
                       "allowed": "advise, initial"}, "did_you_mean")
    assert issue.message == "unknown stage kind 'adviies'"
    assert issue.hint == "did you mean 'advise'? stage kinds are advise, initial"
    assert issue.format("f.yaml") == (
        "f.yaml:7: stages[0].kind: unknown stage kind 'adviies' (did you mean 'advise'? "
        "stage kinds are advise, initial)")
    assert issue_line(issue, "f.yaml", "nl") == (
        "f.yaml:7: stages[0].kind: onbekende soort fase 'adviies' (bedoel je 'advise'? "
        "soorten fasen zijn advise, initial)")
    assert issue_json(issue)["code"] == "unknown_stage_kind"


def test_a_parameter_with_braces_is_not_read_as_a_placeholder() -> None:
    issue = FlowIssue("", 3, "unknown_key", {"key": "{raw}", "listing": "keys",
                                              "allowed": "id"}, "allowed")
    assert issue_texts(issue, "nl") == ("onbekende sleutel '{raw}'",
                                        "toegestane sleutels zijn id")


@pytest.mark.parametrize("path", sorted(BAD_FLOWS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bad_flow_reads_in_both_languages(path: Path) -> None:
    with pytest.raises(FlowValidationError) as caught:
        parse_flow(path.read_text("utf-8"), path.name)
    error = caught.value
    english = flow_error_text(error, "en")
    dutch = flow_error_text(error, "nl")
    assert english == error.message  # the domain's English and the catalogue's are one
    assert dutch != english
    for line in dutch.splitlines():
        assert line.startswith(f"{path.name}:")
        assert "{" not in line.replace("{{", "").split(": ", 1)[1] or "}" in line
    for issue in error.issues:
        message, hint = issue_texts(issue, "nl")
        assert message and hint, issue.code  # every problem says what to fix


def test_the_allow_initiator_warning_reads_in_dutch() -> None:
    flow = ("schema: paraaf/flow/v1\nid: zelf\nversion: 1\ntitle: Zelf\nstages:\n"
            "  - id: besluit\n    kind: decide\n    assignees: [{initiator: true}]\n"
            "    allow_initiator: true\n")
    _, warnings = check_flow(flow, "zelf.yaml")
    (warning,) = warnings
    assert warning.code == "four_eyes_off"
    assert issue_line(warning, "zelf.yaml", "nl") == (
        "zelf.yaml:9: stages[0].allow_initiator: het vier-ogenprincipe staat uit voor deze "
        "fase: de initiatiefnemer mag hier zelf besluiten in het eigen dossier (laat het alleen "
        "staan waar een mandaat de initiatiefnemer laat beslissen)")
    assert warning.message == ("four eyes is off for this stage: the initiator may decide in "
                               "their own dossier")


def test_a_condition_problem_reads_in_both_languages() -> None:
    flow = ("schema: paraaf/flow/v1\nid: voorwaarde\nversion: 1\ntitle: Voorwaarde\n"
            "fields:\n  - {name: bedrag, type: money}\nstages:\n"
            "  - id: advies\n    kind: advise\n    assignees: [{group: juristen}]\n"
            "    condition: bedrag >= 10000 and (bedrag < 5\n")
    with pytest.raises(FlowValidationError) as caught:
        parse_flow(flow, "v.yaml")
    (issue,) = caught.value.issues
    assert issue.code == "condition_invalid"
    assert issue.params["problem"] == "expected_close"
    assert issue.message == "invalid condition at column 32: expected ')', got end of the condition"
    assert issue_texts(issue, "nl") == (
        "ongeldige voorwaarde bij kolom 32: hier hoort ')', niet het einde van de voorwaarde",
        "sluit de '(' van kolom 21")
