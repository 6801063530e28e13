"""The administrators' page of ASB Case Review thresholds: every local authority with the
threshold that applies there, setting a local one (checked field by field, audited) and
resetting to the default only after a confirmation; and the trigger using the local one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.victim_risk_factory import assessed_call
from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.domain.case_review import parse_threshold
from vigil.services import case_actions, cases
from vigil.services.users import actor_for
from vigil.store.case_tables import CaseReviewThreshold
from vigil.store.models import AuditEntry, Lsoa, User

PAGE = "/admin/case-review-thresholds"


@pytest.fixture
def areas(world: World, container: Container) -> list[str]:
    """Two local authorities: Leicester (E06000016) and Blaby (E07000129)."""
    leicester = world.area("E02000001", name="Castle", local_authority="Leicester")
    blaby = world.area("E02000002", name="Enderby", local_authority="Blaby")
    with container.session_factory() as session:
        session.execute(update(Lsoa).where(Lsoa.code.in_(leicester))
                        .values(local_authority_code="E06000016"))
        session.execute(update(Lsoa).where(Lsoa.code.in_(blaby))
                        .values(local_authority_code="E07000129"))
        session.commit()
    world.user("admin", role=Role.ADMINISTRATOR)
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    return leicester


def test_the_form_reports_every_bad_field_at_once() -> None:
    numbers, problems = parse_threshold({"complaints": "0", "window_months": "six",
                                         "report_within_months": ""})
    assert set(problems) == {"complaints", "window_months", "report_within_months"}
    assert "1 to 20" in problems["complaints"] and "“six”" in problems["window_months"]
    assert parse_threshold({"complaints": "2", "window_months": "6",
                            "report_within_months": "1"}) == (
        {"complaints": 2, "window_months": 6, "report_within_months": 1}, {})


def test_every_local_authority_is_listed_with_the_default_shown_as_default(
        areas: list[str], client: TestClient, log_in: LogIn) -> None:
    log_in("admin")
    page = client.get(PAGE).text
    assert "Leicester" in page and "Blaby" in page and "E06000016" in page
    assert page.count(">Default</span>") == 2
    assert "3 complaints about the same problem within 6 months" in page


def test_authorities_just_over_the_border_are_folded_away_below_the_forces_own(
        areas: list[str], client: TestClient, log_in: LogIn, container: Container) -> None:
    force = container.settings.force_name
    with container.session_factory() as session:
        session.execute(update(Lsoa).where(Lsoa.local_authority_code == "E06000016")
                        .values(police_force=force))
        session.execute(update(Lsoa).where(Lsoa.local_authority_code == "E07000129")
                        .values(police_force="Somewhere Else"))
        session.commit()
    log_in("admin")
    page = client.get(PAGE).text
    inside, _, outside = page.partition("<details")
    assert "Leicester" in inside and "Blaby" not in inside
    assert "1 other local authority in the data, just over the force" in outside
    assert "Blaby" in outside


def test_an_administrator_sets_a_local_threshold_and_the_change_is_audited(
        areas: list[str], client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("admin")
    form = client.get(f"{PAGE}/E06000016").text
    answer = client.post(f"{PAGE}/E06000016", data={
        "complaints": "2", "window_months": "6", "report_within_months": "1",
        "csrf_token": csrf_from(form)}, follow_redirects=False)
    assert answer.status_code == 303
    listed = client.get(answer.headers["location"]).text
    assert "The threshold for E06000016 was saved" in listed
    assert listed.count(">Default</span>") == 1 and ">Local</span>" in listed
    with container.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "case_review_threshold")).one()
        assert (entry.action, entry.object_id, entry.username) == ("change", "E06000016",
                                                                   "admin")
        assert entry.detail["before"] is None and entry.detail["after"]["complaints"] == 2


def test_bad_values_are_shown_beside_their_fields_and_nothing_is_saved(
        areas: list[str], client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("admin")
    form = client.get(f"{PAGE}/E06000016").text
    answer = client.post(f"{PAGE}/E06000016", data={
        "complaints": "-1", "window_months": "60", "report_within_months": "1.5",
        "csrf_token": csrf_from(form)})
    assert answer.status_code == 400
    for message in ("not a whole number of complaints", "months from 1 to 24",
                    "“1.5” is not a whole number of months from 1 to 12"):
        assert message in answer.text
    assert 'value="60"' in answer.text  # what was typed is kept
    with container.session_factory() as session:
        assert session.scalar(select(CaseReviewThreshold)) is None


def test_resetting_to_the_default_asks_first_and_is_audited(
        areas: list[str], client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("admin")
    token = csrf_from(client.get(f"{PAGE}/E06000016").text)
    client.post(f"{PAGE}/E06000016", data={"complaints": "2", "window_months": "6",
                                          "report_within_months": "1", "csrf_token": token})
    unconfirmed = client.post(f"{PAGE}/E06000016/reset", data={"csrf_token": token},
                              follow_redirects=False)
    assert unconfirmed.headers["location"] == f"{PAGE}/E06000016/reset"
    confirm = client.get(f"{PAGE}/E06000016/reset").text
    assert "Reset Leicester to the default threshold?" in confirm
    assert "Now</dt><dd>2 complaints" in confirm
    with container.session_factory() as session:
        assert session.scalar(select(CaseReviewThreshold)) is not None
    client.post(f"{PAGE}/E06000016/reset", data={"csrf_token": token, "confirmed": "yes"})
    with container.session_factory() as session:
        assert session.scalar(select(CaseReviewThreshold)) is None
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "case_review_threshold").order_by(AuditEntry.id)).all()
        assert actions == ["change", "delete"]
    assert client.get(PAGE).text.count(">Default</span>") == 2


def test_only_administrators_reach_the_page(
        areas: list[str], client: TestClient, log_in: LogIn) -> None:
    assert client.get(PAGE, follow_redirects=False).headers["location"].startswith("/login")
    log_in("pc.dunmore")
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/E06000016").status_code == 403
    token = csrf_from(client.get("/").text)
    assert client.post(f"{PAGE}/E06000016", data={
        "complaints": "1", "window_months": "6", "report_within_months": "1",
        "csrf_token": token}).status_code == 403
    assert "/admin/case-review-thresholds" not in client.get("/").text


def test_an_unknown_local_authority_is_not_found(
        areas: list[str], client: TestClient, log_in: LogIn) -> None:
    log_in("admin")
    assert client.get(f"{PAGE}/E99999999").status_code == 404


def test_a_victim_in_an_area_with_a_threshold_of_two_triggers_where_the_default_would_not(
        areas: list[str], world: World, client: TestClient, log_in: LogIn,
        container: Container) -> None:
    world.incident("VGL-1", lsoa=areas[0])
    victim = world.person("VGL-1", given_name="Ann", family_name="Victim")
    for n, days in enumerate((50, 20)):
        assessed_call(container, f"VGL-20{n}", record_id=victim, level="standard", score=2,
                      days_ago=days, lsoa=areas[0])
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == "pc.dunmore"))
        assert user is not None
        police = actor_for(user)
    reference = cases.open_case(container.uow(police), new=cases.NewCase(title="Noise"))
    case_actions.add_party(container.uow(police), reference=reference, role="victim",
                           person_record_id=victim)
    log_in("pc.dunmore")
    assert "ASB Case Review threshold reached" not in client.get(f"/cases/{reference}").text
    client.cookies.clear()
    log_in("admin")
    token = csrf_from(client.get(f"{PAGE}/E06000016").text)
    client.post(f"{PAGE}/E06000016", data={"complaints": "2", "window_months": "6",
                                          "report_within_months": "1", "csrf_token": token})
    client.cookies.clear()
    log_in("pc.dunmore")
    page = client.get(f"/cases/{reference}").text
    assert "ASB Case Review threshold reached" in page
    assert "(2 complaints about the same problem within 6 months" in page
