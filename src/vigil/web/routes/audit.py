"""Audit pages for supervisors and administrators: their own agency's staff and what each did,
and a subject access listing of one individual's records."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.domain.cases import InvalidCaseInput
from vigil.services.audit_trail import staff_list, staff_trail, subject_access
from vigil.web.deps import ContainerDep, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/audit/staff")
def staff(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The supervisor's agency's staff, each linking to their audit trail."""
    return render(request, "audit/staff.html", {"staff": staff_list(container.uow(user.actor))})


@router.get("/audit/staff/{username}")
def trail(request: Request, username: str, user: CurrentUser,
          container: ContainerDep) -> Response:
    """What one member of staff viewed and changed, newest first (this view is audited)."""
    return render(request, "audit/trail.html",
                  {"trail": staff_trail(container.uow(user.actor), username=username)})


@router.get("/audit/subject-access")
def subject(request: Request, user: CurrentUser, container: ContainerDep, record: str = "",
            reason: str = "") -> Response:
    """Everything held about the individual behind one person record, for a subject access
    request; the request's reference is required and audited."""
    result, problems = None, {}
    if record:
        try:
            if not record.strip().isdigit():
                raise InvalidCaseInput({"record": "give the person record's number"})
            result = subject_access(container.uow(user.actor), person_record_id=int(record),
                                    reason=reason)
        except InvalidCaseInput as error:
            problems = error.problems
    else:
        staff_list(container.uow(user.actor))  # the permission check, before any form
    return render(request, "audit/subject.html", {
        "result": result, "problems": problems, "record": record, "reason": reason,
    }, status_code=400 if problems else 200)
