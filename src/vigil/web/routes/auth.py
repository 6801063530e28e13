"""Log in and log out (pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.web.deps import ContainerDep, CsrfChecked, Throttle
from vigil.web.identity import signed_in_user
from vigil.web.login import attempt_login, end_session, safe_next
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, next: str = "/", logged_out: bool = False) -> Response:
    """The log-in form; someone already signed in goes straight on."""
    if signed_in_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = "You have logged out." if logged_out else ""
    return render(request, "login.html", {"next": safe_next(next), "notice": notice,
                                          "username": "", "error": ""})


@router.post("/login")
def log_in(request: Request, _csrf: CsrfChecked, container: ContainerDep, throttle: Throttle,
           username: Annotated[str, Form(max_length=80)] = "",
           password: Annotated[str, Form(max_length=1000)] = "",
           next: Annotated[str, Form()] = "/") -> Response:
    """Check the username and password; on success start a new session and go on."""
    outcome = attempt_login(request, container=container, throttle=throttle,
                            username=username, password=password)
    if outcome.user_id is None:
        return render(request, "login.html",
                      {"next": safe_next(next), "notice": "", "username": username,
                       "error": outcome.message}, status_code=outcome.status_code)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def log_out(request: Request, _csrf: CsrfChecked) -> Response:
    """End the session and return to the log-in form."""
    end_session(request)
    return RedirectResponse("/login?logged_out=1", status_code=303)
