"""A neighbourhood officer's own pages: my tasks, my beat's repeat and vulnerable victims, and
recording a visit or victim contact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Actor, Role
from vigil.services import case_actions, cases
from vigil.services.case_actions import NewAction
from vigil.services.users import actor_for
from vigil.store.case_tables import UserNeighbourhood
from vigil.store.models import IncidentPerson, Neighbourhood, User


def as_user(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


def give_beat(container: Container, username: str, code: str) -> None:
    with container.session_factory() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        area_id = session.scalar(select(Neighbourhood.id).where(Neighbourhood.code == code))
        session.add(UserNeighbourhood(user_id=user_id, neighbourhood_id=area_id))
        session.commit()


@pytest.fixture
def officer(world: World) -> str:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    world.user("pc.other", role=Role.NEIGHBOURHOOD_OFFICER)
    return "pc.dunmore"


def test_my_tasks_lists_mine_and_my_agencys_with_the_overdue_first(
        officer: str, world: World, container: Container, client: TestClient,
        log_in: LogIn) -> None:
    police = as_user(container, officer)
    reference = cases.open_case(container.uow(police), new=cases.NewCase(title="Mill Road"))
    today = date.today()
    for text, due, who in (("Call back the victim", today + timedelta(days=5), officer),
                           ("Send the warning letter", today - timedelta(days=3), ""),
                           ("Someone else's visit", today - timedelta(days=9), "pc.other")):
        case_actions.add_action(container.uow(police), reference=reference, new=NewAction(
            description=text, due_on=due, agency_code="force", officer_username=who))
    log_in(officer)
    page = client.get("/my/tasks").text
    assert page.index("Send the warning letter") < page.index("Call back the victim")
    assert "Overdue" in page and "(your agency)" in page
    assert "Someone else" not in page


def test_my_beat_shows_repeat_and_vulnerable_victims_but_not_a_one_off_caller(
        officer: str, world: World, container: Container, client: TestClient,
        log_in: LogIn) -> None:
    lsoas = world.area("E02000001")
    for n in range(3):
        world.incident(f"VGL-{n}", lsoa=lsoas[0], month=date(2022, 8 + n, 1))
    repeat = world.person("VGL-0", given_name="Rita", family_name="Repeat")
    with container.session_factory() as session:
        for n in (1, 2):
            incident_id = session.scalar(select(IncidentPerson.incident_id).where(
                IncidentPerson.person_record_id == repeat))
            assert incident_id is not None
            session.add(IncidentPerson(incident_id=incident_id + n, person_record_id=repeat,
                                       role="caller"))
        session.commit()
    world.person("VGL-1", given_name="Vera", family_name="Vulnerable", marker="lives_alone")
    world.person("VGL-2", given_name="Otto", family_name="Once")
    log_in(officer)
    assert "You have no beat yet" in client.get("/my/beat").text
    give_beat(container, officer, "E02000001")
    page = client.get("/my/beat").text
    assert "Rita Repeat" in page and "3 reports" in page
    assert "Vera Vulnerable" in page and "Lives alone" in page
    assert page.index("Vera Vulnerable") < page.index("Rita Repeat")  # vulnerable first
    assert "Otto Once" not in page
    assert "from November 2021 to October 2022" in page


def test_recording_a_contact_names_every_problem_then_shows_it_on_the_case(
        officer: str, container: Container, client: TestClient, log_in: LogIn) -> None:
    reference = cases.open_case(container.uow(as_user(container, officer)),
                                new=cases.NewCase(title="Mill Road"))
    log_in(officer)
    token = csrf_from(client.get("/my/contact").text)
    empty = client.post("/my/contact", data={"csrf_token": token,
                                             "contacted_at": "2099-01-01T10:00"})
    assert empty.status_code == 400
    for text in ("say how you made contact", "a contact cannot be in the future",
                 "write the summary of what happened", "record the contact on a case"):
        assert text in empty.text
    saved = client.post("/my/contact", data={
        "csrf_token": token, "kind": "visit", "contacted_at": "2026-01-05T18:30",
        "summary": "Visited; the victim feels safer since the patrols", "case": reference},
        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert "Visited; the victim feels safer since the patrols" in page
    assert "05 Jan 2026 18:30" in page  # typed in UK time; January is GMT
