"""The restricted incident queries and the read services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.domain.access import Actor, AgencyKind, NotFound, PermissionDenied, Role
from vigil.services import incidents as service
from vigil.services import overview as overview_service
from vigil.services.reference import ensure_reference_data
from vigil.store import repositories as repo
from vigil.store.models import (
    Agency,
    AuditEntry,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    Source,
    User,
)
from vigil.store.repositories import IncidentCriteria

# Ids far above any the sequences hand out, so explicit inserts never collide on PostgreSQL.
POLICE = Actor(user_id=9001, username="officer", agency_id=None, agency_kind=AgencyKind.POLICE,
               role=Role.NEIGHBOURHOOD_OFFICER)
PARTNER = Actor(user_id=9002, username="partner", agency_id=None,
                agency_kind=AgencyKind.COUNCIL, role=Role.PARTNER_ASB_OFFICER)


@pytest.fixture
def seeded(container: Container) -> Container:
    """Two neighbourhoods, five incidents (one police-only, one from the crime system) and
    three people on one incident (one police-only, one from the crime system)."""
    with container.session_factory() as session:
        sources = ensure_reference_data(session)
        agencies = {a.code: a.id for a in session.scalars(select(Agency))}
        for actor, agency in ((POLICE, "force"), (PARTNER, "city-council")):
            assert actor.role is not None
            session.add(User(id=actor.user_id, username=actor.username, full_name="Test",
                             password_hash="-", agency_id=agencies[agency],
                             role=actor.role.value))
        for code, name, population in (("E02000001", "Castle", 1000), ("E02000002", "Abbey", 4000)):
            area = Neighbourhood(code=code, name=name, local_authority_code="E06",
                                 local_authority_name="Leicester")
            session.add(area)
            session.flush()
            session.add(Lsoa(code=f"E01{code[3:]}", name=name, population=population,
                             neighbourhood_id=area.id))
        rows = [
            ("R-1", date(2022, 10, 1), "E01000001", "vigil", False, "Park Lane", "nuisance"),
            ("R-2", date(2022, 9, 1), "E01000002", "vigil", False, "100% Mill_Road", "personal"),
            ("R-3", date(2021, 9, 1), "E01000001", "police-uk", False, "High Street", None),
            ("SECRET", date(2022, 8, 1), "E01000001", "vigil", True, "Park Lane", "nuisance"),
            ("CRIME", date(2022, 8, 1), "E01000002", "crime-records", False, "Park Lane",
             "personal"),
        ]
        for reference, month, lsoa, source, police_only, where, category in rows:
            session.add(Incident(reference=reference, source_id=sources[source].id,
                                 source_key=reference, occurred_month=month,
                                 time_precision="month", location_text=where, lsoa_code=lsoa,
                                 category=category, detailed_type="noise", status="open",
                                 police_only=police_only))
        session.flush()
        incident_id = session.scalar(select(Incident.id).where(Incident.reference == "R-1"))
        for key, police_only, source in (("open", False, "vigil"), ("intel", True, "vigil"),
                                         ("crime", False, "crime-records")):
            record = PersonRecord(source_id=sources[source].id, source_key=key,
                                  given_name=key.title(), family_name="Person",
                                  police_only=police_only)
            session.add(record)
            session.flush()
            session.add(IncidentPerson(incident_id=incident_id, person_record_id=record.id,
                                       role="victim"))
        session.commit()
    return container


def references(container: Container, actor: Actor, **criteria: object) -> list[str]:
    with container.session_factory() as session:
        rows = repo.incident_page(session, actor, criteria=IncidentCriteria(**criteria),  # type: ignore[arg-type]
                                  offset=0, limit=100)
        return [i.reference for i in rows]


def test_police_see_every_incident_newest_first(seeded: Container) -> None:
    # same month: the later recorded first
    assert references(seeded, POLICE) == ["R-1", "R-2", "CRIME", "SECRET", "R-3"]


def test_partners_never_see_police_only_incidents_or_police_only_sources(
        seeded: Container) -> None:
    assert references(seeded, PARTNER) == ["R-1", "R-2", "R-3"]
    with seeded.session_factory() as session:
        assert repo.count_incidents(session, PARTNER, IncidentCriteria()) == 3
        assert repo.find_incident(session, PARTNER, reference="SECRET") is None
        assert repo.find_incident(session, PARTNER, reference="CRIME") is None
        assert repo.find_incident(session, POLICE, reference="SECRET") is not None
        assert "crime-records" not in {s.code for s in repo.sources(session, PARTNER)}


def test_partners_never_see_police_only_person_records(seeded: Container) -> None:
    with seeded.session_factory() as session:
        incident = repo.find_incident(session, PARTNER, reference="R-1")
        assert incident is not None
        partner_sees = [p.record.display_name for p in
                        repo.incident_people(session, PARTNER, incident_id=incident.id)]
        police_see = [p.record.display_name for p in
                      repo.incident_people(session, POLICE, incident_id=incident.id)]
    assert partner_sees == ["Open Person"]
    assert sorted(police_see) == ["Crime Person", "Intel Person", "Open Person"]


def test_search_treats_percent_and_underscore_as_plain_text(seeded: Container) -> None:
    assert references(seeded, POLICE, text="100%") == ["R-2"]
    assert references(seeded, POLICE, text="Par_") == []  # "_" is not a wildcard
    assert references(seeded, POLICE, text="mill_road") == ["R-2"]
    assert references(seeded, POLICE, text="PARK") == ["R-1", "CRIME", "SECRET"]


def test_filters_by_month_neighbourhood_source_and_category(seeded: Container) -> None:
    assert references(seeded, PARTNER, month_from=date(2022, 9, 1)) == ["R-1", "R-2"]
    assert references(seeded, PARTNER, month_to=date(2021, 12, 1)) == ["R-3"]
    assert references(seeded, PARTNER, neighbourhood_code="E02000002") == ["R-2"]
    assert references(seeded, PARTNER, source_code="police-uk") == ["R-3"]
    assert references(seeded, PARTNER, category="not_recorded") == ["R-3"]
    assert references(seeded, PARTNER, category="personal") == ["R-2"]


def test_figures_count_only_what_the_user_may_see(seeded: Container) -> None:
    with seeded.session_factory() as session:
        window = {"month_from": date(2021, 11, 1), "month_to": date(2022, 10, 1)}
        assert repo.incidents_by_category(session, PARTNER, **window) == {
            "nuisance": 1, "personal": 1}
        assert sum(repo.incidents_by_category(session, POLICE, **window).values()) == 4
        areas = {n.code: n for n in repo.neighbourhoods(session)}
    assert areas["E02000002"].population == 4000 and areas["E02000002"].lsoa_count == 1


def test_neighbourhood_overview_gives_rates_per_thousand_residents(seeded: Container) -> None:
    overview = overview_service.neighbourhood_overview(seeded.uow(PARTNER))
    assert overview.period is not None and overview.period.label == "Nov 2021 to Oct 2022"
    areas = {a.name: a for g in overview.groups for a in g.areas}
    assert (areas["Castle"].incidents, areas["Castle"].rate_per_1000) == (1, 1.0)
    assert (areas["Abbey"].incidents, areas["Abbey"].rate_per_1000) == (1, 0.2)


def test_viewing_an_incident_audits_the_people_shown_and_hides_it_out_of_scope(
        seeded: Container) -> None:
    detail = service.view_incident(seeded.uow(PARTNER), reference="R-1")
    assert detail.people is not None and [p.name for p in detail.people] == ["Open Person"]
    with pytest.raises(NotFound):
        service.view_incident(seeded.uow(PARTNER), reference="SECRET")
    with seeded.session_factory() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.username, entry.action, entry.object_id) == ("partner", "view", "R-1")


def test_a_user_without_a_role_cannot_list_incidents(seeded: Container) -> None:
    nobody = Actor(user_id=9, username="x", agency_id=1, agency_kind=AgencyKind.POLICE,
                   role=None)
    query = service.parse_incident_query()
    with pytest.raises(PermissionDenied):
        service.list_incidents(seeded.uow(nobody), query=query, page_size=10)


def test_a_bad_search_reports_every_problem_at_once() -> None:
    with pytest.raises(service.InvalidQuery) as caught:
        service.parse_incident_query(month_from="2022-13", month_to="May", category="loud",
                                     page="0")
    assert set(caught.value.problems) == {"month_from", "month_to", "category", "page"}
    with pytest.raises(service.InvalidQuery) as caught:
        service.parse_incident_query(month_from="2022-05", month_to="2022-01")
    assert "after the month from" in caught.value.problems["month_to"]


def test_sources_table_is_untouched_by_reads(seeded: Container) -> None:
    before = _source_codes(seeded)
    overview_service.home_figures(seeded.uow(PARTNER), force_name="Leicestershire")
    assert _source_codes(seeded) == before


def _source_codes(container: Container) -> list[str]:
    with container.session_factory() as session:
        return list(session.scalars(select(Source.code).order_by(Source.code)))
