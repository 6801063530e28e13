"""Where case documents' bytes live: one folder (``var/documents`` by default), each file under a
random name that says nothing about the case or the person. The database row holds the real
name and an unguessable token; files are only ever read through the access-checked service."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.store.case_tables import CaseDocument


class DocumentStore:
    """Saves and reads document bytes under random names inside ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, content: bytes) -> str:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = secrets.token_hex(20)
        with (self.root / name).open("xb") as file:
            file.write(content)
        return name

    def read(self, stored_name: str) -> bytes:
        return self._path(stored_name).read_bytes()

    def remove(self, stored_name: str) -> None:
        self._path(stored_name).unlink(missing_ok=True)

    def _path(self, stored_name: str) -> Path:
        if not stored_name.isalnum():
            raise ValueError("not a stored document name")
        return self.root / stored_name


def case_documents(session: Session, *, case_id: int, police: bool) -> list[CaseDocument]:
    """The documents on a case; police-only ones reach police users only."""
    query = select(CaseDocument).where(CaseDocument.case_id == case_id)
    if not police:
        query = query.where(CaseDocument.police_only.is_(False))
    return list(session.scalars(query.order_by(CaseDocument.uploaded_at.desc(),
                                               CaseDocument.id.desc())))


def find_document(session: Session, *, case_id: int, token: str,
                  police: bool) -> CaseDocument | None:
    query = select(CaseDocument).where(CaseDocument.case_id == case_id,
                                       CaseDocument.token == token)
    if not police:
        query = query.where(CaseDocument.police_only.is_(False))
    return session.scalar(query)
