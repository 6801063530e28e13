"""Case pages and API as the users see them: opening, working and closing a shared case, and
what a partner never sees."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi.testclient import TestClient

from tests.web.conftest import LogIn, World, csrf_from
from vigil.domain.access import Role
from vigil.store.types import utcnow

BASIS = "Crime and Disorder Act 1998, section 115"


def open_case(client: TestClient, log_in: LogIn, *, incidents: str = "") -> str:
    log_in("pc.dunmore")
    form = client.get("/cases/new")
    answer = client.post("/cases", data={
        "csrf_token": csrf_from(form.text), "title": "Noise and threats at Mill Road flats",
        "summary": "Loud music nightly; threats to the neighbour at no. 4",
        "incidents": incidents}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].removeprefix("/cases/")


def post(client: TestClient, url: str, **data: str) -> httpx.Response:
    token = csrf_from(client.get("/").text)
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def test_a_police_officer_opens_a_case_from_an_incident_and_sees_it_listed(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.incident("VIG-2026-0001", location_text="On or near Mill Road")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    reference = open_case(client, log_in, incidents="VIG-2026-0001")
    page = client.get(f"/cases/{reference}").text
    assert "Noise and threats at Mill Road flats" in page
    assert "VIG-2026-0001" in page
    assert "Open, by Pc.Dunmore: Case opened" in page
    listed = client.get("/cases?scope=mine").text
    assert reference in listed and "1 case</p>" in listed


def test_opening_a_case_with_no_title_and_an_unknown_incident_names_both_problems(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("pc.dunmore")
    answer = client.post("/cases", data={"csrf_token": csrf_from(client.get("/cases/new").text),
                                         "title": "", "incidents": "NOPE-1"})
    assert answer.status_code == 400
    assert "give the case a short title" in answer.text
    assert "no incident NOPE-1 that you can see" in answer.text


def test_the_new_case_form_suggests_an_open_case_about_the_same_area(
        world: World, client: TestClient, log_in: LogIn) -> None:
    lsoas = world.area()
    world.incident("VIG-1", lsoa=lsoas[0])
    world.incident("VIG-2", lsoa=lsoas[0])
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    reference = open_case(client, log_in, incidents="VIG-1")
    form = client.get("/cases/new?incident=VIG-2").text
    assert "Open cases that look like the same problem" in form
    assert reference in form and "same small area (LSOA)" in form


def test_a_partner_sees_a_shared_case_but_never_its_police_only_notes(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    reference = open_case(client, log_in)
    post(client, f"/cases/{reference}/shares", agency="city-council", lawful_basis=BASIS)
    post(client, f"/cases/{reference}/notes", text="Intel: supplies drugs from flat 3",
         police_only="yes")
    post(client, f"/cases/{reference}/notes", text="Diary sheets given to the victim")
    assert "supplies drugs" in client.get(f"/cases/{reference}").text
    client.cookies.clear()
    log_in("city.asb")
    page = client.get(f"/cases/{reference}").text
    assert "Diary sheets given to the victim" in page
    assert "supplies drugs" not in page and "Police only" not in page
    api = client.get(f"/api/cases/{reference}").json()
    assert [n["text"] for n in api["notes"]] == ["Diary sheets given to the victim"]
    assert "supplies drugs" not in client.get("/api/cases?q=drugs").text
    assert 'name="police_only"' not in page


def test_closing_a_case_asks_for_confirmation_and_an_outcome(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    reference = open_case(client, log_in)
    unconfirmed = post(client, f"/cases/{reference}/status", status="closed")
    assert unconfirmed.headers["location"] == f"/cases/{reference}/close"
    confirm = client.get(f"/cases/{reference}/close").text
    assert "Yes, close the case" in confirm
    no_outcome = client.post(f"/cases/{reference}/status", data={
        "csrf_token": csrf_from(confirm), "status": "closed", "confirmed": "yes"})
    assert no_outcome.status_code == 400
    assert "say how the case ended" in no_outcome.text
    post(client, f"/cases/{reference}/status", status="closed", confirmed="yes",
         outcome="resolved", reason="Quiet for three months")
    assert "Closed (Resolved)" in client.get(f"/cases/{reference}").text


def test_withdrawing_sharing_asks_first_then_the_partner_gets_not_found(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    reference = open_case(client, log_in)
    post(client, f"/cases/{reference}/shares", agency="city-council", lawful_basis=BASIS)
    confirm = client.get(f"/cases/{reference}/shares/city-council/withdraw")
    assert "Yes, stop sharing" in confirm.text
    post(client, f"/cases/{reference}/shares/city-council/withdraw", reason="Council closed it")
    page = client.get(f"/cases/{reference}").text
    assert "Sharing withdrawn" in page and "Council closed it" in page
    client.cookies.clear()
    log_in("city.asb")
    assert client.get(f"/cases/{reference}").status_code == 404
    assert client.get(f"/api/cases/{reference}").status_code == 404


def test_an_overdue_action_shows_on_the_assignees_home_page(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    reference = open_case(client, log_in)
    post(client, f"/cases/{reference}/shares", agency="city-council", lawful_basis=BASIS)
    due = (utcnow().date() - timedelta(days=2)).isoformat()
    post(client, f"/cases/{reference}/actions", description="Send a warning letter",
         due_on=due, agency="city-council")
    assert "Overdue case actions" not in client.get("/").text  # assigned to the council
    client.cookies.clear()
    log_in("city.asb")
    home = client.get("/").text
    assert "Overdue case actions" in home and "Send a warning letter" in home
    assert "2 days overdue" in home


def test_an_action_with_bad_input_shows_each_problem_beside_the_form(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    reference = open_case(client, log_in)
    token = csrf_from(client.get("/").text)
    answer = client.post(f"/cases/{reference}/actions", data={
        "csrf_token": token, "description": "", "due_on": "next week", "agency": "force"})
    assert answer.status_code == 400
    assert "write the action" in answer.text
    assert "&#39;next week&#39; is not a date" in answer.text


def test_the_api_opens_a_case_and_reports_bad_input_by_field(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("pc.dunmore")
    headers = {"X-CSRF-Token": csrf_from(client.get("/").text)}
    bad = client.post("/api/cases", json={"title": ""}, headers=headers)
    assert bad.status_code == 422 and "title" in bad.json()["problems"]
    made = client.post("/api/cases", json={"title": "Street drinking in the park"},
                       headers=headers)
    assert made.status_code == 201
    reference = made.json()["reference"]
    note = client.post(f"/api/cases/{reference}/notes", json={"text": "Visited"},
                       headers=headers)
    assert note.status_code == 200
    assert client.get(f"/api/cases/{reference}").json()["notes"][0]["text"] == "Visited"
    assert client.get("/api/cases").json()["total"] == 1
