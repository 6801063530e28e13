"""The ASB Case Review (Community Trigger) threshold, with hand-made dates: which complaints
count, what is the same problem, and a local area's own threshold."""

from __future__ import annotations

from datetime import UTC, date, datetime

from vigil.domain.case_review import (
    Complaint,
    TriggerThreshold,
    add_months,
    assess,
    problem_keys,
    validate_application,
    validate_outcome,
    validate_threshold,
)

AS_OF = datetime(2026, 6, 30, 12, tzinfo=UTC)
AT_FLAT_4 = problem_keys(case_references=(), address_id=4, lsoa_code="E01000001",
                         category="nuisance")


def complaint(ref: str, *, made: datetime, happened: datetime | None = None,
              month: date | None = None, problems: frozenset[str] = AT_FLAT_4) -> Complaint:
    happened_month = month or (happened or made).date().replace(day=1)
    return Complaint(reference=ref, recorded_at=made,
                     occurred_at=happened if month is None else None,
                     occurred_month=happened_month, problems=problems)


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


def test_three_prompt_complaints_about_one_place_in_six_months_reach_the_threshold() -> None:
    result = assess([complaint("A", made=on("2026-02-03")), complaint("B", made=on("2026-04-10")),
                     complaint("C", made=on("2026-06-20"))], TriggerThreshold(), as_of=AS_OF)
    assert result.reached
    assert [c.reference for c in result.qualifying] == ["A", "B", "C"]
    assert result.problem_label == "at the same address, nuisance"


def test_two_complaints_do_not_reach_the_default_threshold() -> None:
    result = assess([complaint("A", made=on("2026-05-01")), complaint("B", made=on("2026-06-01"))],
                    TriggerThreshold(), as_of=AS_OF)
    assert not result.reached and len(result.qualifying) == 2


def test_a_complaint_made_more_than_a_month_after_the_incident_does_not_count() -> None:
    late = complaint("LATE", made=on("2026-05-20"), happened=on("2026-04-01"))
    result = assess([complaint("A", made=on("2026-03-01")), late,
                     complaint("C", made=on("2026-06-01"))], TriggerThreshold(), as_of=AS_OF)
    assert not result.reached
    assert [c.reference for c in result.not_qualifying] == ["LATE"]


def test_a_complaint_about_an_incident_known_only_by_its_month_gets_the_benefit_of_the_doubt(
        ) -> None:
    # Happened some time in April; complained on 25 May: within a month of 30 April.
    vague = complaint("APRIL", made=on("2026-05-25"), month=date(2026, 4, 1))
    result = assess([complaint("A", made=on("2026-03-01")), vague,
                     complaint("C", made=on("2026-06-01"))], TriggerThreshold(), as_of=AS_OF)
    assert result.reached


def test_complaints_older_than_six_months_fall_out_of_the_window() -> None:
    result = assess([complaint("OLD", made=on("2025-12-15")), complaint("B", made=on("2026-04-10")),
                     complaint("C", made=on("2026-06-20"))], TriggerThreshold(), as_of=AS_OF)
    assert not result.reached
    assert [c.reference for c in result.qualifying] == ["B", "C"]


def test_complaints_about_different_problems_are_not_added_together() -> None:
    elsewhere = problem_keys(case_references=(), address_id=9, lsoa_code="E01000002",
                             category="nuisance")
    other_kind = problem_keys(case_references=(), address_id=4, lsoa_code="E01000001",
                              category="environmental")
    result = assess([complaint("A", made=on("2026-03-01")),
                     complaint("B", made=on("2026-04-01"), problems=elsewhere),
                     complaint("C", made=on("2026-05-01"), problems=other_kind)],
                    TriggerThreshold(), as_of=AS_OF)
    assert not result.reached


def test_complaints_linked_to_one_case_are_one_problem_wherever_they_happened() -> None:
    def linked(address: int) -> frozenset[str]:
        return problem_keys(case_references=("CASE-2026-0001",), address_id=address,
                            lsoa_code=None, category="personal")

    result = assess([complaint(ref, made=on(day), problems=linked(n)) for n, (ref, day) in
                     enumerate([("A", "2026-03-01"), ("B", "2026-04-01"), ("C", "2026-05-01")])],
                    TriggerThreshold(), as_of=AS_OF)
    assert result.reached
    assert result.problem_label == "linked to case CASE-2026-0001"


def test_a_local_area_can_set_a_lower_threshold() -> None:
    local = TriggerThreshold(complaints=2, window_months=3, local_authority_code="E06000016")
    result = assess([complaint("A", made=on("2026-05-01")), complaint("B", made=on("2026-06-01"))],
                    local, as_of=AS_OF)
    assert result.reached
    assert local.describe().startswith("2 complaints about the same problem within 3 months")


def test_months_are_added_on_the_calendar() -> None:
    assert add_months(on("2026-08-31"), -6).date() == date(2026, 2, 28)
    assert add_months(on("2026-01-31"), 1).date() == date(2026, 2, 28)


def test_a_bad_threshold_names_every_field() -> None:
    assert set(validate_threshold(complaints=0, window_months=0, report_within_months=13)) == {
        "complaints", "window_months", "report_within_months"}


def test_an_application_with_nothing_filled_in_names_every_field() -> None:
    _, _, problems = validate_application(applied_on="", applicant_name="", applicant_kind="",
                                          party_id=None, victims={1}, today=date(2026, 6, 30))
    assert set(problems) == {"applied_on", "applicant_name", "applicant_kind", "party_id"}


def test_recommendations_are_needed_when_the_review_makes_them() -> None:
    _, _, problems = validate_outcome(decided_on="2026-06-01", decision="recommendations_made",
                                      recommendations="", since=date(2026, 5, 1),
                                      today=date(2026, 6, 30))
    assert set(problems) == {"recommendations"}
