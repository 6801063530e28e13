"""In the browser, on a phone (390 px): the victim risk panel of a shared case, drawn without
breaking the Content-Security-Policy or scrolling sideways; the partner sees no score or call.
And an administrator sets a local ASB Case Review threshold, then resets it after confirming."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from sqlalchemy import update

from tests.victim_risk_factory import assessed_call, shared_case
from tests.web.conftest import SCREENSHOTS, World
from tests.web.conftest import sign_in_page as log_in
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.store.models import Lsoa

pytestmark = pytest.mark.browser


def test_the_victim_risk_panel_on_a_phone_for_police_and_partner(
        world: World, container: Container, server: str, browser: Browser) -> None:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    world.incident("VGL-1")
    ann = world.person("VGL-1", given_name="Ann", family_name="Victim")
    for reference, level, days in (("VGL-11", "standard", 90), ("VGL-12", "medium", 30),
                                   ("VGL-13", "high", 2)):
        assessed_call(container, reference, record_id=ann, level=level, score=days // 5,
                      days_ago=days)
    reference = shared_case(container, victim_record_id=ann)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for username in ("pc.dunmore", "city.asb"):
        problems: list[str] = []
        page = browser.new_context(viewport={"width": 390, "height": 844},
                                   is_mobile=True).new_page()
        page.on("console", lambda m, seen=problems: seen.append(m.text)
                if m.type == "error" else None)
        log_in(page, server, username)
        page.goto(f"{server}/cases/{reference}")
        panel = page.locator("#victim-risk")
        assert panel.locator(".trend--rising").inner_text() == "▲ Rising"
        assert panel.locator("svg.sparkline circle").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        calls = panel.get_by_role("link", name="VGL-13")
        assert calls.count() == (1 if username == "pc.dunmore" else 0)
        panel.screenshot(path=SCREENSHOTS / f"victim-risk-{username}-390.png")
        assert problems == [], problems
        page.context.close()


def test_an_administrator_sets_then_resets_a_local_threshold(
        world: World, container: Container, server: str, browser: Browser) -> None:
    world.area(local_authority="Leicester")
    with container.session_factory() as session:
        session.execute(update(Lsoa).values(local_authority_code="E06000016"))
        session.commit()
    world.user("admin", role=Role.ADMINISTRATOR)
    page = browser.new_page()
    log_in(page, server, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Set a local threshold for Leicester").click()
    page.get_by_label("Complaints about the same problem").fill("2")
    page.get_by_role("button", name="Save the threshold for Leicester").click()
    page.get_by_text("The threshold for E06000016 was saved").wait_for()
    page.get_by_role("link", name="Reset to default for Leicester").click()
    page.get_by_role("heading", name="Reset Leicester to the default threshold?").wait_for()
    page.get_by_role("button", name="Yes, use the default").click()
    page.get_by_text("E06000016 uses the default threshold again").wait_for()
    page.screenshot(path=SCREENSHOTS / "case-review-thresholds.png", full_page=True)
