"""The JSON API under /api and its documentation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, World
from vigil.domain.access import Role


def api_log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the API; returns the CSRF token it hands back."""
    answer = client.post("/api/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["csrf_token"]
    return token


def test_api_requires_login(client: TestClient) -> None:
    for path in ("/api/me", "/api/incidents", "/api/incidents/REF-1", "/api/neighbourhoods"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 401, path
        assert answer.headers["content-type"] == "application/json"
        assert "Log in first" in answer.json()["detail"]


def test_health_needs_no_login_and_checks_the_database(client: TestClient) -> None:
    answer = client.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "reachable"}


def test_api_login_sets_the_session_cookie_and_tells_who_you_are(
        world: World, client: TestClient) -> None:
    world.user("pat", role=Role.PARTNER_ASB_OFFICER, full_name="Pat Partner")
    api_log_in(client, "pat")
    me = client.get("/api/me").json()
    assert me["full_name"] == "Pat Partner"
    assert me["role"] == "partner_asb_officer"
    assert me["agency_kind"] == "council"
    assert "view_police_only" not in me["permissions"]
    assert "password_hash" not in str(me) and "$argon2" not in str(me)


def test_api_login_with_a_wrong_password_is_refused(world: World, client: TestClient) -> None:
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    answer = client.post("/api/session", json={"username": "pat", "password": "wrong"})
    assert answer.status_code == 400
    assert "The username or password is not right" in answer.json()["detail"]
    assert client.get("/api/me").status_code == 401


def test_api_login_accepts_only_json(world: World, client: TestClient) -> None:
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    answer = client.post("/api/session", content=f'{{"username": "pat", "password": '
                                                 f'"{PASSWORD}"}}',
                         headers={"content-type": "text/plain"})
    assert answer.status_code == 415
    assert client.get("/api/me").status_code == 401


def test_api_logout_needs_the_csrf_header(world: World, client: TestClient) -> None:
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    token = api_log_in(client, "pat")
    assert client.delete("/api/session").status_code == 403
    assert client.delete("/api/session", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_api_lists_incidents_a_page_at_a_time_with_filters(
        world: World, client: TestClient) -> None:
    world.incident("REF-1", location_text="Park Lane")
    world.incident("REF-2", location_text="Mill Road")
    world.user("ann", role=Role.ANALYST)
    api_log_in(client, "ann")
    everything = client.get("/api/incidents").json()
    assert everything["total"] == 2 and everything["page"] == 1 and everything["pages"] == 1
    park = client.get("/api/incidents", params={"q": "park"}).json()
    assert [i["reference"] for i in park["items"]] == ["REF-1"]
    assert set(park["items"][0]) >= {"reference", "month", "category", "location_text"}


def test_api_reports_every_bad_filter_at_once(world: World, client: TestClient) -> None:
    world.user("ann", role=Role.ANALYST)
    api_log_in(client, "ann")
    answer = client.get("/api/incidents", params={"month_from": "2022-13", "category": "x"})
    assert answer.status_code == 422
    assert set(answer.json()["problems"]) == {"month_from", "category"}


def test_api_incident_never_shows_police_only_things_to_a_partner(
        world: World, client: TestClient) -> None:
    world.incident("SECRET-1", police_only=True)
    world.incident("REF-1")
    world.person("REF-1", given_name="Mary", family_name="Smith")
    world.person("REF-1", given_name="Ivan", family_name="Intel", police_only=True)
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    api_log_in(client, "pat")
    assert client.get("/api/incidents/SECRET-1").status_code == 404
    assert client.get("/api/incidents/SECRET-1").json() == \
        client.get("/api/incidents/NO-SUCH").json()
    detail = client.get("/api/incidents/REF-1").json()
    assert [p["name"] for p in detail["people"]] == ["Mary Smith"]
    assert "police_only" not in detail
    assert [i["reference"] for i in client.get("/api/incidents").json()["items"]] == ["REF-1"]


def test_api_incident_gives_no_people_to_roles_that_may_not_see_them(
        world: World, client: TestClient) -> None:
    world.incident("REF-1")
    world.person("REF-1", given_name="Mary", family_name="Smith")
    world.user("ann", role=Role.ANALYST)
    api_log_in(client, "ann")
    assert client.get("/api/incidents/REF-1").json()["people"] is None


def test_api_lists_neighbourhoods_with_rates(world: World, client: TestClient) -> None:
    lsoas = world.area("E02000001", name="Castle", lsoas=1, population_each=2000)
    world.incident("REF-1", lsoa=lsoas[0])
    world.user("ann", role=Role.ANALYST)
    api_log_in(client, "ann")
    body = client.get("/api/neighbourhoods").json()
    assert body["period_last"] == "2022-10-01"
    assert body["items"] == [{"code": "E02000001", "name": "Castle",
                              "local_authority_name": "Leicester", "lsoa_count": 1,
                              "population": 2000, "incidents": 1, "rate_per_1000": 0.5}]


def test_openapi_document_lists_incident_endpoints(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert {"/api/incidents", "/api/incidents/{reference}", "/api/neighbourhoods", "/api/me",
            "/api/health", "/api/session"} <= set(paths)
    assert not any(not path.startswith("/api/") for path in paths)  # pages are not API
    assert "password_hash" not in str(document)


def test_api_docs_are_served_without_any_outside_network(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert '/static/vendor/swagger-ui/swagger-ui-bundle.js' in page.text
    assert 'data-openapi-url="/api/openapi.json"' in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
