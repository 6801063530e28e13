"""On a phone (390 px wide): a neighbourhood officer checks their tasks, sees the vulnerable
victim on their beat and records a visit, without the page ever scrolling sideways."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import SCREENSHOTS, World
from tests.web.conftest import sign_in_page as log_in
from tests.web.test_officer_pages import as_user, give_beat
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.services import case_actions, cases
from vigil.services.case_actions import NewAction

pytestmark = pytest.mark.browser


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_neighbourhood_officer_works_their_beat_from_a_phone(
        world: World, container: Container, server: str, browser: Browser) -> None:
    lsoas = world.area("E02000001", name="Castle")
    world.incident("VGL-2026-000101", lsoa=lsoas[0], location_text="On or near Mill Road")
    world.person("VGL-2026-000101", given_name="Vera", family_name="Vulnerable",
                 marker="lives_alone")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER, full_name="PC Rachel Dunmore")
    give_beat(container, "pc.dunmore", "E02000001")
    police = as_user(container, "pc.dunmore")
    reference = cases.open_case(container.uow(police), new=cases.NewCase(
        title="Threats to a vulnerable resident at Mill Road with a very long title indeed",
        incident_references=("VGL-2026-000101",)))
    case_actions.add_action(container.uow(police), reference=reference, new=NewAction(
        description="Fit a door camera for the victim", due_on=date.today() - timedelta(days=2),
        agency_code="force", officer_username="pc.dunmore"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                               has_touch=True).new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    log_in(page, server, "pc.dunmore")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    page.get_by_role("heading", name="My tasks").wait_for()
    assert page.get_by_text("Fit a door camera for the victim").is_visible()
    assert page.get_by_text("Overdue").first.is_visible()
    assert fits(page), "my tasks scroll sideways on a phone"
    page.screenshot(path=SCREENSHOTS / "officer-tasks-390.png", full_page=True)

    page.get_by_role("navigation", name="My work").get_by_role("link", name="My cases").click()
    page.get_by_role("link", name=reference, exact=False).wait_for()
    assert fits(page), "my cases scroll sideways on a phone"

    page.get_by_role("navigation", name="My work").get_by_role("link", name="My beat").click()
    page.get_by_text("Vera Vulnerable", exact=True).wait_for()
    assert page.get_by_text("Vulnerable", exact=True).is_visible()
    assert fits(page), "my beat scrolls sideways on a phone"
    page.screenshot(path=SCREENSHOTS / "officer-beat-390.png", full_page=True)

    page.get_by_role("link", name="Record a visit to Vera Vulnerable").click()
    page.get_by_label("How").select_option("visit")
    page.get_by_label("When").fill("2026-01-05T18:30")
    page.get_by_label("What happened").fill("Visited Vera; door camera booked")
    page.get_by_label("Case reference").fill(reference)
    assert fits(page), "the contact form scrolls sideways on a phone"
    page.screenshot(path=SCREENSHOTS / "officer-contact-390.png", full_page=True)
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_role("heading", name="Visits and victim contact").wait_for()
    assert page.get_by_text("Visited Vera; door camera booked").is_visible()
    assert fits(page), "the case page scrolls sideways on a phone"
    assert problems == [], problems
