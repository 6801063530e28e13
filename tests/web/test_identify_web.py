"""The caller look-up on the web: the /identify page, the call handler's home page and
POST /api/identify."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World
from tests.web.test_api import api_log_in
from vigil.domain.access import Role
from vigil.identify.index import reindex_all
from vigil.store.models import AuditEntry


def indexed_world(world: World) -> World:
    """An incident with a vulnerable victim in the Vigil log and one in the crime records."""
    world.incident("INC-1")
    world.person("INC-1", given_name="Margaret", family_name="Oyelaran",
                 marker="mental_health")
    world.incident("CRIME-1", source="crime-records", police_only=True)
    world.person("CRIME-1", given_name="Peggy", family_name="Oyelaran",
                 source="crime-records", police_only=True)
    with world.container.session_factory() as session:
        reindex_all(session)
        session.commit()
    return world


CALLER = {"given_name": "Maggie", "family_name": "OYELARAN", "date_of_birth": "01/05/1970",
          "postcode": "le11aa"}


def test_the_lookup_page_needs_a_login(client: TestClient) -> None:
    answer = client.get("/identify", follow_redirects=False)
    assert answer.status_code == 303 and "/login" in answer.headers["location"]


def test_the_call_handlers_home_page_has_the_lookup_form(world: World, client: TestClient,
                                                        log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    page = client.get("/").text
    assert "Look up a caller" in page and 'hx-post="/identify"' in page


def test_a_handler_looks_up_a_caller_and_sees_history_markers_and_flags(
        world: World, client: TestClient, log_in: LogIn) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = client.get("/identify").text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/identify", data={**CALLER, "reason": "Noise call",
                                            "csrf_token": token})
    assert answer.status_code == 200
    page = answer.text
    assert "Vulnerable victim" in page
    assert "Force crime records system" in page  # police see the police-only source
    assert "nickname or short form" in page
    with world.container.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "identify")).one()
    assert entry.username == "handler" and entry.reason == "Noise call"


def test_htmx_gets_only_the_results(world: World, client: TestClient, log_in: LogIn) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = client.get("/identify").text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/identify", data={**CALLER, "reason": "Noise call",
                                            "csrf_token": token},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "<html" not in answer.text and "Oyelaran" in answer.text


def test_the_api_identifies_a_caller_as_json(world: World, client: TestClient) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    api_log_in(client, "handler")
    answer = client.post("/api/identify", json={
        "caller": {"given_name": "Maggie", "family_name": "Oyelaran",
                   "date_of_birth": "1970-05-01", "postcode": "LE1 1AA"},
        "reason": "Noise call"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["flags"]["vulnerable"] is True
    people = body["people"]
    assert len(people) == 1
    assert {r["source_code"] for r in people[0]["records"]} == {"vigil", "crime-records"}
    reasons = people[0]["records"][0]["reasons"]
    assert {r["comparison"] for r in reasons} >= {"given_name", "family_name"}


def test_partners_never_see_police_only_records_through_the_api(world: World,
                                                                client: TestClient) -> None:
    indexed_world(world).user("pat", role=Role.PARTNER_ASB_OFFICER)
    api_log_in(client, "pat")
    body = client.post("/api/identify", json={
        "caller": {"given_name": "Peggy", "family_name": "Oyelaran",
                   "date_of_birth": "1970-05-01"}, "reason": "Case review"}).json()
    sources = {r["source_code"] for p in body["people"] + body["possible"]
               for r in p["records"]}
    assert "crime-records" not in sources and sources == {"vigil"}


def test_the_api_needs_login_json_a_reason_and_the_permission(world: World,
                                                              client: TestClient) -> None:
    assert client.post("/api/identify", json={}).status_code == 401
    world.user("handler", role=Role.CALL_HANDLER)
    world.user("ana", role=Role.ANALYST)
    api_log_in(client, "handler")
    assert client.post("/api/identify", content="x",
                       headers={"content-type": "text/plain"}).status_code == 415
    nothing = client.post("/api/identify", json={"caller": {}, "reason": "Call"})
    assert nothing.status_code == 422
    assert "caller" in nothing.json()["detail"]["problems"]
    client.delete("/api/session", headers={"X-CSRF-Token": api_log_in(client, "handler")})
    api_log_in(client, "ana")
    denied = client.post("/api/identify", json={"caller": {"family_name": "X"},
                                                "reason": "Call"})
    assert denied.status_code == 403


def test_feedback_through_the_api_needs_the_csrf_token_and_then_sticks(
        world: World, client: TestClient) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    token = api_log_in(client, "handler")
    caller = {"given_name": "Maggie", "family_name": "Oyelaran", "date_of_birth": "1970-05-01",
              "postcode": "LE1 1AA"}
    first = client.post("/api/identify", json={"caller": caller, "reason": "Call"}).json()
    record_id = first["people"][0]["records"][0]["record_id"]
    body = {"caller": caller, "record_id": record_id, "verdict": "different",
            "reason": "She is not Margaret"}
    assert client.post("/api/identify/feedback", json=body).status_code == 403
    assert client.post("/api/identify/feedback", json=body,
                       headers={"X-CSRF-Token": token}).status_code == 204
    again = client.post("/api/identify", json={"caller": caller, "reason": "Call"}).json()
    ids = {r["record_id"] for p in again["people"] + again["possible"] for r in p["records"]}
    assert record_id not in ids


def test_a_handler_rejects_a_match_on_the_page_and_it_is_gone(world: World, client: TestClient,
                                                             log_in: LogIn) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = client.get("/identify").text.split('name="csrf_token" value="')[1].split('"')[0]
    page = client.post("/identify", data={**CALLER, "reason": "Noise call",
                                          "csrf_token": token}).text
    record_id = page.split('name="record_id" value="')[1].split('"')[0]
    answer = client.post("/identify/feedback", data={
        **CALLER, "reason": "Noise call", "csrf_token": token, "record_id": record_id,
        "verdict": "different"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "Recorded: not the same person" in answer.text
    assert f'name="record_id" value="{record_id}"' not in answer.text
