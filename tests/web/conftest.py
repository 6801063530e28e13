"""Fixtures for the web tests: the app on the test database, a client, and a small world
builder that makes agencies, users, areas, incidents and people."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.config import PROJECT_ROOT
from vigil.domain.access import Role
from vigil.services.reference import ensure_reference_data
from vigil.services.users import hash_password
from vigil.store.models import (
    Agency,
    Incident,
    IncidentPerson,
    Lsoa,
    Neighbourhood,
    PersonRecord,
    Source,
    User,
    VulnerabilityMarker,
)

PASSWORD = "correct horse battery"
_HASH: dict[str, str] = {}

ROLE_AGENCY = {
    Role.CALL_HANDLER: "force",
    Role.NEIGHBOURHOOD_OFFICER: "force",
    Role.PARTNER_ASB_OFFICER: "city-council",
    Role.ANALYST: "force",
    Role.SUPERVISOR: "force",
    Role.ADMINISTRATOR: "force",
}


@dataclass
class World:
    """Builds test data straight into the database, committing each piece."""

    container: Container

    def __post_init__(self) -> None:
        with self.container.session_factory() as session:
            ensure_reference_data(session)
            session.commit()

    def user(self, username: str, *, role: Role, agency: str | None = None,
             full_name: str | None = None, active: bool = True) -> int:
        """A user whose password is ``PASSWORD``."""
        if PASSWORD not in _HASH:  # argon2 is slow on purpose: hash once per test run
            _HASH[PASSWORD] = hash_password(PASSWORD)
        with self.container.session_factory() as session:
            agency_id = session.scalar(
                select(Agency.id).where(Agency.code == (agency or ROLE_AGENCY[role])))
            assert agency_id is not None
            user = User(username=username, full_name=full_name or username.title(),
                        password_hash=_HASH[PASSWORD], agency_id=agency_id, role=role.value,
                        is_active=active)
            session.add(user)
            session.commit()
            return user.id

    def area(self, code: str = "E02000001", *, name: str = "Castle", lsoas: int = 2,
             population_each: int = 1500, local_authority: str = "Leicester") -> list[str]:
        """A neighbourhood made of ``lsoas`` LSOAs; returns their codes."""
        with self.container.session_factory() as session:
            neighbourhood = Neighbourhood(code=code, name=name, local_authority_code="E06",
                                          local_authority_name=local_authority)
            session.add(neighbourhood)
            session.flush()
            codes = [f"E01{code[3:]}{i}" for i in range(lsoas)]
            for lsoa_code in codes:
                session.add(Lsoa(code=lsoa_code, name=f"{name} {lsoa_code[-1]}",
                                 local_authority_name=local_authority,
                                 population=population_each, neighbourhood_id=neighbourhood.id))
            session.commit()
            return codes

    def incident(self, reference: str, *, month: date = date(2022, 10, 1),
                 lsoa: str | None = None, source: str = "vigil", police_only: bool = False,
                 location_text: str = "On or near High Street", description: str = "",
                 category: str | None = "nuisance") -> int:
        with self.container.session_factory() as session:
            source_id = session.scalar(select(Source.id).where(Source.code == source))
            assert source_id is not None
            incident = Incident(
                reference=reference, source_id=source_id, source_key=reference,
                occurred_month=month, time_precision="month", location_text=location_text,
                lsoa_code=lsoa, category=category,
                detailed_type="noise" if category else "not_recorded",
                description=description, status="open", police_only=police_only)
            session.add(incident)
            session.commit()
            return incident.id

    def person(self, reference: str, *, given_name: str, family_name: str,
               role: str = "victim", police_only: bool = False, source: str = "vigil",
               marker: str | None = None) -> int:
        with self.container.session_factory() as session:
            incident_id = session.scalar(
                select(Incident.id).where(Incident.reference == reference))
            source_id = session.scalar(select(Source.id).where(Source.code == source))
            assert incident_id is not None and source_id is not None
            record = PersonRecord(source_id=source_id, source_key=f"{reference}:{family_name}",
                                  given_name=given_name, family_name=family_name,
                                  date_of_birth="1970-05-01", postcode="LE1 1AA",
                                  police_only=police_only)
            if marker:
                record.markers.append(VulnerabilityMarker(kind=marker))
            session.add(record)
            session.flush()
            session.add(IncidentPerson(incident_id=incident_id, person_record_id=record.id,
                                       role=role))
            session.commit()
            return record.id


@pytest.fixture
def world(container: Container) -> World:
    return World(container)


@pytest.fixture
def app(container: Container, tmp_path: Path) -> FastAPI:
    from vigil.web.app import create_app

    container.settings.documents_dir = tmp_path / "documents"  # uploads stay in the test
    return create_app(container)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token in a page's forms."""
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


LogIn = Callable[..., httpx.Response]


@pytest.fixture
def log_in(client: TestClient) -> LogIn:
    """Log ``client`` in through the form; returns the answer to the form post."""

    def do(username: str, password: str = PASSWORD, *, next: str = "/") -> httpx.Response:
        form = client.get(f"/login?next={next}")
        return client.post("/login", data={"username": username, "password": password,
                                           "next": next, "csrf_token": csrf_from(form.text)},
                           follow_redirects=False)

    return do


@pytest.fixture
def page_csrf(client: TestClient) -> Callable[[], str]:
    """The signed-in session's CSRF token, read from the home page."""
    return lambda: csrf_from(client.get("/").text)


# --- Browser tests: the app served by uvicorn, and Debian's Chromium -------------------

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def sign_in_page(page: Page, base_url: str, username: str) -> None:
    """Log ``username`` in through the real log-in page and wait for the home page."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(container: Container) -> Iterator[str]:
    """The app served by uvicorn in a background thread; yields its base URL."""
    from vigil.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (the test skips, saying why, without it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
