"""Every refusal the domain raises has a stable code, typed parameters and a template in
each language; the renderer says it in the reader's language."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
from collections.abc import Callable
from pathlib import Path

import pytest

import approvals
from approvals import commands as c
from approvals.errors import (
    REFUSALS,
    SUBJECTS,
    ActionNotAllowed,
    DomainError,
    FourEyesViolation,
    InvalidInput,
    NotEntitled,
)
from approvals.text import UnsafeText, multi_line, one_line
from cards import refusal_text
from cards.strings import LANGUAGES
from tests.support.domain_kit import ANNA, FINANCE, HEAD, JURIST, OUTSIDER, Dossier

A = c.Action
APPROVALS = Path(approvals.__file__).parent

SELF_NAMING = {"UnknownDossier", "UnknownUser", "ConcurrencyConflict", "AmbiguousValue",
               "FourEyesViolation", "UnsafeText", "DossierClosed", "StaleTask", "NotYourTurn"}
"""Errors whose constructor sets the refusal code itself."""
DIAGNOSTICS = {"FlowValidationError", "ConditionError", "ChainBroken"}
"""Not refusals of a command: every problem of a flow definition or of stored events, for
the beheerder who wrote the flow or checks the audit trail."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _domain_errors() -> set[str]:
    for module in pkgutil.walk_packages([str(APPROVALS)], prefix="approvals."):
        importlib.import_module(module.name)
    found: set[str] = set()
    todo: list[type[DomainError]] = [DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _codes(value: ast.expr, tables: dict[str, ast.expr]) -> list[object] | None:
    """The refusal codes an expression can give: a constant, either branch of ``a if x else
    b``, any value of a module's table (``_EXPECTED[field.type]``); None for a refusal passed
    on by a constructor (``refusal=refusal``, its callers are checked at run time)."""
    if isinstance(value, ast.Constant):
        return [value.value]
    if isinstance(value, ast.IfExp):
        body, orelse = _codes(value.body, tables), _codes(value.orelse, tables)
        return [*(body or [value.body]), *(orelse or [value.orelse])]
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        table = tables.get(value.value.id)
        if isinstance(table, ast.Dict):
            return [v.value if isinstance(v, ast.Constant) else ast.unparse(v)
                    for v in table.values]
    if isinstance(value, ast.Name) and value.id == "refusal":
        return None
    return [ast.unparse(value)]


def unregistered(source: str, errors: set[str]) -> list[str]:
    """The calls in ``source`` that build a domain error without a registered refusal code
    (or without a parameter its template names)."""
    problems = []
    tree = ast.parse(source)
    tables = {target.id: node.value for node in tree.body
              if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
              for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
              if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        where = f"line {node.lineno}"
        if "refusal" in keywords:
            for code in _codes(keywords["refusal"], tables) or []:
                if not (isinstance(code, str) and code in REFUSALS):
                    problems.append(f"{where}: refusal {code!r} is not registered")
                elif None not in keywords:  # no **params: every placeholder is given here
                    missing = _placeholders(REFUSALS[code]) - set(keywords)
                    if missing:
                        problems.append(f"{where}: {code} lacks {sorted(missing)}")
        elif name in errors and name not in SELF_NAMING | DIAGNOSTICS:
            problems.append(f"{where}: {name}(...) without a refusal code")
    return problems


def test_every_refusal_has_a_template_in_both_languages_with_the_same_fields() -> None:
    for lang, s in LANGUAGES.items():
        assert set(s.refusals) == set(REFUSALS), lang
        for code, template in REFUSALS.items():
            assert _placeholders(s.refusals[code]) == _placeholders(template), (lang, code)
        assert set(s.refusal_subjects) == set(SUBJECTS), lang
        for key, subject in SUBJECTS.items():
            assert _placeholders(s.refusal_subjects[key]) == _placeholders(subject), (lang, key)


def test_every_domain_error_raised_in_approvals_names_a_registered_refusal() -> None:
    errors = _domain_errors()
    assert {"InvalidInput", "ActionNotAllowed", "NotEntitled", "UnknownFlow"} <= errors
    paths = sorted(APPROVALS.rglob("*.py"))
    assert APPROVALS / "flows" / "checks.py" in paths
    problems = [f"{path.relative_to(APPROVALS)} {problem}" for path in paths
                for problem in unregistered(path.read_text(encoding="utf-8"), errors)]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_a_message_without_a_code_and_an_unknown_code() -> None:
    source = ('raise InvalidInput("A reason is required.")\n'
              'raise NotEntitled(refusal="no_such_refusal")\n'
              'raise ActionNotAllowed(refusal="dossier_closed", dossier="X")\n')
    problems = unregistered(source, {"InvalidInput", "NotEntitled", "ActionNotAllowed"})
    assert problems == ["line 1: InvalidInput(...) without a refusal code",
                        "line 2: refusal 'no_such_refusal' is not registered",
                        "line 3: dossier_closed lacks ['status']"]


@pytest.mark.parametrize(("check", "char", "code"), [
    (one_line, "\x1b", "text_control_char"), (one_line, "\u202e", "text_bidi_char"),
    (one_line, "\n", "text_line_break"), (multi_line, "\u2028", "text_odd_line_break"),
])
def test_unsafe_text_names_a_registered_refusal(check: Callable[[object, str], str], char: str,
                                                code: str) -> None:
    with pytest.raises(UnsafeText) as refused:
        check(f"a{char}b", "title")
    assert refused.value.refusal == code and code in REFUSALS
    assert refused.value.params["what"] == "title"


def test_the_message_is_the_english_template_filled_in() -> None:
    error = ActionNotAllowed(refusal="dossier_closed", dossier="D-1", status="rejected")
    assert error.message == "Dossier 'D-1' is closed (rejected)."
    assert (error.code, error.refusal, error.params) == (
        "action_not_allowed", "dossier_closed", {"dossier": "D-1", "status": "rejected"})


def test_an_error_without_a_code_keeps_the_words_a_channel_gave_it() -> None:
    error = InvalidInput("--due: geef de nieuwe termijn als JJJJ-MM-DD.")
    assert error.refusal == "" and error.params == {}
    assert refusal_text(error, "en") == "--due: geef de nieuwe termijn als JJJJ-MM-DD."


# ------------------------------------------------------------- refused through the engine


def _refused(d: Dossier, cmd: c.Command) -> DomainError:
    with pytest.raises(DomainError) as refused:
        d.run(cmd)
    return refused.value


def _base(d: Dossier, actor: object) -> dict[str, object]:
    return {"dossier_id": d.dossier_id, "actor": actor, "command_id": d._id()}


def test_a_closed_dossier_says_so_with_its_status() -> None:
    d = Dossier()
    d.start()
    d.run(c.Withdraw(**_base(d, ANNA), reason="Niet meer nodig"))  # type: ignore[arg-type]
    error = _refused(d, c.AddComment(**_base(d, ANNA), text="Nog iets"))  # type: ignore[arg-type]
    assert error.refusal == "dossier_closed"
    assert refusal_text(error, "nl") == (
        f"Dossier ‘{d.dossier_id}’ is afgesloten (ingetrokken); er kan niets meer aan worden "
        "gedaan.")
    assert refusal_text(error, "en") == f"Dossier '{d.dossier_id}' is closed (withdrawn)."


def test_sending_back_without_a_reason_asks_for_one() -> None:
    d = Dossier()
    d.start()
    d.act(JURIST, A.ADVISE, advice=c.Advice.POSITIEF)
    d.act(FINANCE, A.ADVISE, advice=c.Advice.POSITIEF)
    error = _refused(d, c.Return(**_base(d, HEAD), to_stage="juridisch_advies",  # type: ignore[arg-type]
                                 reason="  "))
    assert isinstance(error, InvalidInput) and error.refusal == "reason_required"
    assert refusal_text(error, "nl") == "Geef een reden op: die is verplicht bij deze handeling."
    assert refusal_text(error, "en-US") == "A reason is required."


def test_not_your_turn_names_the_dossier() -> None:
    d = Dossier()
    d.start()
    error = _refused(d, c.Act(**_base(d, OUTSIDER), action=A.INITIAL))  # type: ignore[arg-type]
    assert isinstance(error, NotEntitled) and error.refusal == "not_your_turn"
    assert refusal_text(error, "nl").startswith(
        f"Je bent niet aan zet in dossier ‘{d.dossier_id}’")


def test_another_action_than_the_stage_asks_names_both_in_words() -> None:
    d = Dossier()
    d.start()
    error = _refused(d, c.Act(**_base(d, JURIST), action=A.APPROVE,  # type: ignore[arg-type]
                              stage_id="juridisch_advies"))
    assert error.refusal == "wrong_stage_kind"
    titles = {"juridisch_advies": "Juridisch advies"}.__getitem__
    assert refusal_text(error, "nl", titles) == (
        "De stap ‘Juridisch advies’ vraagt niet om ‘accorderen’ maar om ‘adviseren’.")


def test_an_unknown_field_names_the_fields_there_are() -> None:
    d = Dossier()
    error = _refused(d, c.StartDossier(**_base(d, ANNA), flow_id=d.flow.id,  # type: ignore[arg-type]
                                       flow_version=d.flow.version, title="Speeltuin",
                                       fields={"bedrag": "5", "kleur": "rood"}))
    assert error.refusal == "unknown_field"
    known = ", ".join(f.name for f in d.flow.fields)
    assert refusal_text(error, "nl") == (
        f"Processtroom ‘{d.flow.id}’ kent geen veld ‘kleur’. De velden zijn: {known}.")


def test_an_amount_that_reads_two_ways_shows_both_readings_the_readers_way() -> None:
    d = Dossier()
    with pytest.raises(InvalidInput) as refused:
        d.start(bedrag="25,000")
    error = refused.value
    assert error.refusal == "ambiguous_value"
    assert "‘25,000’ kan twee dingen betekenen: € 25,00 of € 25.000,00." in refusal_text(
        error, "nl")
    assert "'25,000' can be read two ways, as €25.00 or as €25,000.00." in refusal_text(
        error, "en")
    assert "as 25,00 or as 25.000,00" in error.message  # the log keeps the Dutch notation


def test_text_in_a_field_names_the_field_by_its_label() -> None:
    d = Dossier()
    with pytest.raises(UnsafeText) as refused:
        d.start(toelichting="Speeltuin\x1b[2J")
    assert refusal_text(refused.value, "nl") == (
        "Het veld ‘Toelichting’ (toelichting) bevat een stuurteken (U+001B ESC): haal het weg.")
    assert refusal_text(refused.value, "en") == (
        "The field 'toelichting' (Toelichting) contains a control character (U+001B ESC): "
        "remove it.")


def test_four_eyes_is_one_of_the_refusals() -> None:
    error = FourEyesViolation("initiator", "besluit", "Anna", ANNA.oid, "besluit", "decide")
    assert error.refusal == "four_eyes_initiator"
    assert "Anna is initiatiefnemer van dit dossier en doet daarin niet het besluit" in (
        refusal_text(error, "nl"))


def test_an_overlapping_substitute_names_the_period_as_dates() -> None:
    from datetime import date

    from approvals.substitutes import new_absence

    def absence(start: date, end: date, existing: tuple[object, ...] = ()) -> object:
        return new_absence(absence_id="a", person=HEAD, substitute=FINANCE, start=start,
                           end=end, reason="vakantie", actor=HEAD, actor_is_admin=False,
                           today=date(2026, 11, 23), at="2026-11-23T09:00:00Z",
                           existing=existing)  # type: ignore[arg-type]

    first = absence(date(2026, 12, 1), date(2026, 12, 24))
    with pytest.raises(InvalidInput) as refused:
        absence(date(2026, 12, 20), date(2026, 12, 31), (first,))
    assert refused.value.refusal == "substitute_overlap"
    assert refusal_text(refused.value, "nl") == (
        "Head heeft al Finance als vervanger van 1 december 2026 tot en met 24 december 2026; "
        "beëindig die periode eerst.")
    assert "from 2026-12-01 to 2026-12-24" in refused.value.message


def test_a_long_text_counts_with_the_languages_separators() -> None:
    d = Dossier()
    d.start()
    error = _refused(d, c.AddComment(**_base(d, ANNA), text="x" * 12_345))  # type: ignore[arg-type]
    assert refusal_text(error, "nl") == (
        "De opmerking is te lang: 12.345 tekens, hoogstens 4.000. Maak het korter.")
    assert refusal_text(error, "en") == (
        "The comment is too long: 12,345 characters, at most 4,000.")


def test_acting_in_two_stages_asks_which_naming_them_by_title() -> None:
    from tests.support.domain_kit import GROUPS

    d = Dossier(groups={**GROUPS, "financieel_advies": (JURIST,)})
    d.start()
    error = _refused(d, c.Act(**_base(d, JURIST), action=A.ADVISE,  # type: ignore[arg-type]
                              advice=c.Advice.POSITIEF))
    assert error.refusal == "several_stages"
    titles = {"juridisch_advies": "Juridisch advies", "financieel_advies": "Financieel advies"}
    assert refusal_text(error, "nl", titles.__getitem__) == (
        "Je bent aan zet in meer dan één stap (Financieel advies, Juridisch advies): geef aan "
        "in welke stap je handelt.")
