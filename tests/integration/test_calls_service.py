"""Recording a call: one transaction for incident, people, assessment, task and audit; every
gap at once with nothing written; the next look-up finds the caller; flags raise the level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.test_identify_service import make_actor
from vigil.bootstrap import Container
from vigil.domain.access import PermissionDenied, Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, Answer, AnswerStatus, RiskLevel
from vigil.services.calls import InvalidCall, NewCall, PersonIn, record_call
from vigil.services.identification import CallerDetails, identify
from vigil.services.reference import ensure_reference_data
from vigil.store.call_tables import CallTask, RiskAssessment
from vigil.store.models import Address, AuditEntry, Incident, Lsoa, PersonRecord

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
LOWEST = {q.key: Answer(AnswerStatus.ANSWERED, min(q.options, key=lambda o: o.score).value)
          for q in DEFAULT_QUESTIONNAIRE.questions}
THRIVE = {k: "noted" for k in ("threat", "harm", "risk", "investigation", "vulnerability",
                               "engagement")}


def a_call(**changes: object) -> NewCall:
    fields: dict[str, object] = dict(
        caller=PersonIn(given_name="Winifred", family_name="Okonkwo-Hale",
                        date_of_birth="12/03/1948", phone="07700 900123",
                        address="14 Kings Road, Leicester", postcode="le1 5ww"),
        category="nuisance", detailed_type="noise", description="Loud music every night",
        answers=LOWEST, thrive=THRIVE)
    fields.update(changes)
    return NewCall(**fields)  # type: ignore[arg-type]


def count(container: Container, table: type) -> int:
    with container.session_factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_saved_call_is_found_by_the_next_lookup(container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), call=a_call(), now=NOW)
    assert saved.reference == "VGL-2026-000001" and saved.level is RiskLevel.STANDARD
    assert saved.due_at == NOW + timedelta(days=7)
    found = identify(container.uow(handler), reason="next call", as_of=NOW + timedelta(hours=1),
                     caller=CallerDetails(given_name="Winnie", family_name="Okonkwo Hale",
                                          postcode="LE1 5WW"))
    assert found.people and found.flags.repeat_caller
    with container.session_factory() as session:
        task = session.scalars(select(CallTask)).one()
        assessment = session.scalars(select(RiskAssessment)).one()
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "record_call")).one()
    assert task.description == "Neighbourhood contact within 7 days"
    assert assessment.answers["threats"]["status"] == "answered"
    assert assessment.thrive["harm"] == "noted"
    assert audit.object_id == saved.reference and audit.username == "handler"


def test_a_second_call_from_the_same_caller_is_raised_as_a_repeat(container: Container
                                                                  ) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    record_call(container.uow(handler), call=a_call(), now=NOW - timedelta(minutes=30))
    second = record_call(container.uow(handler), call=a_call(), now=NOW)
    assert second.reference == "VGL-2026-000002"
    assert second.level is RiskLevel.MEDIUM and "repeat_caller" in second.flags
    assert second.raised_by == ("Raised from standard to medium: repeat caller or victim",)
    assert second.due_at == NOW + timedelta(hours=72)


def test_every_gap_is_listed_and_nothing_is_written(container: Container) -> None:
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    answers = dict(LOWEST)
    del answers["threats"]
    answers["age"] = Answer(AnswerStatus.DECLINED)
    call = a_call(caller=PersonIn(phone="12"), category="", detailed_type="",
                  description=" ", answers=answers, thrive={}, occurred_at="yesterday")
    with pytest.raises(InvalidCall) as error:
        record_call(container.uow(handler), call=call, now=NOW)
    problems = error.value.problems
    assert {"caller.family_name", "caller.phone", "place_address", "category",
            "detailed_type", "description", "occurred_at", "answers.threats", "answers.age",
            "thrive.harm"} <= set(problems)
    assert count(container, Incident) == 0 and count(container, PersonRecord) == 0


def test_a_partner_cannot_record_calls(container: Container) -> None:
    partner = make_actor(container, "partner", role=Role.PARTNER_ASB_OFFICER,
                         agency="city-council")
    with pytest.raises(PermissionDenied):
        record_call(container.uow(partner), call=a_call(), now=NOW)
    assert count(container, Incident) == 0


def test_a_known_address_gives_the_incident_its_lsoa(container: Container) -> None:
    with container.session_factory() as session:
        ensure_reference_data(session)
        session.add(Lsoa(code="E01000001", name="Castle 1"))
        session.flush()
        session.add(Address(house="14", street="Kings Road", town="Leicester",
                            postcode="LE1 5WW", lsoa_code="E01000001"))
        session.commit()
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    saved = record_call(container.uow(handler), call=a_call(place_address="14 Kings Rd"),
                        now=NOW)
    same_postcode = record_call(container.uow(handler), now=NOW, call=a_call(
        place_address="", place_postcode="LE1 5WW", caller=PersonIn(family_name="Hale")))
    unknown = record_call(container.uow(handler), now=NOW, call=a_call(
        place_address="99 Nowhere Lane", place_postcode="LE2 1AA"))
    with container.session_factory() as session:
        places = {r: (lsoa, address_id is not None) for r, lsoa, address_id in session.execute(
            select(Incident.reference, Incident.lsoa_code, Incident.address_id)).all()}
    assert places == {saved.reference: ("E01000001", True),
                      same_postcode.reference: ("E01000001", False),
                      unknown.reference: (None, False)}
