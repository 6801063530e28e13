"""The officer's pages as JSON (``/api/my/tasks``, ``/api/my/cases``, ``/api/my/victims``):
paginated, restricted and audited exactly as the pages, and described in the OpenAPI
document."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World
from vigil.bootstrap import Container
from vigil.domain.access import Actor, Role
from vigil.services import case_actions, cases
from vigil.services.case_actions import NewAction
from vigil.services.users import actor_for
from vigil.store.case_tables import UserNeighbourhood
from vigil.store.models import AuditEntry, Neighbourhood, User


def as_user(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


@pytest.fixture
def officer(world: World, container: Container) -> str:
    """PC Dunmore owns two live cases with three open actions; the city council's officer owns
    one case of its own. Her beat has one vulnerable victim."""
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    world.user("analyst", role=Role.ANALYST)
    police = as_user(container, "pc.dunmore")
    today = date.today()
    for title in ("Mill Road", "Castle Street"):
        reference = cases.open_case(container.uow(police), new=cases.NewCase(title=title))
    for n, days in enumerate((5, -3, 9)):
        case_actions.add_action(container.uow(police), reference=reference, new=NewAction(
            description=f"Action {n}", due_on=today + timedelta(days=days),
            agency_code="force", officer_username="pc.dunmore"))
    cases.open_case(container.uow(as_user(container, "city.asb")),
                    new=cases.NewCase(title="Council estate noise"))
    lsoas = world.area("E02000001")
    world.incident("VGL-1", lsoa=lsoas[0], month=date(2022, 10, 1))
    world.person("VGL-1", given_name="Vera", family_name="Vulnerable", marker="lives_alone")
    with container.session_factory() as session:
        user_id = session.scalar(select(User.id).where(User.username == "pc.dunmore"))
        area_id = session.scalar(select(Neighbourhood.id))
        session.add(UserNeighbourhood(user_id=user_id, neighbourhood_id=area_id))
        session.commit()
    return "pc.dunmore"


def test_my_tasks_come_a_page_at_a_time_the_overdue_first(
        officer: str, container: Container, client: TestClient, log_in: LogIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container.settings, "page_size", 2)
    log_in(officer)
    first = client.get("/api/my/tasks").json()
    assert (first["total"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [t["description"] for t in first["items"]] == ["Action 1", "Action 0"]
    assert first["items"][0]["overdue"] is True and first["items"][0]["mine"] is True
    second = client.get("/api/my/tasks?page=2").json()
    assert [t["description"] for t in second["items"]] == ["Action 2"]
    bad = client.get("/api/my/tasks?page=0")
    assert bad.status_code == 422 and "page" in bad.json()["problems"]


def test_my_cases_are_my_live_cases_and_another_agency_sees_only_its_own(
        officer: str, client: TestClient, log_in: LogIn) -> None:
    log_in(officer)
    mine = client.get("/api/my/cases").json()
    assert sorted(c["title"] for c in mine["items"]) == ["Castle Street", "Mill Road"]
    assert mine["total"] == 2
    client.cookies.clear()
    log_in("city.asb")
    theirs = client.get("/api/my/cases").json()
    assert [c["title"] for c in theirs["items"]] == ["Council estate noise"]
    assert client.get("/api/my/tasks").json()["total"] == 0


def test_my_victims_lists_the_beat_and_is_audited_like_the_page(
        officer: str, container: Container, client: TestClient, log_in: LogIn) -> None:
    log_in(officer)
    answer = client.get("/api/my/victims").json()
    [vera] = answer["items"]
    assert vera["name"] == "Vera Vulnerable" and vera["vulnerable"] is True
    assert "Lives alone" in vera["markers"] and answer["total"] == 1
    with container.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "beat")).one()
        assert entry.detail["person_records"] == [vera["record_id"]]


def test_anonymous_callers_get_401_and_a_role_without_cases_403(
        officer: str, client: TestClient, log_in: LogIn) -> None:
    for path in ("/api/my/tasks", "/api/my/cases", "/api/my/victims"):
        assert client.get(path).status_code == 401
    log_in("analyst")
    for path in ("/api/my/tasks", "/api/my/cases", "/api/my/victims"):
        assert client.get(path).status_code == 403


def test_the_officer_api_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/my/tasks", "/api/my/cases", "/api/my/victims"):
        assert "get" in paths[path] and "page" in str(paths[path]["get"]["parameters"])
