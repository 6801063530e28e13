"""Documents on a case: upload (size and type checked from the content), list and download.

A document is fetched only through :func:`open_document`, which re-reads the case through the
actor's scope, hides police-only documents from partners, and audits the download. The bytes
are written before the row; if the transaction fails the file is removed again, so nothing is
half-written.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from vigil.domain.access import NotFound, Permission
from vigil.domain.cases import InvalidCaseInput
from vigil.domain.documents import safe_name, validate_document
from vigil.services.cases import actor_name, require
from vigil.store import case_repository as cases_repo
from vigil.store import documents as documents_repo
from vigil.store.case_tables import CaseDocument
from vigil.store.documents import DocumentStore
from vigil.store.types import utcnow
from vigil.store.uow import UnitOfWork


@dataclass(frozen=True)
class Upload:
    file_name: str
    content: bytes | None
    size: int
    description: str = ""
    police_only: bool = False


def upload_document(uow: UnitOfWork, *, reference: str, upload: Upload,
                    store: DocumentStore) -> str:
    """Add a document to a case the user may work on; returns its unguessable token."""
    require(uow, Permission.MANAGE_CASES)
    media_type, problems = validate_document(file_name=upload.file_name, content=upload.content,
                                             description=upload.description, size=upload.size)
    if upload.police_only and not uow.actor.is_police:
        problems["police_only"] = "only police users can mark a document police-only"
    with uow:
        case = cases_repo.find_case(uow.session, uow.actor, reference=reference,
                                    for_update=True)
        if case is None:
            raise NotFound(f"no case {reference}")
        if problems:
            raise InvalidCaseInput(problems)
        assert upload.content is not None and media_type is not None
        stored = store.save(upload.content)
        try:
            document = CaseDocument(
                token=secrets.token_urlsafe(32), case_id=case.id,
                file_name=safe_name(upload.file_name), stored_name=stored,
                media_type=media_type, size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
                description=upload.description.strip(), police_only=upload.police_only,
                uploaded_by_user_id=uow.actor.user_id, uploaded_by_name=actor_name(uow),
                agency_id=uow.actor.agency_id)
            uow.session.add(document)
            case.updated_at = utcnow()
            uow.session.flush()
            uow.audit.record(action="create", object_type="case_document", object_id=document.id,
                             detail={"case": case.reference,
                                     "after": {"file_name": document.file_name,
                                               "media_type": media_type,
                                               "size": document.size, "sha256": document.sha256,
                                               "police_only": upload.police_only}})
            uow.commit()
        except BaseException:
            store.remove(stored)
            raise
        return document.token


@dataclass(frozen=True)
class DocumentFile:
    file_name: str
    media_type: str
    content: bytes


def open_document(uow: UnitOfWork, *, reference: str, token: str,
                  store: DocumentStore) -> DocumentFile:
    """A document's bytes, for a user who may see the case (and, for a police-only document,
    a police user); "not found" otherwise. Every download is audited."""
    require(uow, Permission.VIEW_CASES)
    with uow:
        case = cases_repo.find_case(uow.session, uow.actor, reference=reference)
        document = None if case is None else documents_repo.find_document(
            uow.session, case_id=case.id, token=token, police=uow.actor.is_police)
        if case is None or document is None:
            raise NotFound("no such document")
        content = store.read(document.stored_name)
        uow.audit.record(action="download", object_type="case_document", object_id=document.id,
                         detail={"case": case.reference, "file_name": document.file_name})
        uow.commit()
        return DocumentFile(file_name=document.file_name, media_type=document.media_type,
                            content=content)

