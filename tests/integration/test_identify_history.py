"""The history an identification shows: counts by risk level, an incident counted once however
many of the person's records it names, police-only incidents kept from partners, the audit
chain intact after look-ups, and records indexed by an older engine still found."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.integration.test_identify_service import make_actor
from vigil.bootstrap import Container
from vigil.domain.access import Actor, Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE
from vigil.identify.index import index_person_record
from vigil.identify.rules import IdentificationRules
from vigil.services.audit_trail import verify_chain
from vigil.services.identification import (
    CallerDetails,
    Counts,
    Flags,
    Identification,
    identify,
)
from vigil.services.reference import ensure_reference_data
from vigil.store.call_tables import RiskAssessment, RiskQuestionnaireVersion
from vigil.store.identify_tables import RecordFeatures
from vigil.store.models import Address, Incident, IncidentPerson, PersonRecord

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
ALICE = CallerDetails(given_name="Alice", family_name="Okoro", date_of_birth="1984-09-21",
                      address="14 Kings Road, Leicester", postcode="LE1 5WW")


class Factory:
    """Person records and incidents (with or without a risk assessment), written and indexed
    in one transaction each."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.count = 0

    def address(self) -> int:
        with self.container.session_factory() as session:
            address = Address(house="14", street="Kings Road", town="Leicester",
                              postcode="LE1 5WW")
            session.add(address)
            session.commit()
            return address.id

    def record(self, *, source: str = "vigil", police_only: bool = False) -> int:
        with self.container.session_factory() as session:
            sources = ensure_reference_data(session)
            self.count += 1
            record = PersonRecord(source_id=sources[source].id, source_key=f"R{self.count}",
                                  given_name="Alice", family_name="Okoro",
                                  date_of_birth="1984-09-21", police_only=police_only)
            session.add(record)
            index_person_record(session, record)
            session.commit()
            return record.id

    def incident(self, *, days_ago: int, records: list[int], level: str | None = None,
                 address_id: int | None = None, police_only: bool = False,
                 role: str = "victim") -> int:
        with self.container.session_factory() as session:
            sources = ensure_reference_data(session)
            when = NOW - timedelta(days=days_ago)
            self.count += 1
            incident = Incident(
                reference=f"INC-{self.count}", source_id=sources["vigil"].id,
                source_key=f"INC-{self.count}", occurred_at=when,
                occurred_month=date(when.year, when.month, 1), time_precision="exact",
                category="personal", detailed_type="noise", status="open",
                address_id=address_id, police_only=police_only)
            session.add(incident)
            session.flush()
            for record_id in records:
                session.add(IncidentPerson(incident_id=incident.id,
                                           person_record_id=record_id, role=role))
            if level:
                questionnaire = session.scalar(select(RiskQuestionnaireVersion))
                if questionnaire is None:
                    questionnaire = RiskQuestionnaireVersion(
                        version=DEFAULT_QUESTIONNAIRE.version,
                        data=DEFAULT_QUESTIONNAIRE.to_data())
                    session.add(questionnaire)
                    session.flush()
                session.add(RiskAssessment(
                    incident_id=incident.id, questionnaire_id=questionnaire.id, answers={},
                    score=0, score_level=level, level=level, thrive={}))
            session.commit()
            return incident.id


@pytest.fixture
def factory(container: Container) -> Factory:
    return Factory(container)


@pytest.fixture
def handler(container: Container) -> Actor:
    return make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")


def look_up(container: Container, actor: Actor,
            caller: CallerDetails = ALICE) -> Identification:
    return identify(container.uow(actor), caller=caller, reason="ASB call",
                    rules=IdentificationRules(), as_of=NOW)


def test_history_counts_reports_by_the_risk_level_their_assessment_gave(
        factory: Factory, container: Container, handler: Actor) -> None:
    home = factory.address()
    alice = factory.record()
    factory.incident(days_ago=5, records=[alice], level="high", address_id=home)
    factory.incident(days_ago=100, records=[alice], level="medium")
    factory.incident(days_ago=200, records=[alice], level="medium")
    factory.incident(days_ago=500, records=[alice])  # imported: never assessed
    result = look_up(container, handler)
    assert result.people[0].history.by_risk_level == [
        ("High", Counts(last_30_days=1, last_12_months=1, ever=1)),
        ("Medium", Counts(last_30_days=0, last_12_months=2, ever=2)),
        ("Not assessed", Counts(last_30_days=0, last_12_months=0, ever=1)),
    ]
    # The address's history is counted the same way.
    assert result.location is not None
    assert result.location.by_risk_level == [("High", Counts(1, 1, 1))]


def test_an_incident_naming_two_of_a_persons_records_counts_once(
        factory: Factory, container: Container, handler: Actor) -> None:
    first, second = factory.record(), factory.record(source="council-cases")
    factory.incident(days_ago=5, records=[first, second], level="standard")
    person = look_up(container, handler).people[0]
    assert {r.record_id for r in person.records} == {first, second}
    assert person.history.counts == Counts(1, 1, 1)
    assert person.history.by_risk_level == [("Standard", Counts(1, 1, 1))]


def test_partners_see_no_police_only_incident_in_a_history(
        factory: Factory, container: Container, handler: Actor) -> None:
    alice = factory.record(source="council-cases")
    factory.incident(days_ago=5, records=[alice], level="high", police_only=True)
    factory.incident(days_ago=9, records=[alice])
    partner = make_actor(container, "partner", role=Role.PARTNER_ASB_OFFICER,
                         agency="city-council")
    assert look_up(container, handler).people[0].history.counts.ever == 2
    seen = look_up(container, partner).people[0].history
    assert seen.counts.ever == 1
    assert seen.by_risk_level == [("Not assessed", Counts(1, 1, 1))]


def test_look_ups_keep_the_audit_chain_whole(factory: Factory, container: Container,
                                             handler: Actor) -> None:
    factory.record()
    for _ in range(3):
        look_up(container, handler)
    with container.session_factory() as session:
        check = verify_chain(session)
    assert check.intact and check.entries == 3, check


def test_a_record_indexed_by_an_older_engine_is_still_found_and_scored(
        factory: Factory, container: Container, handler: Actor) -> None:
    alice = factory.record()
    with container.session_factory() as session:
        session.execute(update(RecordFeatures).values(version=0, features={}))
        session.commit()
    person = look_up(container, handler).people[0]
    assert [r.record_id for r in person.records] == [alice]
    assert person.match_probability > 0.99


def test_a_lookup_without_rules_follows_the_configuration_as_it_changes(
        factory: Factory, container: Container, handler: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    alice = factory.record()
    factory.incident(days_ago=5, records=[alice])

    def flags() -> Flags:
        return identify(container.uow(handler), caller=ALICE, reason="ASB call",
                        as_of=NOW).flags

    assert flags().repeat_caller
    monkeypatch.setenv("VIGIL_IDENTIFY_REPEAT_CALLER_REPORTS", "2")
    assert not flags().repeat_caller
    monkeypatch.delenv("VIGIL_IDENTIFY_REPEAT_CALLER_REPORTS")
    assert flags().repeat_caller


def test_a_caller_found_nowhere_gets_windows_ending_with_the_latest_data(
        factory: Factory, container: Container, handler: Actor) -> None:
    factory.incident(days_ago=40, records=[])  # data stops in April 2024
    result = identify(container.uow(handler), reason="ASB call",
                      caller=CallerDetails(given_name="Nobody", family_name="Known"))
    assert result.people == [] and result.location is None
    assert result.as_of == datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize("police", [True, False])
def test_the_history_reads_parts_and_risk_levels_from_the_indexes_alone(
        container: Container, police: bool) -> None:
    """A look-up reads every incident of every matched record: each row's part in it and its
    risk level come from covering indexes (migration 0012), not from a page of each table."""
    from sqlalchemy import text

    from vigil.services.identification_reads import _statement

    actor = (Actor.system("test") if police else make_actor(
        container, "partner", role=Role.PARTNER_ASB_OFFICER, agency="city-council"))
    sql = _statement(actor, people=True, address=True, backend=container.engine.dialect.name)
    with container.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("the planner's choice on PostgreSQL depends on the tables' statistics")
        plan = " | ".join(row[3] for row in connection.execute(
            text("EXPLAIN QUERY PLAN " + sql),
            {"records": "[1]", "marked": "[1]", "addresses": "[1]"}))
    assert "COVERING INDEX ix_incident_people_record_incident_role" in plan
    assert plan.count("COVERING INDEX ix_risk_assessments_incident_level") == 2
