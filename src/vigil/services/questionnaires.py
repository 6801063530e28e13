"""Publishing a new version of the risk questionnaire (administrators of a police agency, and
the operator at the terminal), and its history. A published version is never changed: calls
already recorded keep the version they were asked, and new calls get the latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from vigil.domain.access import Actor, Permission, PermissionDenied
from vigil.domain.inspection import EARLIER_ASB_QUESTION, VULNERABILITY_QUESTIONS
from vigil.domain.problems import FieldProblems
from vigil.domain.risk import Questionnaire, questionnaire_problems
from vigil.services.risk_versions import current_questionnaire
from vigil.store.call_tables import RiskAssessment, RiskQuestionnaireVersion
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


class InvalidQuestionnaire(FieldProblems):
    """``problems`` maps each field (``high_from``, ``questions[2].options[1].score``, or
    ``json`` for text that is not JSON) to what is wrong. Nothing was written."""


@dataclass(frozen=True)
class VersionInfo:
    version: int
    published_at: datetime
    published_by: str
    questions: int
    calls: int


@dataclass(frozen=True)
class Draft:
    """A checked new version, ready to confirm: what changes, and what to be aware of."""

    questionnaire: Questionnaire
    current_version: int
    added: list[str]
    removed: list[str]
    changed: list[str]
    warnings: list[str]


def require_publisher(actor: Actor) -> None:
    """Only a police agency's administrator (or the operator) publishes: the questionnaire
    is what the force's call handlers ask."""
    if not actor.can(Permission.PUBLISH_QUESTIONNAIRE) or not actor.is_police:
        raise PermissionDenied("publishing the risk questionnaire needs a police "
                               "administrator")


def history(uow: UnitOfWork) -> tuple[Questionnaire, list[VersionInfo]]:
    """The current version and every published version, newest first, with how many calls
    were asked each."""
    require_publisher(uow.actor)
    with uow:
        session = uow.session
        _, current = current_questionnaire(session)
        calls: dict[int, int] = {row_id: n for row_id, n in session.execute(
            select(RiskAssessment.questionnaire_id, func.count(RiskAssessment.id))
            .group_by(RiskAssessment.questionnaire_id))}
        rows = session.scalars(select(RiskQuestionnaireVersion)
                               .order_by(RiskQuestionnaireVersion.version.desc())).all()
        versions = [VersionInfo(r.version, r.published_at, r.published_by,
                                len(r.data.get("questions", [])), calls.get(r.id, 0))
                    for r in rows]
        uow.commit()  # the default version, stored on first use
    return current, versions


def version_data(uow: UnitOfWork, *, version: int | None = None) -> dict[str, Any]:
    """One version as data (the latest when ``version`` is ``None``); ``LookupError`` when
    there is no such version."""
    require_publisher(uow.actor)
    with uow:
        _, current = current_questionnaire(uow.session)
        uow.commit()
        if version is None:
            return current.to_data()
        row = uow.session.scalars(select(RiskQuestionnaireVersion).where(
            RiskQuestionnaireVersion.version == version)).first()
        if row is None:
            raise LookupError(f"there is no version {version} (the latest is "
                              f"{current.version})")
        return dict(row.data)


def _parse(text: str, *, next_version: int) -> Questionnaire:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidQuestionnaire({"json": f"not valid JSON: {error.msg} at line "
                                            f"{error.lineno}, column {error.colno}"}) from error
    problems = questionnaire_problems(data, next_version=next_version)
    if problems:
        raise InvalidQuestionnaire(problems)
    return Questionnaire.from_data({**data, "version": next_version})


def check_draft(uow: UnitOfWork, *, text: str) -> Draft:
    """Check ``text`` (JSON) as the next version: every problem at once, or what would
    change. Writes nothing (beyond the default version, stored on first use)."""
    require_publisher(uow.actor)
    with uow:
        _, current = current_questionnaire(uow.session)
        uow.commit()
    draft = _parse(text, next_version=current.version + 1)
    if draft.to_data() | {"version": 0} == current.to_data() | {"version": 0}:
        raise InvalidQuestionnaire({"questionnaire": f"nothing changed from version "
                                                     f"{current.version}"})
    old = {q.key: q for q in current.questions}
    new = {q.key: q for q in draft.questions}
    warnings = []
    if EARLIER_ASB_QUESTION not in new:
        warnings.append(f"There is no '{EARLIER_ASB_QUESTION}' question: the inspectorate "
                        "measure 'asked about earlier ASB' will count new calls as not asked.")
    missing = [k for k in VULNERABILITY_QUESTIONS if k not in new]
    if missing:
        warnings.append("These vulnerability questions are gone, so the measures count them "
                        f"as not asked: {', '.join(missing)}.")
    return Draft(questionnaire=draft, current_version=current.version,
                 added=[q.text for k, q in new.items() if k not in old],
                 removed=[q.text for k, q in old.items() if k not in new],
                 changed=[q.text for k, q in new.items() if k in old and q != old[k]]
                 + (["Thresholds or raising rules"] if (
                     draft.medium_from, draft.high_from, draft.repeat_raises_to,
                     draft.vulnerable_raises_to, draft.repeat_and_vulnerable_raises_to) != (
                     current.medium_from, current.high_from, current.repeat_raises_to,
                     current.vulnerable_raises_to, current.repeat_and_vulnerable_raises_to)
                     else []),
                 warnings=warnings)


def publish(uow: UnitOfWork, *, text: str, expected_version: int) -> Questionnaire:
    """Publish ``text`` as version ``expected_version``. If someone published meanwhile,
    nothing is written and the problem says so; new calls use the version at once."""
    require_publisher(uow.actor)
    draft = check_draft(uow, text=text)
    if draft.questionnaire.version != expected_version:
        raise InvalidQuestionnaire({"version": (
            f"version {draft.current_version} was published since you checked; review the "
            f"changes against it and publish version {draft.questionnaire.version}")})
    with uow:
        session = uow.session
        latest = session.scalar(select(func.max(RiskQuestionnaireVersion.version)))
        if latest != expected_version - 1:
            raise InvalidQuestionnaire({"version": f"version {latest} was published "
                                                   "meanwhile; check your changes again"})
        row = RiskQuestionnaireVersion(version=expected_version,
                                       data=draft.questionnaire.to_data(),
                                       published_at=utcnow(), published_by=uow.actor.username)
        session.add(row)
        try:
            session.flush()  # the unique version number stops a second publisher racing us
        except IntegrityError as error:
            raise InvalidQuestionnaire({"version": f"version {expected_version} was "
                                                   "published meanwhile; check again"}) from error
        uow.audit.record(action="publish_questionnaire", object_type="risk_questionnaire",
                         object_id=expected_version, reason="New questionnaire version",
                         detail={"before": {"version": expected_version - 1},
                                 "after": {"version": expected_version,
                                           "questions": len(draft.questionnaire.questions)},
                                 "added": draft.added, "removed": draft.removed})
        uow.commit()
    return draft.questionnaire
