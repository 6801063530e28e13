"""The analyst's page in a real browser: the run's progress gives way to a Leaflet map drawn
on a plain background, with nothing fetched from outside the app."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import PASSWORD, SCREENSHOTS, World
from tests.web.test_analysis_pages import analysed  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_the_analyst_runs_an_analysis_and_sees_the_map_without_outside_requests(
        analysed: World, server: str, browser: Browser) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hosts: set[str] = set()
    errors: list[str] = []
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/analysis")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/analysis")
    page.get_by_label("Area").fill("neighbourhood:E02000001")
    page.get_by_role("button", name="Run the analysis").click()
    page.wait_for_selector("#analysis-map canvas", timeout=30_000)
    page.wait_for_selector("#analysis-map .leaflet-control-layers", timeout=10_000)
    assert page.get_by_role("heading", name="Where to put resources").is_visible()
    assert "Corner Street" in page.locator("#priorities-title + p + h3 + ol").inner_text()
    page.screenshot(path=SCREENSHOTS / "analysis-1280.png", full_page=True)
    assert hosts == {urlparse(server).netloc}
    assert errors == []
