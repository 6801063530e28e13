"""Supervisors read their own staff's audit trail and answer subject access requests; nobody
else can, and no supervisor sees another agency's staff."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import LogIn, World
from vigil.domain.access import Role


def test_a_supervisor_sees_what_their_officer_viewed(world: World, client: TestClient,
                                                     log_in: LogIn) -> None:
    world.incident("VIG-1")
    world.person("VIG-1", given_name="Mary", family_name="Smith")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    world.user("insp", role=Role.SUPERVISOR)
    world.user("city.boss", role=Role.SUPERVISOR, agency="city-council")
    log_in("pc.dunmore")
    client.get("/incidents/VIG-1")
    client.cookies.clear()
    log_in("insp")
    assert "PC Rachel Dunmore" in client.get("/audit/staff").text
    trail = client.get("/audit/staff/pc.dunmore").text
    assert "Audit trail: PC Rachel Dunmore" in trail
    assert "incident VIG-1" in trail and "login" in trail
    client.cookies.clear()
    log_in("city.boss")
    assert "PC Rachel Dunmore" not in client.get("/audit/staff").text
    assert client.get("/audit/staff/pc.dunmore").status_code == 404


def test_an_officer_cannot_read_audit_trails(world: World, client: TestClient,
                                             log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("pc.dunmore")
    assert client.get("/audit/staff").status_code == 403
    assert client.get("/audit/staff/pc.dunmore").status_code == 403
    assert client.get("/audit/subject-access").status_code == 403


def test_a_subject_access_request_lists_the_persons_records_and_needs_a_reference(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.incident("VIG-1")
    record = world.person("VIG-1", given_name="Mary", family_name="Smith")
    world.user("insp", role=Role.SUPERVISOR)
    log_in("insp")
    missing = client.get(f"/audit/subject-access?record={record}")
    assert missing.status_code == 400 and "subject access request" in missing.text
    found = client.get(f"/audit/subject-access?record={record}&reason=SAR-2026-17").text
    assert "Mary Smith" in found and "VIG-1" in found


def test_supervisors_find_the_audit_pages_in_the_menu_and_officers_find_their_work(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("insp", role=Role.SUPERVISOR)
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("insp")
    assert '<a href="/audit/staff">Audit</a>' in client.get("/").text
    client.cookies.clear()
    log_in("pc.dunmore")
    home = client.get("/").text
    assert "/audit/staff" not in home.split("</nav>")[0]
    assert '<a href="/my/tasks">My work</a>' in home
