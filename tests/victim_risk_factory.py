"""Builds calls with risk assessments straight into the database, for the victim risk and
ASB Case Review threshold tests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services import case_actions, cases
from vigil.services.users import actor_for
from vigil.store.call_tables import RiskAssessment, RiskQuestionnaireVersion
from vigil.store.models import Incident, IncidentPerson, Person, PersonRecord, Source, User
from vigil.store.types import utcnow


def assessed_call(container: Container, reference: str, *, record_id: int, level: str,
                  score: int, days_ago: int, police_only: bool = False,
                  lsoa: str | None = None) -> None:
    """A call ``days_ago`` on which the record was the victim, with its risk assessment (so
    also a complaint for the ASB Case Review, recorded the day it happened)."""
    when = utcnow() - timedelta(days=days_ago)
    with container.session_factory() as session:
        source_id = session.scalar(select(Source.id).where(Source.code == "vigil"))
        questionnaire_id = session.scalar(select(RiskQuestionnaireVersion.id))
        if questionnaire_id is None:
            version = RiskQuestionnaireVersion(version=1, data={"version": 1, "questions": []})
            session.add(version)
            session.flush()
            questionnaire_id = version.id
        assert source_id is not None
        incident = Incident(
            reference=reference, source_id=source_id, source_key=reference, occurred_at=when,
            occurred_month=when.date().replace(day=1), time_precision="exact",
            location_text="On or near Mill Road", lsoa_code=lsoa, category="personal",
            detailed_type="noise", status="open", police_only=police_only, recorded_at=when)
        session.add(incident)
        session.flush()
        session.add(IncidentPerson(incident_id=incident.id, person_record_id=record_id,
                                   role="victim"))
        session.add(RiskAssessment(
            incident_id=incident.id, questionnaire_id=questionnaire_id,
            answers={"threats": {"status": "answered", "value": "yes"}}, score=score,
            score_level=level, level=level, thrive={}, assessed_at=when))
        session.commit()


def same_person(container: Container, *record_ids: int) -> None:
    """Link the records to one resolved person, as the identification engine would."""
    with container.session_factory() as session:
        person = Person()
        session.add(person)
        session.flush()
        for record_id in record_ids:
            record = session.get(PersonRecord, record_id)
            assert record is not None
            record.person_id = person.id
        session.commit()


BASIS = "Crime and Disorder Act 1998, section 115"


def actor(container: Container, username: str) -> Actor:
    """The stored user ``username`` as the services' actor."""
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


def shared_case(container: Container, *, victim_record_id: int) -> str:
    """A case opened by ``pc.dunmore`` with the record as its victim, shared with the city
    council; returns its reference."""
    police = actor(container, "pc.dunmore")
    reference = cases.open_case(container.uow(police), new=cases.NewCase(title="Mill Road"))
    case_actions.add_party(container.uow(police), reference=reference, role="victim",
                           person_record_id=victim_record_id)
    case_actions.share_case(container.uow(police), reference=reference,
                            agency_code="city-council", lawful_basis=BASIS)
    return reference
