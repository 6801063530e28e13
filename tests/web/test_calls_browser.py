"""In a real browser: a call handler types a known vulnerable caller's name with a typo, sees
the banner as they type, tries to save without answers and sees every gap, completes the
questions and saves a high-risk call (repeat and vulnerable)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import SCREENSHOTS, World
from tests.web.test_cases_browser import log_in
from tests.web.test_identify_web import indexed_world
from vigil.domain.access import Role

pytestmark = pytest.mark.browser


def test_a_handler_records_a_call_from_a_vulnerable_caller(
        world: World, server: str, browser: Browser) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER, full_name="Priya Shah")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))

    log_in(page, server, "handler")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Record a call").click()
    page.get_by_label("Given name").first.fill("Maggie")
    page.get_by_label("Family name").first.fill("Oyelaren")
    page.get_by_label("Date of birth").first.fill("01/05/1970")
    page.get_by_label("Postcode").first.fill("LE1 1AA")
    panel = page.locator("#identify-results")
    expect(panel.get_by_text("Vulnerable victim")).to_be_visible(timeout=10_000)
    expect(panel).to_contain_text("Vigil incident log")

    page.get_by_label("Category").select_option("personal")
    page.get_by_label("Type of ASB").select_option("nuisance_neighbours")
    page.get_by_label("What happened").fill("Shouting and banging on the wall at night")
    page.get_by_role("button", name="Save the call").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Do you feel unsafe in your own home?")
    expect(summary).to_contain_text("THRIVE: Threat")
    assert page.get_by_label("Family name").first.input_value() == "Oyelaren"
    expect(panel.get_by_text("Vulnerable victim")).to_be_visible()  # looked up again

    questions = page.locator("fieldset.call-question")
    for index in range(questions.count()):
        questions.nth(index).locator("input[type=radio]").first.check()
    for label in ("Threat", "Harm", "Risk", "Investigation", "Vulnerability", "Engagement"):
        page.get_by_label(label, exact=True).fill("Assessed on the call")
    page.screenshot(path=str(SCREENSHOTS / "call-screen.png"), full_page=False)
    page.get_by_role("button", name="Save the call").click()
    expect(page.get_by_role("status")).to_contain_text("The call is saved")
    expect(page.get_by_role("heading", name="Risk: High")).to_be_visible()
    expect(page.locator("body")).to_contain_text(
        "Raised from standard to high: repeat and vulnerable")
    expect(page.locator("body")).to_contain_text("The supervisor must be alerted now")
    assert errors == []
