"""The call screen on the web: /calls/new, the summary, the identification panel and
POST /api/calls."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import LogIn, World, csrf_from
from tests.web.test_api import api_log_in
from tests.web.test_identify_web import indexed_world
from vigil.domain.access import Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE
from vigil.store.models import Incident, Lsoa

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
    assert "Winifred Okonkwo-Hale (caller, victim)" in page
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


def with_map_positions(world: World) -> list[str]:
    """A neighbourhood of two LSOAs with centroids in Leicester."""
    codes = world.area(name="Castle")
    with world.container.session_factory() as session:
        for code, (lat, lon) in zip(codes, ((52.6340, -1.1330), (52.6400, -1.1300)),
                                    strict=True):
            lsoa = session.get(Lsoa, code)
            assert lsoa is not None
            lsoa.latitude, lsoa.longitude = lat, lon
        session.commit()
    return codes


def test_witnesses_suspects_and_a_map_point_are_kept_on_errors_then_saved(
        world: World, client: TestClient, log_in: LogIn) -> None:
    codes = with_map_positions(world)
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    people = {"witnesses.0.given_name": "Desmond", "witnesses.0.family_name": "Achterberg",
              "witnesses.1.given_name": "Ola", "witnesses.1.family_name": "Nowak",
              "witnesses.1.phone": "12", "suspects.0.nickname": "Spider",
              "suspects.0.description": "Tall, red hoodie"}
    answer = client.post("/calls/new", data={**COMPLETE, **people, "csrf_token": token,
                                             "place_latitude": "fifty two",
                                             "place_longitude": "-1.1310"})
    assert answer.status_code == 400
    page = answer.text
    assert "Witness 2: phone: &#39;12&#39; is not a UK phone number" in page
    assert "Where: latitude: &#39;fifty two&#39; is not a number" in page
    assert 'id="witnesses.1.phone"' in page and 'value="Nowak"' in page
    assert 'value="Spider"' in page and "Tall, red hoodie" in page
    assert 'value="fifty two"' in page and incidents(world) == 0

    people["witnesses.1.phone"] = "07700 900789"
    saved = client.post("/calls/new", data={**COMPLETE, **people, "csrf_token": token,
                                            "place_latitude": "52.6395",
                                            "place_longitude": "-1.1301"})
    assert saved.status_code == 200, saved.text[:3000]
    summary = saved.text
    assert "Desmond Achterberg (witness)" in summary and "Ola Nowak (witness)" in summary
    assert "(name not known) (suspect), known as “Spider”: Tall, red hoodie" in summary
    assert f"({codes[1]}), neighbourhood Castle" in summary
    assert "Map point 52.63950, -1.13010" in summary


def test_without_a_script_a_handler_adds_and_removes_witness_rows(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    page = client.get("/calls/new").text
    token = csrf_from(page)
    assert 'id="witnesses.0.family_name"' in page and 'id="suspects.0.nickname"' in page
    assert 'id="witnesses.1.family_name"' not in page
    more = client.post("/calls/new", data={**COMPLETE, "csrf_token": token, "more": "witnesses",
                                           "witnesses.0.family_name": "Achterberg"})
    assert more.status_code == 200 and "There is a problem" not in more.text
    assert 'id="witnesses.1.family_name"' in more.text and 'value="Achterberg"' in more.text
    removed = client.post("/calls/new", data={
        **COMPLETE, "csrf_token": token, "remove": "witnesses.0",
        "witnesses.0.family_name": "Achterberg", "witnesses.1.family_name": "Nowak"})
    assert removed.status_code == 200
    assert 'id="witnesses.0.family_name" name="witnesses.0.family_name" type="text" ' \
           'inputmode="text" value="Nowak"' in removed.text
    assert "Achterberg" not in removed.text and incidents(world) == 0


def test_the_place_is_resolved_as_the_handler_gives_it(world: World, client: TestClient,
                                                      log_in: LogIn) -> None:
    codes = with_map_positions(world)
    world.user("handler", role=Role.CALL_HANDLER)
    world.user("partner", role=Role.PARTNER_ASB_OFFICER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    found = client.post("/calls/place", headers={"HX-Request": "true"}, data={
        "place_latitude": "52.6341", "place_longitude": "-1.1331", "csrf_token": token})
    assert found.status_code == 200 and "<html" not in found.text
    assert f"({codes[0]})" in found.text and "neighbourhood <strong>Castle</strong>" in found.text
    far = client.post("/calls/place", data={"place_latitude": "53.48",
                                            "place_longitude": "-2.24", "csrf_token": token})
    assert "Latitude: 53.48000, -2.24000 is outside the force area" in far.text
    areas = client.get("/calls/areas.geojson").json()
    names = {f["properties"]["name"] for f in areas["features"]}
    assert {"Castle 0", "Castle 1", "Castle"} <= names
    client.post("/logout", data={"csrf_token": token})
    log_in("partner")
    assert client.get("/calls/areas.geojson").status_code == 403


def test_the_api_takes_witnesses_suspects_and_a_point_or_names_each_bad_field(
        world: World, client: TestClient) -> None:
    with_map_positions(world)
    world.user("handler", role=Role.CALL_HANDLER)
    token = api_log_in(client, "handler")
    body = {"caller": {"family_name": "Okonkwo-Hale", "postcode": "LE1 5WW"},
            "category": "nuisance", "detailed_type": "noise", "description": "Loud music",
            "answers": {q.key: {"value": q.options[0].value}
                        for q in DEFAULT_QUESTIONNAIRE.questions},
            "thrive": {k: "Assessed" for k in ("threat", "harm", "risk", "investigation",
                                               "vulnerability", "engagement")},
            "place_latitude": 52.6399, "place_longitude": -1.1302,
            "witnesses": [{"given_name": "Desmond", "family_name": "Achterberg"}],
            "suspects": [{"nickname": "Spider", "description": "Red hoodie"}]}
    bad = client.post("/api/calls", headers={"X-CSRF-Token": token}, json={
        **body, "place_latitude": 53.48, "place_longitude": -2.24,
        "witnesses": [{"given_name": "Desmond"}], "suspects": [{"postcode": "nowhere"}]})
    assert bad.status_code == 422
    problems = bad.json()["detail"]["problems"]
    assert set(problems) == {"place_latitude", "witnesses.0.family_name",
                             "suspects.0.family_name", "suspects.0.postcode"}
    assert incidents(world) == 0
    good = client.post("/api/calls", headers={"X-CSRF-Token": token}, json=body)
    assert good.status_code == 201, good.text
    summary = client.get(f"/calls/{good.json()['reference']}").text
    assert "Desmond Achterberg (witness)" in summary and "known as “Spider”" in summary
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"witnesses", "suspects", "place_latitude"} <= set(schema["CallBody"]["properties"])
    assert "nickname" in schema["SuspectBody"]["properties"]


def test_each_banner_names_its_source_and_a_possible_match_is_confirmed_in_one_step(
        world: World, client: TestClient, log_in: LogIn) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER)
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    caller = {"caller.given_name": "Maggie", "caller.family_name": "Oyelaran"}
    panel = client.post("/calls/identify", data={**caller, "csrf_token": token}).text
    assert "Possible match" in panel and "Vulnerable victim" not in panel
    record_ids = re.findall(r'name="record_id" value="(\d+)"',
                            panel.split('class="identify-feedback identify-verdict"')[1]
                            .split("</form>")[0])
    assert len(record_ids) == 2 and 'aria-keyshortcuts="Alt+Y"' in panel
    confirmed = client.post("/calls/identify/feedback", data={
        **caller, "csrf_token": token, "verdict": "same", "record_id": record_ids})
    assert confirmed.status_code == 200 and "<html" not in confirmed.text
    page = confirmed.text
    assert "Confirmed: the caller is this person." in page
    vulnerable = page.split("Vulnerable victim")[1].split("</div>")[0]
    assert "Mental health" in vulnerable
    assert "— Vigil incident log, Leicestershire Police (demo)" in vulnerable
    repeat = page.split("Repeat ")[1].split("</div>")[0]
    assert "INC-1 (2022-10)" in repeat and "as victim" in repeat
    assert "CRIME-1" in repeat and "Force crime records system, Leicestershire" in repeat
    rejected = client.post("/calls/identify/feedback", data={
        **caller, "csrf_token": token, "verdict": "different", "record_id": record_ids})
    assert "Rejected: not the caller" in rejected.text
    assert "Margaret Oyelaran" not in rejected.text and "Vulnerable victim" not in rejected.text


def test_the_incident_page_links_to_the_call_summary_only_for_police_who_see_people(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("handler", role=Role.CALL_HANDLER)
    world.user("analyst", role=Role.ANALYST)
    world.user("partner", role=Role.PARTNER_ASB_OFFICER)
    world.incident("OPEN-1")
    log_in("handler")
    token = csrf_from(client.get("/calls/new").text)
    saved = client.post("/calls/new", data={**COMPLETE, "csrf_token": token},
                        follow_redirects=False)
    reference = saved.headers["location"].split("/calls/")[1].split("?")[0]
    link = f'<a href="/calls/{reference}">'
    assert link in client.get(f"/incidents/{reference}").text
    assert "/calls/" not in client.get("/incidents/OPEN-1").text.split("<main")[1]
    for username in ("analyst", "partner"):
        client.post("/logout", data={"csrf_token": token})
        log_in(username)
        token = csrf_from(client.get("/").text)
        page = client.get(f"/incidents/{reference}")
        assert page.status_code == 200 and link not in page.text
        assert client.get(f"/calls/{reference}").status_code == 403
