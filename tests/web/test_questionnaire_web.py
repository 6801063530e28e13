"""/admin/questionnaire: who may open it, every problem listed by field with the text kept,
the confirm step, and publishing."""

from __future__ import annotations

import html
import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.integration.test_questionnaire_publish import version_two
from tests.web.conftest import LogIn, World, csrf_from
from vigil.domain.access import Role
from vigil.store.call_tables import RiskQuestionnaireVersion


def versions(world: World) -> int:
    with world.container.session_factory() as session:
        return session.scalar(select(func.count(RiskQuestionnaireVersion.id))) or 0


def test_only_a_police_administrator_opens_the_questionnaire(
        world: World, client: TestClient, log_in: LogIn) -> None:
    answer = client.get("/admin/questionnaire", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    for username, role, agency in (("handler", Role.CALL_HANDLER, "force"),
                                   ("sergeant", Role.SUPERVISOR, "force"),
                                   ("city.admin", Role.ADMINISTRATOR, "city-council")):
        world.user(username, role=role, agency=agency)
        log_in(username)
        assert client.get("/admin/questionnaire").status_code == 403, username
        assert 'href="/admin/questionnaire"' not in client.get("/").text
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    world.user("admin", role=Role.ADMINISTRATOR)
    log_in("admin")
    page = client.get("/admin/questionnaire")
    assert page.status_code == 200
    assert "Current version: 1" in page.text and "Edit version 2" in page.text
    assert 'href="/admin/questionnaire"' in page.text


def test_problems_are_listed_by_field_then_confirmed_and_published(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("admin", role=Role.ADMINISTRATOR, full_name="Helen Marsh")
    log_in("admin")
    token = csrf_from(client.get("/admin/questionnaire").text)
    bad = json.loads(version_two())
    bad["high_from"] = 3
    bad["questions"][0]["options"] = []
    sent = json.dumps(bad)
    answer = client.post("/admin/questionnaire/check",
                         data={"csrf_token": token, "questionnaire": sent})
    assert answer.status_code == 400
    text = html.unescape(answer.text)
    assert "Version 2 cannot be published: 2 problems" in text
    assert "questions[1].options</code>: give at least two answers" in text
    assert "high_from</code>: must be more than medium_from (8)" in text
    assert sent in text  # what was typed is kept
    confirm = client.post("/admin/questionnaire/check",
                          data={"csrf_token": token, "questionnaire": version_two()})
    assert confirm.status_code == 200
    assert "Publish version 2?" in confirm.text
    assert "Calls already recorded keep version 1" in confirm.text
    assert "Added: Have pets been harmed?" in confirm.text
    assert versions(world) == 1
    done = client.post("/admin/questionnaire/publish", follow_redirects=False,
                       data={"csrf_token": token, "questionnaire": version_two(),
                             "version": "2"})
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "Version 2 is published" in page and "Current version: 2" in page
    assert "Have pets been harmed?" in page and ">admin<" in page
    assert versions(world) == 2
