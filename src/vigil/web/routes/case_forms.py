"""The forms on a case's page: actions, interventions, notes, reviews, linked incidents,
people, sharing and withdrawing it (which asks for confirmation first).

Each handler parses the form, calls one service and goes back to the case; when the service
reports problems, the case's page is shown again with them beside the form that was sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.domain.access import PermissionDenied
from vigil.domain.cases import InvalidCaseInput
from vigil.services import case_actions
from vigil.services.case_actions import NewAction, NewIntervention, NewReview
from vigil.services.cases import view_case
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.identity import SignedInUser
from vigil.web.routes.cases import render_case
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)


def _then_back(request: Request, user: SignedInUser, container: ContainerDep, *,
               reference: str, form: str, values: Mapping[str, object],
               change: Callable[[], object]) -> Response:
    try:
        change()
    except InvalidCaseInput as error:
        return render_case(request, user, container, reference=reference,
                           problems=error.problems, form=form, values=values)
    return RedirectResponse(f"/cases/{reference}?done={form}#{form}", status_code=303)


@router.post("/cases/{reference}/actions")
def add_action(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
               _csrf: CsrfChecked, description: Annotated[str, Form()] = "",
               due_on: Annotated[str, Form()] = "", agency: Annotated[str, Form()] = "",
               officer: Annotated[str, Form()] = "") -> Response:
    new = NewAction(description=description, due_on=due_on, agency_code=agency,
                    officer_username=officer)
    return _then_back(request, user, container, reference=reference, form="actions",
                      values=new.__dict__, change=lambda: case_actions.add_action(
                          container.uow(user.actor), reference=reference, new=new))


@router.post("/cases/{reference}/actions/{action_id}/done")
def complete_action(request: Request, reference: str, action_id: int, user: CurrentUser,
                    container: ContainerDep, _csrf: CsrfChecked) -> Response:
    return _then_back(request, user, container, reference=reference, form="actions",
                      values={}, change=lambda: case_actions.complete_action(
                          container.uow(user.actor), reference=reference, action_id=action_id))


@router.post("/cases/{reference}/interventions")
def add_intervention(request: Request, reference: str, user: CurrentUser,
                     container: ContainerDep, _csrf: CsrfChecked,
                     kind: Annotated[str, Form()] = "",
                     started_on: Annotated[str, Form()] = "",
                     ends_on: Annotated[str, Form()] = "",
                     party_ids: Annotated[list[int] | None, Form()] = None,
                     outcome: Annotated[str, Form()] = "") -> Response:
    new = NewIntervention(kind=kind, started_on=started_on, ends_on=ends_on,
                          party_ids=tuple(party_ids or ()), outcome=outcome)
    return _then_back(request, user, container, reference=reference, form="interventions",
                      values=new.__dict__, change=lambda: case_actions.add_intervention(
                          container.uow(user.actor), reference=reference, new=new))


@router.post("/cases/{reference}/notes")
def add_note(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
             _csrf: CsrfChecked, text: Annotated[str, Form()] = "",
             police_only: Annotated[str, Form()] = "") -> Response:
    restricted = police_only == "yes"
    return _then_back(request, user, container, reference=reference, form="notes",
                      values={"text": text, "police_only": restricted},
                      change=lambda: case_actions.add_note(
                          container.uow(user.actor), reference=reference, text=text,
                          police_only=restricted))


@router.post("/cases/{reference}/reviews")
def add_review(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
               _csrf: CsrfChecked, held_on: Annotated[str, Form()] = "",
               attendees: Annotated[str, Form()] = "",
               agencies: Annotated[list[str] | None, Form()] = None,
               decisions: Annotated[str, Form()] = "",
               next_review_on: Annotated[str, Form()] = "") -> Response:
    new = NewReview(held_on=held_on, attendees=attendees, agency_codes=tuple(agencies or ()),
                    decisions=decisions, next_review_on=next_review_on)
    return _then_back(request, user, container, reference=reference, form="reviews",
                      values=new.__dict__, change=lambda: case_actions.add_review(
                          container.uow(user.actor), reference=reference, new=new))


@router.post("/cases/{reference}/incidents")
def link_incident(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
                  _csrf: CsrfChecked, incident: Annotated[str, Form()] = "") -> Response:
    return _then_back(request, user, container, reference=reference, form="incidents",
                      values={"incident": incident}, change=lambda: case_actions.link_incident(
                          container.uow(user.actor), reference=reference,
                          incident_reference=incident))


@router.post("/cases/{reference}/parties")
def add_party(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
              _csrf: CsrfChecked, role: Annotated[str, Form()] = "",
              person_record_id: Annotated[str, Form()] = "",
              group_name: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = "") -> Response:
    record_id = int(person_record_id) if person_record_id.strip().isdigit() else None
    values = {"role": role, "person_record_id": person_record_id, "group_name": group_name,
              "note": note}
    return _then_back(request, user, container, reference=reference, form="parties",
                      values=values, change=lambda: case_actions.add_party(
                          container.uow(user.actor), reference=reference, role=role,
                          person_record_id=record_id, group_name=group_name, note=note))


@router.post("/cases/{reference}/shares")
def share(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
          _csrf: CsrfChecked, agency: Annotated[str, Form()] = "",
          lawful_basis: Annotated[str, Form()] = "") -> Response:
    return _then_back(request, user, container, reference=reference, form="sharing",
                      values={"agency": agency, "lawful_basis": lawful_basis},
                      change=lambda: case_actions.share_case(
                          container.uow(user.actor), reference=reference, agency_code=agency,
                          lawful_basis=lawful_basis))


@router.get("/cases/{reference}/shares/{agency}/withdraw")
def withdraw_form(request: Request, reference: str, agency: str, user: CurrentUser,
                  container: ContainerDep) -> Response:
    """Confirm withdrawing sharing: the agency loses sight of the case at once."""
    return _withdraw_page(request, user, container, reference=reference, agency=agency,
                          problems={}, reason="")


def _withdraw_page(request: Request, user: SignedInUser, container: ContainerDep, *,
                   reference: str, agency: str, problems: dict[str, str],
                   reason: str) -> Response:
    detail = view_case(container.uow(user.actor), reference=reference)
    if not detail.may_administer:
        raise PermissionDenied("only the agency that owns a case withdraws its sharing")
    share_view = next((s for s in detail.live_shares if s.agency_code == agency), None)
    if share_view is None:
        return RedirectResponse(f"/cases/{reference}#sharing", status_code=303)
    return render(request, "cases/withdraw.html", {
        "case": detail, "share": share_view, "problems": problems, "reason": reason,
    }, status_code=400 if problems else 200)


@router.post("/cases/{reference}/shares/{agency}/withdraw")
def withdraw(request: Request, reference: str, agency: str, user: CurrentUser,
             container: ContainerDep, _csrf: CsrfChecked,
             reason: Annotated[str, Form()] = "") -> Response:
    try:
        case_actions.withdraw_share(container.uow(user.actor), reference=reference,
                                    agency_code=agency, reason=reason)
    except InvalidCaseInput as error:
        return _withdraw_page(request, user, container, reference=reference, agency=agency,
                              problems=error.problems, reason=reason)
    return RedirectResponse(f"/cases/{reference}?done=withdrawn#sharing", status_code=303)
