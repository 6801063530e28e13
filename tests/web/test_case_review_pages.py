"""The ASB Case Review (Community Trigger) as officers see it: the flag on the case and the
victim, the complaints that qualify, and the application, meeting and outcome."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Actor, PermissionDenied, Role
from vigil.services import case_actions, cases
from vigil.services.case_review import set_local_threshold
from vigil.services.users import actor_for
from vigil.store.models import (
    AuditEntry,
    Incident,
    IncidentPerson,
    Lsoa,
    PersonRecord,
    Source,
    User,
)
from vigil.store.types import utcnow

BASIS = "Crime and Disorder Act 1998, section 115"


def complaint(container: Container, reference: str, *, record_id: int, days_ago: int,
              reported_after: int = 0, police_only: bool = False,
              lsoa: str | None = None) -> None:
    """An incident the victim reported ``reported_after`` days after it happened."""
    happened = utcnow() - timedelta(days=days_ago)
    with container.session_factory() as session:
        source_id = session.scalar(select(Source.id).where(Source.code == "vigil"))
        assert source_id is not None
        incident = Incident(
            reference=reference, source_id=source_id, source_key=reference,
            occurred_at=happened, occurred_month=happened.date().replace(day=1),
            time_precision="exact", location_text="On or near Mill Road", lsoa_code=lsoa,
            category="personal", detailed_type="noise", status="open",
            police_only=police_only, recorded_at=happened + timedelta(days=reported_after))
        session.add(incident)
        session.flush()
        session.add(IncidentPerson(incident_id=incident.id, person_record_id=record_id,
                                   role="caller"))
        session.commit()


@pytest.fixture
def case_ref(world: World, container: Container) -> str:
    """A force case shared with the city council: the victim complained three times in the
    last five months (one more police-only complaint, one too late to count)."""
    world.incident("VGL-1", location_text="On or near Mill Road")
    victim = world.person("VGL-1", given_name="Ann", family_name="Victim")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    refs = []
    for n, (days, late, restricted) in enumerate([(140, 1, False), (90, 40, False),
                                                  (60, 0, True), (10, 2, False)]):
        refs.append(f"VGL-10{n}")
        complaint(container, refs[-1], record_id=victim, days_ago=days, reported_after=late,
                  police_only=restricted)
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == "pc.dunmore"))
        assert user is not None
        police = actor_for(user)
    reference = cases.open_case(container.uow(police), new=cases.NewCase(
        title="Threats at Mill Road", incident_references=tuple(refs)))
    case_actions.add_party(container.uow(police), reference=reference, role="victim",
                           person_record_id=victim)
    case_actions.share_case(container.uow(police), reference=reference,
                            agency_code="city-council", lawful_basis=BASIS)
    return reference


def test_the_case_page_flags_a_victim_whose_complaints_reach_the_threshold(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("pc.dunmore")
    page = client.get(f"/cases/{case_ref}").text
    assert "ASB Case Review threshold reached" in page
    assert "Ann Victim has made 3 qualifying complaints" in page
    review = client.get(f"/cases/{case_ref}/case-review").text
    for counted in ("VGL-100", "VGL-102", "VGL-103"):
        assert counted in review
    assert "Not counted (made more than the allowed time after the incident): VGL-101" in review


def test_a_partner_counts_only_the_complaints_it_may_see(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("city.asb")
    answer = client.get(f"/api/cases/{case_ref}/case-review").json()
    [victim] = answer["victims"]
    assert victim["reached"] is False
    assert [c["reference"] for c in victim["qualifying"]] == ["VGL-100", "VGL-103"]
    assert "VGL-102" not in client.get(f"/cases/{case_ref}/case-review").text


def test_an_empty_application_names_every_missing_field(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("pc.dunmore")
    token = csrf_from(client.get(f"/cases/{case_ref}/case-review").text)
    answer = client.post(f"/cases/{case_ref}/case-review", data={"csrf_token": token})
    assert answer.status_code == 400
    for text in ("give a date", "write the applicant", "say who applied",
                 "choose the victim on this case"):
        assert text in answer.text


def test_an_officer_records_the_application_meeting_and_outcome(
        case_ref: str, client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("pc.dunmore")
    today = date.today().isoformat()
    token = csrf_from(client.get(f"/cases/{case_ref}/case-review").text)
    victim = client.get(f"/api/cases/{case_ref}/case-review").json()["victims"][0]
    applied = client.post(f"/api/cases/{case_ref}/case-review", headers={"X-CSRF-Token": token},
                          json={"party_id": victim["party_id"], "applied_on": today,
                                "applicant_name": "Ann Victim"})
    assert applied.status_code == 201, applied.text
    review_id = applied.json()["id"]
    early = client.post(f"/api/cases/{case_ref}/case-review/{review_id}/outcome",
                        headers={"X-CSRF-Token": token},
                        json={"decided_on": today, "decision": "recommendations_made"})
    assert early.status_code == 422
    assert set(early.json()["problems"]) == {"decision", "recommendations"}
    met = client.post(f"/cases/{case_ref}/case-review/{review_id}/meeting", data={
        "csrf_token": token, "held_on": today, "attendees": "PC Dunmore, ASB co-ordinator",
        "agencies": ["force", "city-council"]}, follow_redirects=False)
    assert met.status_code == 303
    done = client.post(f"/cases/{case_ref}/case-review/{review_id}/outcome", data={
        "csrf_token": token, "decided_on": today, "decision": "recommendations_made",
        "recommendations": "Refer the victim to victim support"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/cases/{case_ref}/case-review").text
    assert "Outcome given" in page and "Refer the victim to victim support" in page
    assert "complaints VGL-100, VGL-102, VGL-103" in page
    with container.session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "case_trigger_review").order_by(AuditEntry.id)).all()
        assert actions == ["create", "change", "change"]
        assert session.scalar(select(PersonRecord.id)) is not None


def test_a_local_authority_with_a_lower_threshold_flags_the_victim_sooner(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    lsoas = world.area()
    with container.session_factory() as session:
        session.execute(update(Lsoa).values(local_authority_code="E06000016"))
        session.commit()
    world.incident("VGL-1", lsoa=lsoas[0])
    victim = world.person("VGL-1", given_name="Ann", family_name="Victim")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    for n, days in enumerate((50, 20)):
        complaint(container, f"VGL-20{n}", record_id=victim, days_ago=days, lsoa=lsoas[0])
    with pytest.raises(PermissionDenied):
        set_local_threshold(container.uow(_actor(container, "pc.dunmore")),
                            local_authority_code="E06000016", complaints=2, window_months=6,
                            report_within_months=1)
    set_local_threshold(container.uow(Actor.system("operator")),
                        local_authority_code="E06000016", complaints=2, window_months=6,
                        report_within_months=1)
    reference = cases.open_case(container.uow(_actor(container, "pc.dunmore")),
                                new=cases.NewCase(title="Noise", incident_references=("VGL-1",)))
    case_actions.add_party(container.uow(_actor(container, "pc.dunmore")), reference=reference,
                           role="victim", person_record_id=victim)
    log_in("pc.dunmore")
    [found] = client.get(f"/api/cases/{reference}/case-review").json()["victims"]
    assert found["reached"] is True and found["local_area"] == "Leicester"
    assert found["threshold_text"].startswith("2 complaints")


def _actor(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)
