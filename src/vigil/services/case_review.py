"""ASB Case Review (Community Trigger) use cases: the page of a case's victims against the
threshold with their qualifying complaints, recording the application, the review meeting and
its outcome, and setting a local authority's threshold.

Each function re-reads the case through the actor's scope inside its own transaction, writes
the audit record and commits; every input problem is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.case_review import (
    APPLICANT_KINDS,
    ReviewDecision,
    ReviewStage,
    TriggerThreshold,
    outcome_due,
    validate_application,
    validate_meeting,
    validate_outcome,
    validate_threshold,
)
from vigil.domain.cases import InvalidCaseInput
from vigil.services.case_views import CaseSummary, case_summary
from vigil.services.cases import require
from vigil.services.trigger import VictimTrigger, assess_record, victim_triggers
from vigil.store import case_repository as cases_repo
from vigil.store import case_review_queries as queries
from vigil.store.case_tables import Case, CaseReviewThreshold, CaseTriggerReview
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


@dataclass(frozen=True)
class TriggerReviewView:
    """One ASB Case Review as recorded."""

    id: int
    victim_name: str
    applied_on: date
    applicant_name: str
    applicant_kind: str
    applicant_kind_label: str
    threshold_met: bool
    threshold_text: str
    complaints: list[str]
    meeting_on: date | None
    meeting_attendees: str
    meeting_agency_names: list[str]
    decided_on: date | None
    decision: str | None
    decision_label: str | None
    recommendations: str
    stage: str
    stage_label: str
    outcome_due: date


@dataclass(frozen=True)
class CaseReviewPage:
    case: CaseSummary
    victims: list[VictimTrigger]
    reviews: list[TriggerReviewView]
    may_manage: bool


def _stage(review: CaseTriggerReview) -> ReviewStage:
    if review.decision is not None:
        return ReviewStage.OUTCOME_GIVEN
    if review.meeting_on is not None:
        return ReviewStage.MEETING_HELD
    return ReviewStage.APPLIED


def _review_view(review: CaseTriggerReview, agency_names: dict[str, str]) -> TriggerReviewView:
    stage = _stage(review)
    record = review.party.record
    return TriggerReviewView(
        id=review.id, victim_name=record.display_name if record else "(not shown)",
        applied_on=review.applied_on, applicant_name=review.applicant_name,
        applicant_kind=review.applicant_kind,
        applicant_kind_label=APPLICANT_KINDS.get(review.applicant_kind, review.applicant_kind),
        threshold_met=review.threshold_met, threshold_text=review.threshold_text,
        complaints=list(review.complaints), meeting_on=review.meeting_on,
        meeting_attendees=review.meeting_attendees,
        meeting_agency_names=[agency_names.get(c, c) for c in review.meeting_agency_codes],
        decided_on=review.decided_on, decision=review.decision,
        decision_label=ReviewDecision(review.decision).label if review.decision else None,
        recommendations=review.recommendations, stage=stage.value, stage_label=stage.label,
        outcome_due=outcome_due(review.applied_on))


def _visible_case(uow: UnitOfWork, reference: str, *, for_update: bool = False) -> Case:
    case = cases_repo.find_case(uow.session, uow.actor, reference=reference,
                                for_update=for_update)
    if case is None:
        raise NotFound(f"no case {reference}")
    return case


def case_review_page(uow: UnitOfWork, *, reference: str) -> CaseReviewPage:
    """The case's victims against the local threshold, each with the complaints that qualify
    (and those made too late to count), and the ASB Case Reviews recorded. Audited as a view of
    the victims' records."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        case = _visible_case(uow, reference)
        victims = victim_triggers(uow.session, uow.actor, case, as_of=utcnow())
        names = {a.code: a.name for a in cases_repo.agencies(uow.session)}
        visible_parties = {v.party_id for v in victims}
        reviews = [_review_view(r, names) for r in
                   queries.trigger_reviews(uow.session, case_id=case.id)
                   if r.party_id in visible_parties]
        page = CaseReviewPage(case=case_summary(uow.session, uow.actor, case), victims=victims,
                              reviews=reviews, may_manage=uow.actor.can(Permission.MANAGE_CASES))
        uow.audit.record(action="view", object_type="case_review", object_id=case.reference,
                         detail={"person_records": [v.record_id for v in victims],
                                 "threshold_reached": [v.record_id for v in victims
                                                       if v.reached]})
        uow.commit()
        return page


@dataclass(frozen=True)
class NewApplication:
    party_id: int | None
    applied_on: str | date
    applicant_name: str
    applicant_kind: str = "victim"


def apply_for_review(uow: UnitOfWork, *, reference: str, application: NewApplication) -> int:
    """Record an application for an ASB Case Review about one victim on the case. Vigil
    assesses the threshold as it stood on the day of the application and keeps the complaints
    that qualified."""
    require(uow, Permission.MANAGE_CASES)
    with uow:
        case = _visible_case(uow, reference, for_update=True)
        victims = {p.id: p for p in cases_repo.case_parties(uow.session, uow.actor,
                                                            case_id=case.id)
                   if p.role == "victim" and p.record is not None}
        applied, name, problems = validate_application(
            applied_on=application.applied_on, applicant_name=application.applicant_name,
            applicant_kind=application.applicant_kind, party_id=application.party_id,
            victims=set(victims), today=utcnow().date())
        if problems:
            raise InvalidCaseInput(problems)
        assert applied is not None and application.party_id is not None
        party = victims[application.party_id]
        assert party.record is not None
        as_of = utcnow() if applied == utcnow().date() else \
            datetime.combine(applied, time.max, tzinfo=UTC)
        assessment, _, _ = assess_record(uow.session, uow.actor, record_id=party.record.id,
                                         as_of=as_of)
        review = CaseTriggerReview(
            case_id=case.id, party_id=party.id, applied_on=applied, applicant_name=name,
            applicant_kind=application.applicant_kind, threshold_met=assessment.reached,
            threshold_text=assessment.threshold.describe()[:300],
            complaints=[c.reference for c in assessment.qualifying],
            created_by_user_id=uow.actor.user_id)
        uow.session.add(review)
        case.updated_at = utcnow()
        uow.session.flush()
        uow.audit.record(action="create", object_type="case_trigger_review", object_id=review.id,
                         detail={"case": case.reference, "person_records": [party.record.id],
                                 "after": {"applied_on": applied.isoformat(),
                                           "applicant": name,
                                           "threshold_met": assessment.reached,
                                           "complaints": review.complaints}})
        uow.commit()
        return review.id


def _review_to_change(uow: UnitOfWork, case: Case, review_id: int) -> CaseTriggerReview:
    review = uow.session.get(CaseTriggerReview, review_id)
    visible = {p.id for p in cases_repo.case_parties(uow.session, uow.actor, case_id=case.id)}
    if review is None or review.case_id != case.id or review.party_id not in visible:
        raise NotFound(f"no ASB Case Review {review_id} on {case.reference}")
    return review


@dataclass(frozen=True)
class NewMeeting:
    held_on: str | date
    attendees: str
    agency_codes: tuple[str, ...]


def record_meeting(uow: UnitOfWork, *, reference: str, review_id: int,
                   meeting: NewMeeting) -> None:
    """Record the review meeting: its date, who attended and from which agencies."""
    require(uow, Permission.MANAGE_CASES)
    with uow:
        case = _visible_case(uow, reference, for_update=True)
        review = _review_to_change(uow, case, review_id)
        known = {a.code for a in cases_repo.agencies(uow.session)}
        held, attendees, codes, problems = validate_meeting(
            held_on=meeting.held_on, attendees=meeting.attendees, applied_on=review.applied_on,
            agency_codes=meeting.agency_codes, known_agencies=known, today=utcnow().date())
        if review.decision is not None:
            problems["held_on"] = "the outcome has been given; the review is finished"
        if problems:
            raise InvalidCaseInput(problems)
        assert held is not None
        before = {"meeting_on": review.meeting_on.isoformat() if review.meeting_on else None}
        review.meeting_on, review.meeting_attendees = held, attendees
        review.meeting_agency_codes = codes
        case.updated_at = utcnow()
        uow.audit.record(action="change", object_type="case_trigger_review", object_id=review.id,
                         detail={"case": case.reference, "before": before,
                                 "after": {"meeting_on": held.isoformat(), "agencies": codes}})
        uow.commit()


@dataclass(frozen=True)
class NewOutcome:
    decided_on: str | date
    decision: str
    recommendations: str = ""


def record_outcome(uow: UnitOfWork, *, reference: str, review_id: int,
                   outcome: NewOutcome) -> None:
    """Record the review's outcome and recommendations (a review held needs its meeting
    first; "threshold not met" may be given without one)."""
    require(uow, Permission.MANAGE_CASES)
    with uow:
        case = _visible_case(uow, reference, for_update=True)
        review = _review_to_change(uow, case, review_id)
        since = review.meeting_on or review.applied_on
        decided, text, problems = validate_outcome(
            decided_on=outcome.decided_on, decision=outcome.decision,
            recommendations=outcome.recommendations, since=since, today=utcnow().date())
        if (outcome.decision != ReviewDecision.THRESHOLD_NOT_MET.value
                and review.meeting_on is None and "decision" not in problems):
            problems["decision"] = "record the review meeting before its outcome"
        if review.decision is not None:
            problems["decision"] = "the outcome has already been given"
        if problems:
            raise InvalidCaseInput(problems)
        assert decided is not None
        review.decided_on, review.decision, review.recommendations = \
            decided, outcome.decision, text
        case.updated_at = utcnow()
        uow.audit.record(action="change", object_type="case_trigger_review", object_id=review.id,
                         detail={"case": case.reference, "before": {"decision": None},
                                 "after": {"decided_on": decided.isoformat(),
                                           "decision": outcome.decision}})
        uow.commit()


@dataclass(frozen=True)
class LocalThreshold:
    """One local authority and the threshold that applies there."""

    code: str
    name: str
    complaints: int
    window_months: int
    report_within_months: int
    is_default: bool  # no local threshold is set: the default applies
    known_area: bool  # the authority is among the areas loaded
    in_force_area: bool  # it holds LSOAs of the force (not one just over the border)
    text: str
    updated_at: datetime | None
    updated_by: str | None


def _require_settings(uow: UnitOfWork) -> None:
    if not uow.actor.can(Permission.MANAGE_SETTINGS):
        raise PermissionDenied("local thresholds are set by an administrator")


def local_thresholds(uow: UnitOfWork, *, force_name: str | None = None) -> list[LocalThreshold]:
    """Every local authority in the areas loaded (and any other with a threshold set), with
    the threshold that applies there (the default where none is set), those with their own
    first. With ``force_name``, each says whether it holds the force's LSOAs (open data brings
    in a few authorities just over the border). Settings, not personal data, so the listing
    itself is not audited."""
    _require_settings(uow)
    default = TriggerThreshold()
    with uow:
        rows = {r.local_authority_code: r for r in queries.all_thresholds(uow.session)}
        areas = dict(queries.local_authorities(uow.session))
        force = (queries.force_local_authorities(uow.session, force_name=force_name)
                 if force_name else set())
        names = {code: row.local_authority_name or code for code, row in rows.items()}
        names |= areas
        result = []
        # the local ones first, so what differs from the default is seen at once
        for code in sorted(names, key=lambda c: (c not in rows, names[c], c)):
            row = rows.get(code)
            rule = default if row is None else TriggerThreshold(
                row.complaints, row.window_months, row.report_within_months, code)
            result.append(LocalThreshold(
                code=code, name=names[code],
                complaints=rule.complaints, window_months=rule.window_months,
                report_within_months=rule.report_within_months, is_default=row is None,
                known_area=code in areas, in_force_area=not force or code in force,
                text=rule.describe(),
                updated_at=row.updated_at if row else None,
                updated_by=row.updated_by if row else None))
        return result


def local_threshold(uow: UnitOfWork, *, local_authority_code: str) -> LocalThreshold:
    """One local authority's threshold (``NotFound`` for an authority Vigil does not know)."""
    for found in local_thresholds(uow):
        if found.code == local_authority_code:
            return found
    raise NotFound(f"no local authority {local_authority_code}")


def set_local_threshold(uow: UnitOfWork, *, local_authority_code: str, complaints: int,
                        window_months: int, report_within_months: int) -> None:
    """Set one local authority's threshold (an administrator, or the operator from the command
    line; audited with before and after). Every problem is reported at once by field."""
    if not uow.actor.is_system:
        _require_settings(uow)
    problems = validate_threshold(complaints=complaints, window_months=window_months,
                                  report_within_months=report_within_months)
    code = local_authority_code.strip()
    with uow:
        name = queries.local_authority_name(uow.session, code=code) if code else None
        if name is None:
            problems["local_authority_code"] = f"no local authority {code!r} in the areas loaded"
        if problems:
            raise InvalidCaseInput(problems)
        row = queries.local_threshold(uow.session, local_authority_code=code)
        before = _settings(row)
        if row is None:
            row = CaseReviewThreshold(local_authority_code=code)
            uow.session.add(row)
        row.local_authority_name = name or ""
        row.complaints, row.window_months = complaints, window_months
        row.report_within_months = report_within_months
        row.updated_at, row.updated_by = utcnow(), uow.actor.username
        uow.audit.record(action="change", object_type="case_review_threshold", object_id=code,
                         detail={"before": before,
                                 "after": {"complaints": complaints,
                                           "window_months": window_months,
                                           "report_within_months": report_within_months}})
        uow.commit()


def reset_local_threshold(uow: UnitOfWork, *, local_authority_code: str) -> bool:
    """Remove a local authority's own threshold so the default applies again (audited with
    what it was). Returns whether there was one to remove."""
    if not uow.actor.is_system:
        _require_settings(uow)
    with uow:
        row = queries.local_threshold(uow.session, local_authority_code=local_authority_code)
        if row is None:
            return False
        before = _settings(row)
        uow.session.delete(row)
        uow.audit.record(action="delete", object_type="case_review_threshold",
                         object_id=local_authority_code,
                         detail={"before": before, "after": None,
                                 "default": TriggerThreshold().describe()})
        uow.commit()
        return True


def _settings(row: CaseReviewThreshold | None) -> dict[str, int] | None:
    return None if row is None else {"complaints": row.complaints,
                                     "window_months": row.window_months,
                                     "report_within_months": row.report_within_months}
