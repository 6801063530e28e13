"""The audit log read back: verify its hash chain, a supervisor's view of their staff's trail,
and a subject access listing of one individual's records.

The app never changes or deletes audit entries; these functions only read (and record that
they read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.domain.access import NotFound, Permission, PermissionDenied
from vigil.domain.cases import InvalidCaseInput
from vigil.store.audit import GENESIS_HASH, entry_digest
from vigil.store.case_tables import Case, CaseParty
from vigil.store.models import AuditEntry, Incident, IncidentPerson, PersonRecord, User
from vigil.store.repositories import record_scope
from vigil.store.uow import UnitOfWork

BATCH = 2000


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking the chain: how many entries were read and the first broken one."""

    entries: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify_chain(session: Session) -> ChainCheck:
    """Recompute every entry's hash in order; report the first entry whose stored hashes do not
    match (an edited field, a deleted or reordered entry, a forged hash)."""
    expected_prev = GENESIS_HASH
    count = 0
    last_id = 0
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.id > last_id)
                               .order_by(AuditEntry.id).limit(BATCH)).all()
        if not rows:
            return ChainCheck(entries=count)
        for entry in rows:
            count += 1
            last_id = entry.id
            if entry.prev_hash != expected_prev:
                return ChainCheck(entries=count, broken_id=entry.id,
                                  problem="it does not follow the entry before it (an entry "
                                          "was deleted, inserted or its hash changed)")
            digest = entry_digest(prev_hash=entry.prev_hash, at=entry.at,
                                  username=entry.username, action=entry.action,
                                  object_type=entry.object_type, object_id=entry.object_id,
                                  reason=entry.reason, detail=entry.detail)
            if digest != entry.entry_hash:
                return ChainCheck(entries=count, broken_id=entry.id,
                                  problem="its content no longer matches its hash (it was "
                                          "changed after it was written)")
            expected_prev = entry.entry_hash
        session.expunge_all()


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    username: str
    action: str
    object_type: str
    object_id: str | None
    reason: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class StaffTrail:
    full_name: str
    username: str
    entries: list[AuditLine]


def staff_trail(uow: UnitOfWork, *, username: str, limit: int = 200) -> StaffTrail:
    """What one member of the supervisor's own agency did, newest first (audited).

    Supervisors and administrators see their own agency's staff only; anyone else is
    "not found"."""
    if not uow.actor.can(Permission.VIEW_AUDIT):
        raise PermissionDenied("this needs the view_audit permission")
    with uow:
        user = uow.session.scalar(select(User).where(User.username == username))
        if user is None or (not uow.actor.is_system and user.agency_id != uow.actor.agency_id):
            raise NotFound(f"no user {username}")
        rows = uow.session.scalars(select(AuditEntry).where(AuditEntry.user_id == user.id)
                                   .order_by(AuditEntry.id.desc()).limit(limit)).all()
        trail = StaffTrail(full_name=user.full_name, username=user.username,
                           entries=[_line(e) for e in rows])
        uow.audit.record(action="view", object_type="audit_trail", object_id=user.username)
        uow.commit()
        return trail


def staff_list(uow: UnitOfWork) -> list[tuple[str, str, str]]:
    """(username, full name, role) of the supervisor's agency's staff."""
    if not uow.actor.can(Permission.VIEW_AUDIT):
        raise PermissionDenied("this needs the view_audit permission")
    with uow:
        query = select(User).order_by(User.full_name)
        if not uow.actor.is_system:
            query = query.where(User.agency_id == uow.actor.agency_id)
        return [(u.username, u.full_name, u.role) for u in uow.session.scalars(query).unique()]


def _line(entry: AuditEntry) -> AuditLine:
    return AuditLine(id=entry.id, at=entry.at, username=entry.username, action=entry.action,
                     object_type=entry.object_type, object_id=entry.object_id,
                     reason=entry.reason, detail=entry.detail)


@dataclass(frozen=True)
class SubjectRecords:
    """Everything held about one individual, for a subject access request."""

    person_records: list[dict[str, Any]]
    incidents: list[str]
    cases: list[str]
    audit_entries: int


def subject_access(uow: UnitOfWork, *, person_record_id: int, reason: str) -> SubjectRecords:
    """The records of the individual behind ``person_record_id`` (every record linked to the
    same resolved person), the incidents and cases they appear in, and how often their records
    were viewed. Needs ``view_audit``; the request and its reason are audited."""
    if not uow.actor.can(Permission.VIEW_AUDIT):
        raise PermissionDenied("this needs the view_audit permission")
    if not reason.strip():
        raise InvalidCaseInput({"reason": "give the subject access request's reference"})
    with uow:
        session = uow.session
        scope = record_scope(uow.actor)
        first = session.scalars(select(PersonRecord).where(
            PersonRecord.id == person_record_id, scope)).unique().one_or_none()
        if first is None:
            raise NotFound(f"no person record {person_record_id}")
        query = select(PersonRecord).where(PersonRecord.id == first.id)
        if first.person_id is not None:
            query = select(PersonRecord).where(PersonRecord.person_id == first.person_id, scope)
        records = list(session.scalars(query.order_by(PersonRecord.id)).unique())
        ids = [r.id for r in records]
        incidents = session.scalars(
            select(Incident.reference).join(IncidentPerson,
                                            IncidentPerson.incident_id == Incident.id)
            .where(IncidentPerson.person_record_id.in_(ids)).distinct()).all()
        cases = session.scalars(select(Case.reference).join(CaseParty,
                                                            CaseParty.case_id == Case.id)
                                .where(CaseParty.person_record_id.in_(ids)).distinct()).all()
        views = sum(1 for e in session.scalars(select(AuditEntry.detail)).all()
                    if set(e.get("person_records", [])) & set(ids))
        result = SubjectRecords(
            person_records=[{"id": r.id, "source": r.source.name, "name": r.display_name,
                             "date_of_birth": r.date_of_birth, "postcode": r.postcode}
                            for r in records],
            incidents=sorted(incidents), cases=sorted(cases), audit_entries=views)
        uow.audit.record(action="subject_access", object_type="person_record",
                         object_id=person_record_id, reason=reason.strip(),
                         detail={"person_records": ids})
        uow.commit()
        return result
