"""In a real browser: a police officer opens a case and shares it with the city council; the
council's ASB officer works on it and never sees the police-only intelligence."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import SCREENSHOTS, World
from tests.web.conftest import sign_in_page as log_in
from vigil.domain.access import Role

pytestmark = pytest.mark.browser

INTELLIGENCE = "Intelligence: the suspect is supplying drugs from flat 3"


def test_a_police_officer_and_a_partner_work_one_shared_case(
        world: World, server: str, browser: Browser) -> None:
    world.incident("VIG-2026-0042", location_text="On or near Mill Road")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council",
               full_name="Daniel Whitmore")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: problems.append(str(e)))

    log_in(page, server, "pc.dunmore")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Open a case").click()
    page.get_by_label("Title").fill("Noise and threats at Mill Road flats")
    page.get_by_label("Incidents").fill("VIG-2026-0042")
    page.get_by_role("button", name="Open the case").click()
    page.get_by_role("heading", name="Noise and threats at Mill Road flats").wait_for()
    assert page.get_by_role("link", name="VIG-2026-0042").is_visible()

    page.get_by_label("Add a note").fill(INTELLIGENCE)
    page.get_by_label("Police only (partners will never see it)").check()
    page.get_by_role("button", name="Add the note").click()
    page.get_by_text(INTELLIGENCE).wait_for()
    page.get_by_label("Add a note").fill("Victim visited; diary sheets left")
    page.get_by_role("button", name="Add the note").click()
    page.get_by_text("Victim visited; diary sheets left").wait_for()

    page.get_by_text("Share with another agency").click()
    page.get_by_label("Share with").select_option("city-council")
    page.get_by_label("Lawful basis").fill("Crime and Disorder Act 1998, section 115")
    page.get_by_role("button", name="Share the case").click()
    page.locator("#sharing").get_by_text("City Council", exact=False).first.wait_for()
    page.screenshot(path=SCREENSHOTS / "case-police-1280.png", full_page=True)
    page.get_by_role("button", name="Log out").click()

    log_in(page, server, "city.asb")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Shared with us").click()
    page.locator("a[href^='/cases/CASE-']").first.click()
    page.get_by_text("Victim visited; diary sheets left").wait_for()
    assert page.get_by_text("supplying drugs").count() == 0
    assert page.get_by_text("Police only").count() == 0
    assert page.get_by_label("Police only (partners will never see it)").count() == 0

    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Send a warning letter to flat 3")
    page.get_by_label("Due").fill("2030-01-31")
    page.get_by_label("Agency to do it").select_option("city-council")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_role("cell", name="Send a warning letter to flat 3", exact=True).wait_for()
    page.screenshot(path=SCREENSHOTS / "case-partner-1280.png", full_page=True)
    assert "supplying drugs" not in page.content()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                storage_state=page.context.storage_state()).new_page()
    phone.goto(page.url)
    phone.screenshot(path=SCREENSHOTS / "case-partner-390.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        "the case page scrolls sideways on a phone"
    assert problems == [], problems
