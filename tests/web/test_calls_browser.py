"""In a real browser: a call handler types a known vulnerable caller's name with a typo, is
offered a possible match and confirms it with Alt+Y, sees the banners with their sources,
chooses the place on the map, tries to save without answers and sees every gap, completes the
questions and saves a high-risk call (repeat and vulnerable)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import SCREENSHOTS, World
from tests.web.conftest import sign_in_page as log_in
from tests.web.test_calls_web import with_map_positions
from tests.web.test_identify_web import indexed_world
from vigil.domain.access import Role

pytestmark = pytest.mark.browser


def test_a_handler_records_a_call_from_a_vulnerable_caller(
        world: World, server: str, browser: Browser) -> None:
    indexed_world(world).user("handler", role=Role.CALL_HANDLER, full_name="Priya Shah")
    with_map_positions(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))

    log_in(page, server, "handler")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Record a call").click()
    page.get_by_label("Given name").first.fill("Maggie")
    page.get_by_label("Family name").first.fill("Oyelaran")
    panel = page.locator("#identify-results")
    expect(panel).to_contain_text("Possible match", timeout=10_000)
    expect(panel.get_by_text("Vulnerable victim")).to_have_count(0)
    page.keyboard.press("Alt+y")  # focus is in a field: the key must not act there
    expect(panel).not_to_contain_text("Confirmed")
    assert page.get_by_label("Family name").first.input_value() == "Oyelaran"
    page.keyboard.press("Alt+i")
    page.keyboard.press("Alt+y")
    expect(panel).to_contain_text("Confirmed: the caller is this person.", timeout=10_000)
    banner = panel.locator(".identify-banner--vulnerable")
    expect(banner).to_contain_text("Mental health")
    expect(banner).to_contain_text("Vigil incident log, Leicestershire Police (demo)")
    expect(page.locator("#call-panel")).to_be_focused()

    page.get_by_label("Family name").first.fill("Oyelaren")
    page.get_by_label("Date of birth").first.fill("01/05/1970")
    page.get_by_label("Postcode").first.fill("LE1 1AA")
    expect(panel).not_to_contain_text("Confirmed", timeout=10_000)
    expect(panel.get_by_text("Vulnerable victim")).to_be_visible(timeout=10_000)
    expect(panel).to_contain_text("Vigil incident log")

    page.locator("#call-map .leaflet-interactive").first.wait_for()
    page.locator("#call-map").click(position={"x": 200, "y": 170})
    expect(page.locator("#place-found")).to_contain_text("neighbourhood Castle",
                                                         timeout=10_000)
    assert page.get_by_label("Latitude").input_value().startswith("52.6")

    witnesses = page.locator("#witnesses")
    witnesses.get_by_label("Family name").fill("Nowak")
    witnesses.get_by_role("button", name="Add another witness").press("Enter")
    expect(page.locator("#witnesses\\.1\\.given_name")).to_be_focused()
    page.keyboard.type("Desmond")
    page.locator("#witnesses\\.1\\.family_name").fill("Achterberg")
    witnesses.get_by_role("button", name="Remove witness 1").press("Enter")
    expect(witnesses.locator("legend", has_text="Witness 2")).to_have_count(0)
    assert page.locator("#witnesses\\.0\\.family_name").input_value() == "Achterberg"

    page.get_by_label("Category").select_option("personal")
    page.get_by_label("Type of ASB").select_option("nuisance_neighbours")
    page.get_by_label("What happened").fill("Shouting and banging on the wall at night")
    page.get_by_label("Given name").first.press("Enter")  # Enter saves; it adds no witness
    expect(page.locator("#witnesses\\.1\\.given_name")).to_have_count(0)
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
    expect(page.locator("body")).to_contain_text("neighbourhood Castle")
    expect(page.locator("body")).to_contain_text("Desmond Achterberg (witness)")
    expect(page.locator("body")).not_to_contain_text("Nowak")
    assert errors == []


def test_a_supervisor_sees_and_acknowledges_a_new_high_risk_call(
        world: World, server: str, browser: Browser) -> None:
    from vigil.domain.risk import DEFAULT_QUESTIONNAIRE

    world.user("handler", role=Role.CALL_HANDLER, full_name="Priya Shah")
    world.user("sergeant", role=Role.SUPERVISOR, full_name="Sgt Alun Kaur")
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, server, "handler")
    page.goto(f"{server}/calls/new")
    page.get_by_label("Family name").first.fill("Brightwell")
    page.get_by_label("Address").first.fill("3 Mill Road, Leicester")
    page.get_by_label("Postcode").first.fill("LE2 2BB")
    page.get_by_label("Category").select_option("personal")
    page.get_by_label("Type of ASB").select_option("nuisance_neighbours")
    page.get_by_label("What happened").fill("Threatened with a knife at the door")
    for question in DEFAULT_QUESTIONNAIRE.questions:
        worst = max(question.options, key=lambda o: o.score)
        page.locator(f'input[name="answers.{question.key}"][value="{worst.value}"]').check()
    for label in ("Threat", "Harm", "Risk", "Investigation", "Vulnerability", "Engagement"):
        page.get_by_label(label, exact=True).fill("Assessed on the call")
    page.get_by_role("button", name="Save the call").click()
    expect(page.get_by_role("heading", name="Risk: High")).to_be_visible()
    reference = page.url.rsplit("/", 1)[1].split("?")[0]
    page.get_by_role("button", name="Log out").click()

    log_in(page, server, "sergeant")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("#alert-count")).to_have_text("1 high-risk call alert to acknowledge")
    expect(page.get_by_role("status")).to_contain_text("1 high-risk call")
    nav.get_by_role("link", name="Supervision").click()
    high = page.locator("#high")
    expect(high.get_by_role("link", name=reference)).to_be_visible()
    expect(high).to_contain_text("Not acknowledged")
    page.locator("#alerts").get_by_role("button", name=f"Acknowledge {reference}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Alert for {reference} acknowledged")
    expect(high).to_contain_text("by Sgt Alun Kaur")
    expect(nav.locator("#alert-count")).to_have_count(0)
    assert errors == []
