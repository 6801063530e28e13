"""Logging in and out, sessions, CSRF and the log-in throttle."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.web.conftest import PASSWORD, LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.store.models import AuditEntry, User


def test_login_page_has_labelled_fields_and_a_csrf_token(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert csrf_from(page.text)


def test_pages_send_someone_not_logged_in_to_the_login_page(client: TestClient) -> None:
    answer = client.get("/incidents?q=park", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fincidents%3Fq%3Dpark"


def test_right_password_logs_in_and_goes_to_the_page_asked_for(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST, full_name="Ann Analyst")
    answer = log_in("ann", next="/neighbourhoods")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/neighbourhoods"
    home = client.get("/")
    assert "Ann Analyst" in home.text
    assert "Analyst, Leicestershire Police (demo)" in home.text


def test_login_is_audited(world: World, container: Container, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    with container.session_factory() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["login"]


def test_wrong_password_shows_an_error_and_does_not_log_in(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    answer = log_in("ann", "not the password")
    assert answer.status_code == 400
    assert "The username or password is not right" in answer.text
    assert 'value="ann"' in answer.text  # the username is kept, the password is not
    assert client.get("/", follow_redirects=False).status_code == 303


def test_unknown_username_gets_the_same_message_as_a_wrong_password(
        world: World, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    wrong_password = log_in("ann", "nope")
    no_such_user = log_in("nobody", "nope")
    assert no_such_user.status_code == wrong_password.status_code == 400
    assert "The username or password is not right" in no_such_user.text


def test_disabled_account_cannot_log_in(world: World, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST, active=False)
    assert log_in("ann").status_code == 400


def test_disabling_an_account_ends_its_sessions_at_once(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    user_id = world.user("ann", role=Role.ANALYST)
    log_in("ann")
    assert client.get("/", follow_redirects=False).status_code == 200
    with container.session_factory() as session:
        session.execute(update(User).where(User.id == user_id).values(is_active=False))
        session.commit()
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_never_sends_you_to_another_site(world: World, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert log_in("ann", next=target).headers["location"] == "/"


def test_logging_in_rotates_the_session_and_its_csrf_token(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    before = csrf_from(client.get("/login").text)
    cookie_before = client.cookies.get("vigil_session")
    log_in("ann")
    after = csrf_from(client.get("/").text)
    assert after != before
    assert client.cookies.get("vigil_session") != cookie_before


def test_session_cookie_is_http_only_and_same_site_lax(
        world: World, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    cookie = log_in("ann").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_form_post_without_csrf_token_is_refused(world: World, client: TestClient) -> None:
    world.user("ann", role=Role.ANALYST)
    client.get("/login")
    answer = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert answer.status_code == 403
    assert "The form could not be accepted" in answer.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_form_post_with_another_sessions_token_is_refused(
        world: World, app: FastAPI, log_in: LogIn, client: TestClient) -> None:
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    with TestClient(app) as attacker:
        stolen = csrf_from(attacker.get("/login").text)
    answer = client.post("/logout", data={"csrf_token": stolen}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_logging_out_needs_a_post_with_the_token_and_ends_the_session(
        world: World, client: TestClient, log_in: LogIn,
        page_csrf: Callable[[], str]) -> None:
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    assert client.get("/logout").status_code == 405
    answer = client.post("/logout", data={"csrf_token": page_csrf()}, follow_redirects=False)
    assert answer.headers["location"] == "/login?logged_out=1"
    assert "You have logged out." in client.get("/login?logged_out=1").text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_csrf_token_is_accepted_from_the_header_for_htmx(
        world: World, client: TestClient, log_in: LogIn,
        page_csrf: Callable[[], str]) -> None:
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    answer = client.post("/logout", headers={"X-CSRF-Token": page_csrf()},
                         follow_redirects=False)
    assert answer.status_code == 303


def test_five_failures_lock_the_username_for_a_minute(
        world: World, app: FastAPI, log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    now = [1000.0]
    app.state.login_throttle.clock = lambda: now[0]
    for _ in range(5):
        assert log_in("ann", "wrong").status_code == 400
    locked = log_in("ann")  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.text
    now[0] += 61
    assert log_in("ann").status_code == 303


def test_an_htmx_request_after_the_session_ends_sends_the_whole_page_to_log_in(
        client: TestClient) -> None:
    answer = client.get("/incidents?page=2", headers={"HX-Request": "true"},
                        follow_redirects=False)
    assert answer.status_code == 401
    assert answer.headers["hx-redirect"] == "/login?next=%2Fincidents%3Fpage%3D2"
