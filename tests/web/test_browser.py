"""End to end in a real browser: Debian's Chromium driven by Playwright against the app served
by uvicorn on the test database. Screenshots go to var/screenshots/."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import PASSWORD, SCREENSHOTS, World
from vigil.bootstrap import Container
from vigil.domain.access import Role

pytestmark = pytest.mark.browser

def test_a_neighbourhood_officer_logs_in_reads_incidents_and_logs_out(
        world: World, container: Container, server: str, browser: Browser) -> None:
    castle = world.area("E02000001", name="Castle", local_authority="Leicester")
    abbey = world.area("E02000002", name="Abbey", local_authority="Leicester")
    streets = ["Park Lane", "Mill Road", "High Street"]
    for n in range(12):
        world.incident(f"VIG-2022-{n:04d}", month=date(2022, 1 + n % 10, 1),
                       lsoa=(castle if n % 3 else abbey)[n % 2],
                       location_text=f"On or near {streets[n % 3]}",
                       category=["nuisance", "personal", "environmental"][n % 3])
    world.person("VIG-2022-0003", given_name="Mary", family_name="Smith", marker="lives_alone")
    world.user("nadia", role=Role.NEIGHBOURHOOD_OFFICER, full_name="Nadia Officer")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/login") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server}/incidents")
    assert "/login?next=%2Fincidents" in page.url
    page.screenshot(path=SCREENSHOTS / "login-1280.png", full_page=True)
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("The username or password is not right").is_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/incidents")
    assert page.get_by_text("12 incidents").is_visible()

    page.get_by_role("link", name="Home").click()
    page.wait_for_url(f"{server}/")
    assert page.get_by_role("heading", name="Neighbourhood officer / PCSO").is_visible()
    assert page.get_by_text("Nadia Officer").is_visible()
    page.screenshot(path=SCREENSHOTS / "home-1280.png", full_page=True)

    container.settings.page_size = 5
    page.get_by_role("link", name="Incidents", exact=True).first.click()
    page.wait_for_url(f"{server}/incidents")
    assert page.get_by_text("Page 1 of 3").is_visible()
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as swap:
        page.get_by_role("link", name="Next page").click()  # HTMX swaps just the results
    assert swap.value.headers.get("x-csrf-token")  # HTMX requests carry the CSRF header
    page.wait_for_url(f"{server}/incidents?page=2")
    page.get_by_text("Page 2 of 3").wait_for()
    assert page.get_by_role("link", name="VIG-2022-0004").is_visible()
    container.settings.page_size = 50
    page.get_by_role("searchbox", name="Search").fill("park lane")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/incidents?q=park+lane*")
    assert page.get_by_text("4 incidents").is_visible()
    page.screenshot(path=SCREENSHOTS / "incidents-1280.png", full_page=True)
    page.get_by_role("link", name="VIG-2022-0003").click()
    assert page.get_by_text("Mary Smith").is_visible()
    page.screenshot(path=SCREENSHOTS / "incident-1280.png", full_page=True)
    page.goto(f"{server}/neighbourhoods")
    page.screenshot(path=SCREENSHOTS / "neighbourhoods-1280.png", full_page=True)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True, storage_state=page.context.storage_state(),  # the same session
    ).new_page()
    phone.goto(f"{server}/")
    phone.screenshot(path=SCREENSHOTS / "home-390.png", full_page=True)
    phone.screenshot(path=SCREENSHOTS / "home-390-second-screen.png", full_page=True,
                     clip={"x": 0, "y": 844, "width": 390, "height": 844})
    phone.goto(f"{server}/incidents")
    phone.screenshot(path=SCREENSHOTS / "incidents-390.png", full_page=True)
    phone.screenshot(path=SCREENSHOTS / "incidents-390-first-screen.png")
    no_sideways_scroll = phone.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll, "the page scrolls sideways on a phone"

    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".opblock-tag", timeout=15_000)
    assert page.get_by_text("/api/incidents/{reference}").first.is_visible()
    page.screenshot(path=SCREENSHOTS / "api-docs-1280.png")

    page.goto(f"{server}/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{server}/login?logged_out=1")
    assert page.get_by_text("You have logged out.").is_visible()
    page.goto(f"{server}/")
    assert "/login" in page.url
    assert problems == [], problems  # no script errors, no Content-Security-Policy refusals
