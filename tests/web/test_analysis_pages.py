"""The analyst's page: the form reports every problem, a run shows progress and then the map,
tables and charts, and a run belongs to the user who started it."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.store.models import AuditEntry, Incident, Lsoa, Source


@pytest.fixture
def analysed(world: World) -> World:
    """An analyst, a call handler, and 30 located incidents in one neighbourhood, 20 of them
    at one street corner."""
    world.user("ana", role=Role.ANALYST)
    world.user("cal", role=Role.CALL_HANDLER)
    world.user("sue", role=Role.SUPERVISOR)
    codes = world.area("E02000001", name="Castle", lsoas=2)
    with world.container.session_factory() as session:
        for k, code in enumerate(codes):
            lsoa = session.get(Lsoa, code)
            assert lsoa is not None
            lsoa.latitude, lsoa.longitude = 52.63 + 0.01 * k, -1.13
        source_id = session.scalar(select(Source.id).where(Source.code == "vigil"))
        start = datetime(2022, 10, 1, 20, tzinfo=UTC)
        for k in range(30):
            corner = k < 20
            when = start + timedelta(days=k % 28)
            session.add(Incident(
                reference=f"A-{k}", source_id=source_id, source_key=f"A-{k}",
                occurred_at=when, occurred_month=when.date().replace(day=1),
                time_precision="exact", latitude=52.63 if corner else 52.60 + 0.003 * k,
                longitude=-1.13 if corner else -1.16 + 0.004 * k,
                location_text="On or near Corner Street" if corner else f"Road {k}",
                lsoa_code=codes[0], category="nuisance", detailed_type="noise",
                status="open"))
        session.commit()
    return world


def _start(client: TestClient, **values: str):
    form = client.get("/analysis")
    assert form.status_code == 200
    data = {"from": "", "to": "", "area": "force", "category": "",
            "csrf_token": csrf_from(form.text), **values}
    return client.post("/analysis/runs", data=data, follow_redirects=False)


def _wait(client: TestClient, url: str) -> None:
    for _ in range(200):
        if client.get(f"{url}/status.json").json()["done"]:
            return
        time.sleep(0.05)
    raise AssertionError("the analysis did not finish")


def test_the_analyst_sees_hot_spots_priorities_and_the_map_for_the_area(
        analysed: World, client: TestClient, log_in: LogIn):
    log_in("ana")
    assert 'href="/analysis"' in client.get("/").text
    started = _start(client, area="neighbourhood:E02000001")
    assert started.status_code == 303
    url = started.headers["location"]
    _wait(client, url)
    page = client.get(url)
    assert page.status_code == 200
    assert "Castle, Nov 2021 to Oct 2022" in page.text
    assert "30 incidents" in page.text
    assert 'id="analysis-map"' in page.text and "/static/vendor/leaflet/leaflet.js" in page.text
    assert "On or near Corner Street</strong> — score 20" in page.text
    assert "Open Government Licence" in page.text
    assert "A neighbourhood officer or supervisor can open" in page.text  # analysts propose
    cells = client.get(f"{url}/hotspots.geojson").json()
    assert sum(f["properties"]["count"] for f in cells["features"]) == 30
    assert any(f["properties"]["hot"] for f in cells["features"])
    lsoas = client.get(f"{url}/lsoas.geojson").json()
    assert len(lsoas["features"]) == 2
    for name in ("trends", "hotspots", "kde", "near-repeat"):
        chart = client.get(f"{url}/{name}.png")
        assert chart.headers["content-type"] == "image/png"


def test_every_problem_in_the_form_is_reported_at_once(analysed: World, client: TestClient,
                                                       log_in: LogIn):
    log_in("ana")
    answer = _start(client, **{"from": "2022-13", "area": "neighbourhood:NOPE",
                               "category": "loud"})
    assert answer.status_code == 422
    for text in ("From: ", "Area: unknown neighbourhood code(s): NOPE", "Category: "):
        assert text in answer.text


def test_another_user_cannot_see_someone_elses_run(analysed: World, client: TestClient,
                                                   log_in: LogIn):
    log_in("ana")
    url = _start(client).headers["location"]
    _wait(client, url)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    log_in("cal")
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/hotspots.geojson").status_code == 404


def test_starting_a_run_needs_the_forms_token(analysed: World, client: TestClient,
                                              log_in: LogIn):
    log_in("ana")
    answer = client.post("/analysis/runs", data={"area": "force"}, follow_redirects=False)
    assert answer.status_code == 403


def test_a_supervisor_can_open_a_case_from_a_ranked_place_in_one_click(
        analysed: World, client: TestClient, log_in: LogIn):
    log_in("sue")
    url = _start(client, area="neighbourhood:E02000001").headers["location"]
    _wait(client, url)
    page = client.get(url).text
    link = page.split('class="propose-case" href="', 1)[1].split('"', 1)[0]
    assert link.startswith("/cases/new?incident=A-19&amp;incident=A-18")
    assert link.count("incident=") == 20  # every Corner Street incident
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and "A-19" in form.text


# ----- Downloads: the files `vigil analyse` writes, from the run's page --------------------

def _finished_run(client: TestClient) -> str:
    url = _start(client, area="neighbourhood:E02000001").headers["location"]
    _wait(client, url)
    return url


def test_the_analyst_downloads_each_output_with_its_contents(
        analysed: World, client: TestClient, log_in: LogIn,
        container: Container) -> None:
    log_in("ana")
    url = _finished_run(client)
    page = client.get(url).text
    for name in ("priorities.csv", "hotspots.geojson", "trends.png", "all.zip"):
        assert f'{url}/files/{name}"' in page

    answer = client.get(f"{url}/files/priorities.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert "castle-priorities.csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0])[:6] == ["neighbourhood", "neighbourhood_name", "rank", "place",
                                 "place_key", "score"]
    assert "high_risk_assessments" in rows[0]
    assert rows[0]["place"] == "On or near Corner Street" and rows[0]["score"] == "20.0"

    geojson = client.get(f"{url}/files/hotspots.geojson")
    assert geojson.headers["content-type"] == "application/geo+json"
    assert geojson.headers["content-disposition"].startswith("attachment;")
    cells = json.loads(geojson.content)
    assert cells["type"] == "FeatureCollection"
    assert any(f["properties"]["hot"] for f in cells["features"])
    assert sum(f["properties"]["count"] for f in cells["features"]) == 30

    for name in ("trends.png", "hotspots.png", "kde.png", "near_repeat.png"):
        png = client.get(f"{url}/files/{name}")
        assert png.headers["content-type"] == "image/png", name
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n", name

    bundle = zipfile.ZipFile(io.BytesIO(client.get(f"{url}/files/all.zip").content))
    assert {"ATTRIBUTION.txt", "priorities.csv", "hotspots.geojson",
            "trends.png"} <= set(bundle.namelist())

    with container.session_factory() as session:
        files = session.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "download", AuditEntry.object_type == "analysis")
            .order_by(AuditEntry.id)).all()
    assert [f["file"] for f in files][:2] == ["priorities.csv", "hotspots.geojson"]
    assert len(files) == 7


def test_only_the_runs_owner_downloads_and_unknown_files_are_not_found(
        analysed: World, client: TestClient, log_in: LogIn) -> None:
    log_in("ana")
    url = _finished_run(client)
    assert client.get(f"{url}/files/secrets.csv").status_code == 404
    assert client.get(f"{url}/files/..%2F..%2Fetc%2Fpasswd").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    assert client.get(f"{url}/files/priorities.csv",
                      follow_redirects=False).headers["location"].startswith("/login")
    log_in("cal")
    assert client.get(f"{url}/files/priorities.csv").status_code == 404
