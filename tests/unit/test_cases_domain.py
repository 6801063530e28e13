"""The case rules in plain Python: lifecycle, closing with an outcome, dates, lawful basis."""

from __future__ import annotations

from datetime import date

import pytest

from vigil.domain.cases import (
    CaseStatus,
    InterventionKind,
    case_reference,
    check_transition,
    is_overdue,
    parse_date,
    validate_lawful_basis,
)


@pytest.mark.parametrize(("current", "wanted"), [
    (CaseStatus.OPEN, "action_plan"), (CaseStatus.ACTION_PLAN, "review"),
    (CaseStatus.REVIEW, "action_plan"), (CaseStatus.OPEN, "closed"),
])
def test_a_case_moves_forward_through_its_life(current: CaseStatus, wanted: str) -> None:
    outcome = "resolved" if wanted == "closed" else ""
    assert check_transition(current, wanted, outcome=outcome) == {}


def test_a_case_cannot_skip_from_open_to_review() -> None:
    problems = check_transition(CaseStatus.OPEN, "review")
    assert problems == {"status": "a case that is open can move only to action plan, closed"}


def test_closing_needs_an_outcome_and_reopening_needs_a_reason() -> None:
    assert "outcome" in check_transition(CaseStatus.REVIEW, "closed")
    assert "outcome" in check_transition(CaseStatus.REVIEW, "closed", outcome="happy")
    assert check_transition(CaseStatus.CLOSED, "open") == {
        "reason": "say why the case is being reopened"}
    assert check_transition(CaseStatus.CLOSED, "open", reason="New reports") == {}


def test_an_unknown_status_is_named() -> None:
    assert check_transition(CaseStatus.OPEN, "paused") == {
        "status": "'paused' is not a case status"}


def test_dates_are_read_as_iso_and_every_bad_one_is_reported() -> None:
    problems: dict[str, str] = {}
    assert parse_date("2026-03-31", field="due_on", problems=problems) == date(2026, 3, 31)
    assert parse_date("31/03/2026", field="due_on", problems=problems) is None
    assert parse_date("", field="held_on", problems=problems) is None
    assert parse_date("", field="ends_on", problems=problems, required=False) is None
    assert set(problems) == {"due_on", "held_on"}


def test_sharing_needs_a_real_lawful_basis() -> None:
    problems: dict[str, str] = {}
    validate_lawful_basis("because", problems)
    assert "lawful_basis" in problems


def test_an_action_is_overdue_only_when_not_done_and_past_its_date() -> None:
    today = date(2026, 5, 10)
    assert is_overdue(date(2026, 5, 9), done=False, today=today)
    assert not is_overdue(date(2026, 5, 10), done=False, today=today)
    assert not is_overdue(date(2026, 5, 1), done=True, today=today)


def test_every_intervention_the_issue_names_has_words() -> None:
    labels = {k.label for k in InterventionKind}
    assert {"Warning letter", "Acceptable behaviour contract", "Community protection warning",
            "Community protection notice", "Public spaces protection order", "Civil injunction",
            "Criminal behaviour order", "Closure notice", "Closure order",
            "Dispersal direction", "Mediation", "Support referral"} == labels


def test_case_references_are_zero_padded_by_year() -> None:
    assert case_reference(2026, 7) == "CASE-2026-0007"
