"""The supervisor's view on the web: who may open it, the alert count on every page, the
lists, acknowledging, recording contact, and GET /api/supervision/measures."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.test_identify_service import make_actor
from tests.integration.test_supervision import HIGHEST, LOWEST, call
from tests.web.conftest import LogIn, World, csrf_from
from vigil.domain.access import Role
from vigil.services.calls import RecordedCall, record_call
from vigil.store.call_tables import CallTask
from vigil.store.supervision_tables import SupervisorAlert
from vigil.store.types import utcnow


def a_high_risk_call(world: World, family: str = "Brightwell") -> RecordedCall:
    handler = make_actor(world.container, f"handler.{family.lower()}",
                         role=Role.CALL_HANDLER, agency="force")
    return record_call(world.container.uow(handler), call=call(family, "LE2 2BB", HIGHEST),
                       now=utcnow() - timedelta(hours=30))


def test_only_supervisors_open_the_supervisors_view(world: World, client: TestClient,
                                                    log_in: LogIn) -> None:
    for path in ("/supervision", "/supervision/tasks/1/contact"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert client.get("/api/supervision/measures").status_code == 401
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    assert client.get("/supervision").status_code == 403
    assert client.get("/api/supervision/measures").status_code == 403
    assert 'href="/supervision"' not in client.get("/").text


def test_a_high_risk_call_shows_on_every_page_until_acknowledged(
        world: World, client: TestClient, log_in: LogIn) -> None:
    saved = a_high_risk_call(world)
    world.user("sergeant", role=Role.SUPERVISOR, full_name="Sgt Kaur")
    log_in("sergeant")
    for path in ("/", "/incidents"):
        page = client.get(path).text
        assert 'id="alert-count">1<' in page, path
        assert "1 high-risk call</strong> waiting" in page
    home = client.get("/").text
    assert 'href="/supervision"' in home
    page = client.get("/supervision")
    assert page.status_code == 200
    assert page.text.count(f'href="/calls/{saved.reference}"') == 3  # alert, high, overdue
    assert "Not acknowledged" in page.text
    with world.container.session_factory() as session:
        alert_id = session.scalars(select(SupervisorAlert.id)).one()
    answer = client.post(f"/supervision/alerts/{alert_id}/acknowledge",
                         data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert answer.status_code == 303
    after = client.get(answer.headers["location"]).text
    assert f"Alert for {saved.reference} acknowledged" in after
    assert "Acknowledged" in after and "by Sgt Kaur" in after
    assert 'id="alert-count"' not in client.get("/").text


def test_a_partner_supervisor_sees_none_of_the_forces_calls(
        world: World, client: TestClient, log_in: LogIn) -> None:
    saved = a_high_risk_call(world)
    with world.container.session_factory() as session:
        alert_id = session.scalars(select(SupervisorAlert.id)).one()
        task_id = session.scalars(select(CallTask.id)).one()
    world.user("council.manager", role=Role.SUPERVISOR, agency="city-council")
    log_in("council.manager")
    page = client.get("/supervision")
    assert page.status_code == 200
    assert saved.reference not in page.text and 'id="alert-count"' not in page.text
    assert "No open high-risk calls." in page.text and "No overdue contacts." in page.text
    token = csrf_from(page.text)
    assert client.post(f"/supervision/alerts/{alert_id}/acknowledge",
                       data={"csrf_token": token}).status_code == 404
    assert client.get(f"/supervision/tasks/{task_id}/contact").status_code == 404
    measures = client.get("/api/supervision/measures?from=2000-01-01&to=2002-12-31").json()
    assert measures["period"]["calls"] == 0


def test_recording_contact_lists_every_problem_then_closes_the_task(
        world: World, client: TestClient, log_in: LogIn) -> None:
    saved = a_high_risk_call(world)
    world.user("sergeant", role=Role.SUPERVISOR)
    log_in("sergeant")
    with world.container.session_factory() as session:
        task_id = session.scalars(select(CallTask.id)).one()
    form = client.get(f"/supervision/tasks/{task_id}/contact")
    assert form.status_code == 200 and saved.reference in form.text
    token = csrf_from(form.text)
    bad = client.post(f"/supervision/tasks/{task_id}/contact",
                      data={"csrf_token": token, "made_at": "soon", "note": "rang"})
    assert bad.status_code == 400
    for text in ("When contact was made: ", "Who made contact: say who made the contact",
                 "How: say how you made contact"):
        assert text in bad.text
    assert 'value="soon"' in bad.text and "rang</textarea>" in bad.text
    made = (utcnow() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    good = client.post(f"/supervision/tasks/{task_id}/contact", follow_redirects=False,
                       data={"csrf_token": token, "made_at": made, "made_by": "PC Dunn",
                             "kind": "visit", "note": "Visited; safe"})
    assert good.status_code == 303
    page = client.get(good.headers["location"]).text
    assert f"Contact recorded for {saved.reference}" in page
    assert "No overdue contacts." in page and "No open high-risk calls." in page
    with world.container.session_factory() as session:
        assert session.get(CallTask, task_id).done_at is not None  # type: ignore[union-attr]


def test_the_measures_as_json_and_bad_dates_by_field(world: World, client: TestClient,
                                                     log_in: LogIn) -> None:
    handler = make_actor(world.container, "handler", role=Role.CALL_HANDLER, agency="force")
    at = utcnow() - timedelta(days=1)
    record_call(world.container.uow(handler), call=call("Ellery", "LE5 5EE", LOWEST), now=at)
    world.user("sergeant", role=Role.SUPERVISOR)
    log_in("sergeant")
    day = at.date().isoformat()
    body = client.get(f"/api/supervision/measures?from={day}&to={day}").json()
    period = body["period"]
    assert period["calls"] == 1
    assert period["earlier_asb_asked"] == {"count": 1, "total": 1, "percent": 100.0}
    assert period["repeat_or_vulnerable_identified"]["count"] == 0
    assert len(body["months"]) == 12 and "vulnerability_asked" in body["definitions"]
    bad = client.get("/api/supervision/measures?from=2026-02-30&to=")
    assert bad.status_code == 422
    assert set(bad.json()["detail"]["problems"]) == {"from", "to"}
    page = client.get("/supervision?from=2026-10-31&to=2026-10-01")
    assert page.status_code == 400 and "Period: to: must not be before" in page.text
    assert "<svg" in page.text and "Asked about earlier ASB (%)" in page.text
