"""Administrators' page of ASB Case Review (Community Trigger) thresholds: every local
authority with the threshold that applies there, a form to set a local one, and resetting to
the default after a confirmation. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.domain.case_review import THRESHOLD_LIMITS, TriggerThreshold, parse_threshold
from vigil.domain.cases import InvalidCaseInput
from vigil.services.case_review import (
    local_threshold,
    local_thresholds,
    reset_local_threshold,
    set_local_threshold,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

BASE = "/admin/case-review-thresholds"
LABELS = {"complaints": "Complaints about the same problem",
          "window_months": "Within how many months",
          "report_within_months": "Each made within how many months of the incident",
          "local_authority_code": "Local authority"}


@router.get(BASE)
def thresholds(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """Every local authority with the threshold that applies there."""
    return render(request, "admin/case_review_thresholds.html", {
        "areas": local_thresholds(container.uow(user.actor),
                                  force_name=container.settings.force_name),
        "default": TriggerThreshold(), "notice": request.query_params.get("done", ""),
        "changed": request.query_params.get("area", ""),
    })


def _edit_form(request: Request, user: SignedInUser, container: ContainerDep, *, code: str,
               values: dict[str, str], problems: dict[str, str]) -> Response:
    area = local_threshold(container.uow(user.actor), local_authority_code=code)
    return render(request, "admin/case_review_threshold_edit.html", {
        "area": area, "values": values, "problems": problems, "labels": LABELS,
        "limits": THRESHOLD_LIMITS, "default": TriggerThreshold(), "base": BASE,
    }, status_code=400 if problems else 200)


@router.get(BASE + "/{code}")
def edit_threshold(request: Request, code: str, user: CurrentUser,
                   container: ContainerDep) -> Response:
    """The form to set one local authority's threshold, filled with the one that applies."""
    area = local_threshold(container.uow(user.actor), local_authority_code=code)
    values = {"complaints": str(area.complaints), "window_months": str(area.window_months),
              "report_within_months": str(area.report_within_months)}
    return _edit_form(request, user, container, code=code, values=values, problems={})


@router.post(BASE + "/{code}")
def save_threshold(request: Request, code: str, user: CurrentUser, container: ContainerDep,
                   _csrf: CsrfChecked, complaints: Annotated[str, Form()] = "",
                   window_months: Annotated[str, Form()] = "",
                   report_within_months: Annotated[str, Form()] = "") -> Response:
    """Save the local threshold (audited); every problem is shown beside its field."""
    values = {"complaints": complaints, "window_months": window_months,
              "report_within_months": report_within_months}
    local_threshold(container.uow(user.actor), local_authority_code=code)  # 403 / 404 first
    numbers, problems = parse_threshold(values)
    try:
        if problems:
            raise InvalidCaseInput(problems)
        set_local_threshold(container.uow(user.actor), local_authority_code=code, **numbers)
    except InvalidCaseInput as error:
        return _edit_form(request, user, container, code=code, values=values,
                          problems=error.problems)
    return RedirectResponse(f"{BASE}?done=saved&area={code}", status_code=303)


@router.get(BASE + "/{code}/reset")
def confirm_reset(request: Request, code: str, user: CurrentUser,
                  container: ContainerDep) -> Response:
    """Ask before going back to the default threshold."""
    area = local_threshold(container.uow(user.actor), local_authority_code=code)
    if area.is_default:
        return RedirectResponse(f"{BASE}/{code}", status_code=303)
    return render(request, "admin/case_review_threshold_reset.html", {
        "area": area, "default": TriggerThreshold(), "base": BASE})


@router.post(BASE + "/{code}/reset")
def reset_threshold(code: str, user: CurrentUser, container: ContainerDep, _csrf: CsrfChecked,
                    confirmed: Annotated[str, Form()] = "") -> Response:
    """Go back to the default (only from the confirmation page: ``confirmed=yes``)."""
    local_threshold(container.uow(user.actor), local_authority_code=code)  # 403 / 404 first
    if confirmed != "yes":
        return RedirectResponse(f"{BASE}/{code}/reset", status_code=303)
    reset_local_threshold(container.uow(user.actor), local_authority_code=code)
    return RedirectResponse(f"{BASE}?done=reset&area={code}", status_code=303)
