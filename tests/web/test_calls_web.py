"""The call screen on the web: /calls/new, the summary, the identification panel and
POST /api/calls."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import LogIn, World, csrf_from
from tests.web.test_api import api_log_in
from tests.web.test_identify_web import indexed_world
from vigil.domain.access import Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE
from vigil.store.models import Incident

COMPLETE = {
    "caller.given_name": "Winifred", "caller.family_name": "Okonkwo-Hale",
    "caller.date_of_birth": "12/03/1948", "caller.phone": "07700 900123",
    "caller.address": "14 Kings Road, Leicester", "caller.postcode": "LE1 5WW",
    "category": "nuisance", "detailed_type": "noise",
    "description": "Loud music from next door every night",
    **{f"answers.{q.key}": q.options[0].value for q in DEFAULT_QUESTIONNAIRE.questions},
    **{f"thrive.{k}": "Assessed" for k in ("threat", "harm", "risk", "investigation",
                                           "vulnerability", "engagement")},
}


def incidents(world: World) -> int:
    with world.container.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Incident)) or 0


def test_the_call_handler_is_offered_the_call_screen(world: World, client: TestClient,
                                                    log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    home = client.get("/").text
    assert 'href="/calls/new"' in home and "Record a call" in home
    page = client.get("/calls/new")
    assert page.status_code == 200
    assert 'hx-post="/calls/identify"' in page.text
    assert "Do you feel unsafe in your own home?" in page.text
    assert '<label for="caller.family_name">' in page.text


def test_a_call_with_gaps_lists_every_gap_keeps_what_was_typed_and_saves_nothing(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    sent = {k: v for k, v in COMPLETE.items()
            if k not in ("answers.threats", "thrive.harm", "category")}
    sent["answers.age"] = "_declined"
    answer = client.post("/calls/new", data={**sent, "csrf_token": token})
    assert answer.status_code == 400
    page = answer.text
    assert "There is a problem" in page
    assert "Have there been threats or violence?: answer this question" in page
    assert "How old are you?: say why it was declined" in page
    assert "THRIVE: Harm: write the harm assessment" in page
    assert "Category: choose personal, nuisance or environmental" in page
    assert 'value="Okonkwo-Hale"' in page and "Loud music from next door" in page
    assert 'value="_declined" checked' in page
    assert incidents(world) == 0


def test_a_complete_call_saves_and_shows_the_reference_and_level(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    answer = client.post("/calls/new", data={**COMPLETE, "csrf_token": token})
    assert answer.status_code == 200, answer.text[:2000]
    page = answer.text
    assert "The call is saved" in page and "VGL-" in page
    assert "Risk: Standard" in page
    assert "Neighbourhood contact within 7 days" in page
    assert "Winifred Okonkwo-Hale (caller)" in page
    assert incidents(world) == 1


def test_the_panel_shows_the_caller_found_as_the_handler_types(
        world: World, client: TestClient, log_in: LogIn) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    answer = client.post("/calls/identify", headers={"HX-Request": "true"}, data={
        "caller.given_name": "Maggie", "caller.family_name": "Oyelaran",
        "caller.date_of_birth": "01/05/1970", "caller.postcode": "le11aa",
        "csrf_token": token})
    assert answer.status_code == 200
    assert "<html" not in answer.text and "Vulnerable victim" in answer.text


def test_a_partner_cannot_record_calls(world: World, client: TestClient,
                                       log_in: LogIn) -> None:
    world.user("partner", role=Role.PARTNER_ASB_OFFICER)
    log_in("partner")
    assert "/calls/new" not in client.get("/").text
    assert client.get("/calls/new").status_code == 403
    api_token = csrf_from(client.get("/").text)
    answer = client.post("/calls/new", data={**COMPLETE, "csrf_token": api_token})
    assert answer.status_code == 403 and incidents(world) == 0


def test_the_api_records_a_call_or_lists_every_problem(world: World,
                                                      client: TestClient) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    token = api_log_in(client, "handler")
    body = {"caller": {"given_name": "Winifred", "family_name": "Okonkwo-Hale",
                       "postcode": "LE1 5WW"},
            "category": "personal", "detailed_type": "nuisance_neighbours",
            "description": "Threats through the letterbox",
            "answers": {q.key: {"value": q.options[-1].value}
                        for q in DEFAULT_QUESTIONNAIRE.questions},
            "thrive": {k: "Assessed" for k in ("threat", "harm", "risk", "investigation",
                                               "vulnerability", "engagement")}}
    bad = client.post("/api/calls", headers={"X-CSRF-Token": token},
                      json={**body, "answers": {}, "caller": {}})
    assert bad.status_code == 422
    problems = bad.json()["detail"]["problems"]
    assert "caller.family_name" in problems and "answers.threats" in problems
    assert incidents(world) == 0
    good = client.post("/api/calls", headers={"X-CSRF-Token": token}, json=body)
    assert good.status_code == 201, good.text
    saved = good.json()
    assert saved["level"] == "high" and saved["alert_supervisor"] is True
    assert saved["reference"].startswith("VGL-")
    summary = client.get(f"/calls/{saved['reference']}")
    assert summary.status_code == 200 and "Risk: High" in summary.text
