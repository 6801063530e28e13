"""The supervisor's view on a real store: alerts only for high-risk calls, acknowledged once;
recording contact closes the task; the inspectorate's measures on calls with known answers;
another agency's supervisor sees none of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.test_identify_service import make_actor
from vigil.bootstrap import Container
from vigil.domain.access import Actor, NotFound, PermissionDenied, Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, Answer, AnswerStatus, RiskLevel
from vigil.services.call_alerts import acknowledge_alert, open_alert_count, open_alerts
from vigil.services.calls import NewCall, PersonIn, record_call
from vigil.services.supervision import (
    ContactMade,
    InvalidSupervisionInput,
    inspection_report,
    open_high_risk_calls,
    overdue_contacts,
    parse_period,
    record_call_contact,
)
from vigil.store.call_tables import CallTask
from vigil.store.case_tables import CaseContact
from vigil.store.models import AuditEntry
from vigil.store.supervision_tables import SupervisorAlert

OCT = datetime(2026, 10, 5, 10, tzinfo=UTC)
QUESTIONS = DEFAULT_QUESTIONNAIRE.questions
LOWEST = {q.key: Answer(AnswerStatus.ANSWERED, min(q.options, key=lambda o: o.score).value)
          for q in QUESTIONS}
HIGHEST = {q.key: Answer(AnswerStatus.ANSWERED, max(q.options, key=lambda o: o.score).value)
           for q in QUESTIONS}
VULNERABILITY = ("targeted", "health", "disability", "age", "living_alone", "unsafe_home")
THRIVE = {k: "noted" for k in ("threat", "harm", "risk", "investigation", "vulnerability",
                               "engagement")}


def not_asked(*keys: str, base: dict[str, Answer] = LOWEST) -> dict[str, Answer]:
    return base | {k: Answer(AnswerStatus.NOT_ASKED, reason="call ended") for k in keys}


def call(family: str, postcode: str, answers: dict[str, Answer]) -> NewCall:
    return NewCall(caller=PersonIn(given_name="Test", family_name=family,
                                   address=f"1 {family} Street, Leicester", postcode=postcode),
                   category="nuisance", detailed_type="noise", description="Shouting",
                   answers=answers, thrive=THRIVE)


@pytest.fixture
def people(container: Container) -> dict[str, Actor]:
    return {
        "handler": make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force"),
        "sergeant": make_actor(container, "sergeant", role=Role.SUPERVISOR, agency="force"),
        "inspector": make_actor(container, "inspector", role=Role.SUPERVISOR, agency="force"),
        "council": make_actor(container, "council.manager", role=Role.SUPERVISOR,
                              agency="city-council"),
    }


def test_only_a_high_risk_call_alerts_and_only_its_agencys_supervisors(
        container: Container, people: dict[str, Actor]) -> None:
    standard = record_call(container.uow(people["handler"]),
                           call=call("Aldous", "LE1 1AA", LOWEST), now=OCT)
    assert standard.level is RiskLevel.STANDARD
    with container.session_factory() as session:
        assert open_alert_count(session, people["sergeant"]) == 0
    high = record_call(container.uow(people["handler"]),
                       call=call("Brightwell", "LE2 2BB", HIGHEST), now=OCT)
    assert high.level is RiskLevel.HIGH
    with container.session_factory() as session:
        alert = session.scalars(select(SupervisorAlert)).one()
        assert open_alert_count(session, people["sergeant"]) == 1
        assert open_alert_count(session, people["council"]) == 0
        assert open_alert_count(session, people["handler"]) == 0
    assert [a.reference for a in open_alerts(container.uow(people["sergeant"]))] == [
        high.reference]
    assert open_alerts(container.uow(people["council"])) == []
    with pytest.raises(NotFound):
        acknowledge_alert(container.uow(people["council"]), alert_id=alert.id)
    with pytest.raises(PermissionDenied):
        open_alerts(container.uow(people["handler"]))


def test_an_alert_is_acknowledged_once(container: Container, people: dict[str, Actor]
                                       ) -> None:
    record_call(container.uow(people["handler"]), call=call("Crane", "LE3 3CC", HIGHEST),
                now=OCT)
    with container.session_factory() as session:
        alert_id = session.scalars(select(SupervisorAlert.id)).one()
    first = acknowledge_alert(container.uow(people["sergeant"]), alert_id=alert_id,
                              now=OCT + timedelta(minutes=5))
    again = acknowledge_alert(container.uow(people["inspector"]), alert_id=alert_id,
                              now=OCT + timedelta(minutes=9))
    assert first.acknowledged_by == again.acknowledged_by == "Sergeant"
    assert again.acknowledged_at == OCT + timedelta(minutes=5)
    with container.session_factory() as session:
        assert open_alert_count(session, people["sergeant"]) == 0
        audits = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "acknowledge_alert"))
    assert audits == 1


def test_recording_contact_closes_the_task(container: Container, people: dict[str, Actor]
                                           ) -> None:
    high = record_call(container.uow(people["handler"]),
                       call=call("Dunmore", "LE4 4DD", HIGHEST), now=OCT)
    later = OCT + timedelta(hours=30)
    overdue = overdue_contacts(container.uow(people["sergeant"]), now=later)
    assert [r.reference for r in overdue.items] == [high.reference]
    assert overdue.items[0].overdue_by == timedelta(hours=6)
    assert open_high_risk_calls(container.uow(people["sergeant"]), now=later).total == 1
    assert overdue_contacts(container.uow(people["council"]), now=later).total == 0
    task_id = overdue.items[0].task_id
    with pytest.raises(InvalidSupervisionInput) as bad:
        record_call_contact(container.uow(people["sergeant"]), now=later, contact=ContactMade(
            task_id=task_id, made_at="yesterday", made_by=" ", kind="pigeon", note=""))
    assert set(bad.value.problems) == {"made_at", "made_by", "kind", "note"}
    with pytest.raises(NotFound):
        record_call_contact(container.uow(people["council"]), now=later, contact=ContactMade(
            task_id=task_id, made_at="2026-10-06T12:00", made_by="PC Dunn", kind="visit",
            note="Visited"))
    reference = record_call_contact(
        container.uow(people["sergeant"]), now=later, contact=ContactMade(
            task_id=task_id, made_at="2026-10-06T12:00", made_by="PC Dunn", kind="visit",
            note="Visited; victim safe"))
    assert reference == high.reference
    with container.session_factory() as session:
        task = session.get(CallTask, task_id)
        contact = session.scalars(select(CaseContact)).one()
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "record_call_contact")).one()
    assert task is not None and task.done_at == datetime(2026, 10, 6, 11, tzinfo=UTC)  # BST
    assert contact.by_name == "PC Dunn" and contact.kind == "visit"
    assert audit.object_id == high.reference and audit.username == "sergeant"
    assert overdue_contacts(container.uow(people["sergeant"]), now=later).total == 0
    assert open_high_risk_calls(container.uow(people["sergeant"]), now=later).total == 0
    with pytest.raises(InvalidSupervisionInput) as twice:
        record_call_contact(container.uow(people["sergeant"]), now=later, contact=ContactMade(
            task_id=task_id, made_at="2026-10-06T13:00", made_by="PC Dunn", kind="visit",
            note="Again"))
    assert "task" in twice.value.problems


def test_the_inspectorates_measures_on_calls_with_known_answers(
        container: Container, people: dict[str, Actor]) -> None:
    handler, sergeant = people["handler"], people["sergeant"]
    asked_all = record_call(container.uow(handler), call=call("Ellery", "LE5 5EE", LOWEST),
                            now=OCT)
    record_call(container.uow(handler), now=OCT + timedelta(days=1), call=call(
        "Fairbairn", "LE6 6FF", not_asked("earlier_incidents", *VULNERABILITY)))
    declined = not_asked(*VULNERABILITY[:-1]) | {
        "earlier_incidents": Answer(AnswerStatus.DECLINED, reason="private")}
    late = record_call(container.uow(handler), call=call("Gosling", "LE7 7GG", declined),
                       now=OCT + timedelta(days=2))
    repeat = record_call(container.uow(handler), call=call("Ellery", "LE5 5EE", LOWEST),
                         now=OCT + timedelta(days=3))
    assert "repeat_caller" in repeat.flags
    for saved, after in ((asked_all, timedelta(hours=2)), (late, timedelta(days=10)),
                         (repeat, timedelta(hours=30))):
        overdue = {r.reference: r.task_id for r in overdue_contacts(
            container.uow(sergeant), now=OCT + timedelta(days=60)).items}
        made = OCT + (timedelta(days=2) if saved is late else
                      timedelta(days=3) if saved is repeat else timedelta()) + after
        record_call_contact(container.uow(sergeant), now=OCT + timedelta(days=60),
                            contact=ContactMade(task_id=overdue[saved.reference], made_at=made,
                                                made_by="PC Dunn", kind="phone", note="Rang"))
    report = inspection_report(container.uow(sergeant), start=date(2026, 10, 1),
                               end=date(2026, 10, 31), now=datetime(2026, 12, 1, tzinfo=UTC))
    m = report.current
    assert m.calls == 4
    assert (m.earlier_asb_asked.count, m.earlier_asb_asked.total) == (3, 4)  # declined = asked
    assert m.vulnerability_asked.count == 3 and m.all_vulnerability_asked.count == 2
    assert m.identified.count == 1 and m.identified_by_lookup == 1
    assert m.contact.made == 3
    assert m.contact.median_hours == pytest.approx(30)
    assert m.contact.p90_hours == pytest.approx(30 + (240 - 30) * 0.8)
    assert (m.contact.in_time.count, m.contact.in_time.total) == (2, 4)
    assert report.previous.start == date(2026, 9, 1) and report.previous.calls == 0
    assert report.year_earlier.start == date(2025, 10, 1)
    assert [s.month for s in report.months][-1] == date(2026, 10, 1)
    assert report.months[-1].measures.calls == 4 and len(report.months) == 12
    council = inspection_report(container.uow(people["council"]), start=date(2026, 10, 1),
                                end=date(2026, 10, 31))
    assert council.current.calls == 0


def test_a_period_is_checked_field_by_field() -> None:
    today = date(2026, 11, 26)
    assert parse_period("", "", today=today) == (date(2026, 10, 1), date(2026, 10, 31))
    with pytest.raises(InvalidSupervisionInput) as bad:
        parse_period("2026-13-01", "", today=today)
    assert set(bad.value.problems) == {"from", "to"}
    with pytest.raises(InvalidSupervisionInput) as backwards:
        parse_period("2026-10-31", "2026-10-01", today=today)
    assert set(backwards.value.problems) == {"to"}


def test_long_lists_come_a_page_at_a_time(container: Container, people: dict[str, Actor]
                                          ) -> None:
    saved = [record_call(container.uow(people["handler"]), now=OCT + timedelta(minutes=n),
                         call=call(f"Family{chr(65 + n)}", f"LE{n + 1} 1AA", HIGHEST))
             for n in range(12)]
    later = OCT + timedelta(days=3)
    first = open_high_risk_calls(container.uow(people["sergeant"]), now=later)
    second = open_high_risk_calls(container.uow(people["sergeant"]), page=2, now=later)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (12, 2, 10, 2)
    assert first.items[0].reference == saved[-1].reference  # newest first
    assert second.items[-1].reference == saved[0].reference
    overdue = overdue_contacts(container.uow(people["sergeant"]), page=2, now=later)
    assert [r.reference for r in overdue.items] == [s.reference for s in saved[10:]]
