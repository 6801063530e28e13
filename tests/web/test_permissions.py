"""The shared permission suite: every case page and API route (with the ASB Case Review,
documents and the officer's own pages), tried by someone not logged in,
by a role without cases, by the owning agency, by an agency the case was never shared with, by
an agency whose sharing was withdrawn, and by an agency it is shared with now.

Out of scope answers 404 exactly as for a missing case; a role without the permission answers
403; not logged in sends pages to the log-in form and the API answers 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Actor, Role
from vigil.services import case_actions, case_documents, case_review, cases
from vigil.services.case_actions import NewAction
from vigil.services.case_review import NewApplication
from vigil.services.users import actor_for
from vigil.store.documents import DocumentStore
from vigil.store.models import User

BASIS = "Crime and Disorder Act 1998, section 115"
REF = "{ref}"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    form: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    on_case: bool = True  # False: a list or a form to open a new case
    owner_only: bool = False  # status and sharing belong to the owning agency

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ACTION = {"description": "Visit the victim", "due_on": "2030-01-01", "agency": "force"}
INTERVENTION = {"kind": "warning_letter", "started_on": "2026-01-05"}
REVIEW = {"held_on": "2026-02-01", "attendees": "PC Dunmore", "decisions": "Carry on"}
TODAY = "{today}"
DIARY = {"file": ("diary.txt", b"Monday: music until 2am\n", "text/plain")}
APPLY = {"party_id": "{victim}", "applied_on": TODAY, "applicant_name": "Ann Victim",
         "applicant_kind": "victim"}
MEETING = {"held_on": TODAY, "attendees": "PC Dunmore, Ms Chair"}
OUTCOME = {"decided_on": TODAY, "decision": "threshold_not_met"}
ROUTES = [
    Route("GET", "/cases", on_case=False),
    Route("GET", "/cases/new?incident=VIG-2", on_case=False),
    Route("POST", "/cases", form={"title": "Another problem"}, on_case=False),
    Route("GET", "/cases/{ref}"),
    Route("GET", "/cases/{ref}/close", owner_only=True),
    Route("POST", "/cases/{ref}/status", form={"status": "action_plan"}, owner_only=True),
    Route("POST", "/cases/{ref}/actions", form=ACTION),
    Route("POST", "/cases/{ref}/actions/{action}/done"),
    Route("POST", "/cases/{ref}/interventions", form=INTERVENTION),
    Route("POST", "/cases/{ref}/notes", form={"text": "Called the victim"}),
    Route("POST", "/cases/{ref}/reviews", form={**REVIEW, "agencies": "force"}),
    Route("POST", "/cases/{ref}/incidents", form={"incident": "VIG-1"}),
    Route("POST", "/cases/{ref}/parties", form={"role": "perpetrator", "group_name": "Mill lot"}),
    Route("POST", "/cases/{ref}/shares", form={"agency": "housing", "lawful_basis": BASIS},
          owner_only=True),
    Route("GET", "/cases/{ref}/shares/district-council/withdraw", owner_only=True),
    Route("POST", "/cases/{ref}/shares/district-council/withdraw", form={"reason": "Done"},
          owner_only=True),
    Route("GET", "/cases/{ref}/case-review"),
    Route("POST", "/cases/{ref}/case-review", form=APPLY),
    Route("POST", "/cases/{ref}/case-review/{review}/meeting",
          form={**MEETING, "agencies": "force"}),
    Route("POST", "/cases/{ref}/case-review/{review}/outcome", form=OUTCOME),
    Route("POST", "/cases/{ref}/documents", form={"description": "Diary"}, files=DIARY),
    Route("GET", "/cases/{ref}/documents/{document}"),
    Route("POST", "/api/cases/{ref}/documents", files=DIARY),
    Route("GET", "/api/cases/{ref}/documents/{document}"),
    Route("GET", "/my/tasks", on_case=False),
    Route("GET", "/my/cases", on_case=False),
    Route("GET", "/my/beat", on_case=False),
    Route("GET", "/my/contact", on_case=False),
    Route("GET", "/api/my/tasks", on_case=False),
    Route("GET", "/api/my/cases", on_case=False),
    Route("GET", "/api/my/victims", on_case=False),
    Route("POST", "/my/contact", form={"kind": "visit", "contacted_at": "2026-01-01T10:00",
                                       "summary": "Visited the victim", "case": "{ref}"}),
    Route("GET", "/api/cases", on_case=False),
    Route("GET", "/api/cases/similar?incident=VIG-2", on_case=False),
    Route("POST", "/api/cases", json={"title": "Another problem"}, on_case=False),
    Route("GET", "/api/cases/{ref}"),
    Route("POST", "/api/cases/{ref}/status", json={"status": "action_plan"}, owner_only=True),
    Route("POST", "/api/cases/{ref}/actions", json=ACTION),
    Route("POST", "/api/cases/{ref}/actions/{action}/done", json={}),
    Route("POST", "/api/cases/{ref}/interventions", json=INTERVENTION),
    Route("POST", "/api/cases/{ref}/notes", json={"text": "Called the victim"}),
    Route("POST", "/api/cases/{ref}/reviews", json={**REVIEW, "agencies": ["force"]}),
    Route("POST", "/api/cases/{ref}/incidents", json={"incident": "VIG-1"}),
    Route("POST", "/api/cases/{ref}/parties", json={"role": "witness", "group_name": "Shop"}),
    Route("POST", "/api/cases/{ref}/shares", json={"agency": "housing", "lawful_basis": BASIS},
          owner_only=True),
    Route("POST", "/api/cases/{ref}/shares/district-council/withdraw", json={"reason": "Done"},
          owner_only=True),
    Route("GET", "/api/cases/{ref}/case-review"),
    Route("POST", "/api/cases/{ref}/case-review", json=APPLY),
    Route("POST", "/api/cases/{ref}/case-review/{review}/meeting",
          json={**MEETING, "agencies": ["force"]}),
    Route("POST", "/api/cases/{ref}/case-review/{review}/outcome", json=OUTCOME),
]

# Who tries each route: (scenario, username or None).
WHO = [
    ("anonymous", None),
    ("no case role", "analyst"),
    ("owning agency", "pc.dunmore"),
    ("other agency", "housing.asb"),
    ("withdrawn sharing", "city.asb"),
    ("shared agency", "district.asb"),
]


@dataclass(frozen=True)
class SharedCase:
    reference: str
    action_id: int
    victim_party_id: int
    review_id: int
    document: str
    victim_record_id: int

    def fill(self, text: str) -> str:
        return (text.replace(REF, self.reference).replace("{action}", str(self.action_id))
                .replace("{victim}", str(self.victim_party_id))
                .replace("{record}", str(self.victim_record_id))
                .replace("{review}", str(self.review_id))
                .replace("{document}", self.document)
                .replace(TODAY, date.today().isoformat()))

    def filled(self, data: dict[str, Any] | None) -> dict[str, Any] | None:
        if data is None:
            return None
        return {key: self.fill(value) if isinstance(value, str) else value
                for key, value in data.items()}


def _actor(container: Container, username: str) -> Actor:
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


@pytest.fixture
def new_case(world: World, container: Container,
             app: Any) -> Callable[[], SharedCase]:  # app: sets the documents folder
    """Makes a fresh force case, shared with the district council and once shared with the
    city council (withdrawn), with one action; every route gets its own, so that what one
    route changes cannot affect the next."""
    world.incident("VIG-1")
    world.incident("VIG-2")
    victim = world.person("VIG-2", given_name="Ann", family_name="Victim")
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("analyst", role=Role.ANALYST)
    for username, agency in (("housing.asb", "housing"), ("city.asb", "city-council"),
                             ("district.asb", "district-council")):
        world.user(username, role=Role.PARTNER_ASB_OFFICER, agency=agency)
    police = _actor(container, "pc.dunmore")

    def make() -> SharedCase:
        reference = cases.open_case(container.uow(police), new=cases.NewCase(
            title="Noise at Mill Road", incident_references=("VIG-2",)))
        for agency in ("city-council", "district-council"):
            case_actions.share_case(container.uow(police), reference=reference,
                                    agency_code=agency, lawful_basis=BASIS)
        case_actions.withdraw_share(container.uow(police), reference=reference,
                                    agency_code="city-council", reason="No longer involved")
        action_id = case_actions.add_action(
            container.uow(police), reference=reference,
            new=NewAction(description="Letter", due_on="2030-01-01", agency_code="force"))
        party_id = case_actions.add_party(container.uow(police), reference=reference,
                                          role="victim", person_record_id=victim)
        review_id = case_review.apply_for_review(
            container.uow(police), reference=reference, application=NewApplication(
                party_id=party_id, applied_on=date.today(), applicant_name="Ann Victim"))
        document = case_documents.upload_document(
            container.uow(police), reference=reference,
            store=DocumentStore(container.settings.documents_dir),
            upload=case_documents.Upload(file_name="a.txt", content=b"Statement", size=9))
        return SharedCase(reference=reference, action_id=action_id, victim_party_id=party_id,
                          review_id=review_id, document=document, victim_record_id=victim)

    return make


def _expected(route: Route, scenario: str) -> str:
    if scenario == "anonymous":
        return "log in"
    if scenario == "no case role":
        return "forbidden"
    if scenario in ("other agency", "withdrawn sharing") and route.on_case:
        return "not found"
    if scenario == "shared agency" and route.owner_only:
        return "forbidden"
    return "allowed"


def _outcome(answer: Any, route: Route) -> str:
    status = answer.status_code
    if route.api and status == 401:
        return "log in"
    if not route.api and status == 303 and answer.headers["location"].startswith("/login"):
        return "log in"
    return {403: "forbidden", 404: "not found"}.get(
        status, "allowed" if status in (200, 201, 303) else f"status {status}: {answer.text}")


@pytest.mark.parametrize(("scenario", "username"), WHO, ids=[w[0] for w in WHO])
def test_every_case_route_answers_each_kind_of_user_as_it_should(
        scenario: str, username: str | None, new_case: Callable[[], SharedCase],
        client: TestClient, log_in: LogIn) -> None:
    token = ""
    if username:
        log_in(username)
        token = csrf_from(client.get("/").text)
    wrong = {}
    for route in ROUTES:
        case = new_case()
        path = case.fill(route.path)
        if route.method == "GET":
            answer = client.get(path, follow_redirects=False)
        elif route.files is not None:
            answer = client.post(path, data={**route.form, "csrf_token": token},
                                 files=route.files, headers={"X-CSRF-Token": token},
                                 follow_redirects=False)
        elif route.api:
            answer = client.post(path, json=case.filled(route.json),
                                 headers={"X-CSRF-Token": token}, follow_redirects=False)
        else:
            answer = client.post(path, data={**(case.filled(route.form) or {}),
                                             "csrf_token": token}, follow_redirects=False)
        outcome, expected = _outcome(answer, route), _expected(route, scenario)
        if outcome != expected:
            wrong[str(route)] = f"{outcome} (expected {expected})"
        if (route.method == "GET" and not route.on_case and outcome == "allowed"
                and scenario in ("other agency", "withdrawn sharing")):
            assert case.reference not in answer.text, f"{route} lists a case out of scope"
    assert wrong == {}


AUDIT_ROUTES = [
    ("/audit/staff", "allowed"),
    ("/audit/staff/pc.dunmore", "own agency"),
    ("/audit/subject-access", "allowed"),
    ("/audit/subject-access?record={record}&reason=SAR-2026-01", "allowed"),
]
AUDIT_WHO = [
    ("anonymous", None),
    ("neighbourhood officer", "pc.dunmore"),
    ("partner", "district.asb"),
    ("force supervisor", "sergeant"),
    ("council supervisor", "council.manager"),
]


@pytest.mark.parametrize(("scenario", "username"), AUDIT_WHO, ids=[w[0] for w in AUDIT_WHO])
def test_the_audit_pages_answer_each_kind_of_user_as_they_should(
        scenario: str, username: str | None, new_case: Callable[[], SharedCase],
        world: World, client: TestClient, log_in: LogIn) -> None:
    case = new_case()
    world.user("sergeant", role=Role.SUPERVISOR)
    world.user("council.manager", role=Role.SUPERVISOR, agency="city-council")
    if username:
        log_in(username)
    wrong = {}
    for path, rule in AUDIT_ROUTES:
        answer = client.get(case.fill(path), follow_redirects=False)
        outcome = _outcome(answer, Route("GET", path))
        expected = ("log in" if scenario == "anonymous" else
                    "forbidden" if scenario in ("neighbourhood officer", "partner") else
                    "not found" if rule == "own agency" and scenario == "council supervisor"
                    else "allowed")
        if outcome != expected:
            wrong[path] = f"{outcome} (expected {expected})"
    assert wrong == {}
