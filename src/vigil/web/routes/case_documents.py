"""Documents on a case: upload from the case's page, download through an access-checked route
by an unguessable token, always as an attachment (never shown inline)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from vigil.domain.cases import InvalidCaseInput
from vigil.domain.documents import MAX_DOCUMENT_BYTES
from vigil.services.case_documents import Upload, open_document, upload_document
from vigil.store.documents import DocumentStore
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.routes.cases import render_case
from vigil.web.routes.cases_api import ANSWERS, problems_answer

router = APIRouter()


class DocumentSaved(BaseModel):
    reference: str
    document: str = Field(description="the token to download it with")


def _store(container: ContainerDep) -> DocumentStore:
    return DocumentStore(container.settings.documents_dir)


async def _upload(file: UploadFile | None, *, description: str, police_only: bool) -> Upload:
    if file is None:
        return Upload(file_name="", content=None, size=0, description=description)
    content = await file.read(MAX_DOCUMENT_BYTES + 1)  # no more than one byte over the limit
    return Upload(file_name=file.filename or "", content=content, size=len(content),
                  description=description, police_only=police_only)


@router.post("/cases/{reference}/documents", include_in_schema=False)
async def upload(request: Request, reference: str, user: CurrentUser, container: ContainerDep,
                 _csrf: CsrfChecked, file: Annotated[UploadFile | None, File()] = None,
                 description: Annotated[str, Form()] = "",
                 police_only: Annotated[str, Form()] = "") -> Response:
    """Upload a document to the case (PDF, PNG, JPEG, plain text, Word; 10 MB at most)."""
    new = await _upload(file, description=description, police_only=police_only == "yes")
    try:
        upload_document(container.uow(user.actor), reference=reference, upload=new,
                        store=_store(container))
    except InvalidCaseInput as error:
        return render_case(request, user, container, reference=reference,
                           problems=error.problems, form="documents",
                           values={"description": description})
    return RedirectResponse(f"/cases/{reference}?done=documents#documents", status_code=303)


@router.post("/api/cases/{reference}/documents", response_model=DocumentSaved, status_code=201,
             responses=ANSWERS, tags=["cases"])
async def api_upload(reference: str, user: CurrentUser, container: ContainerDep,
                     _csrf: CsrfChecked, file: Annotated[UploadFile | None, File()] = None,
                     description: Annotated[str, Form()] = "",
                     police_only: Annotated[bool, Form()] = False,
                     ) -> DocumentSaved | JSONResponse:
    """Upload a document (multipart form: ``file``, ``description``, ``police_only``)."""
    new = await _upload(file, description=description, police_only=police_only)
    try:
        token = upload_document(container.uow(user.actor), reference=reference, upload=new,
                                store=_store(container))
    except InvalidCaseInput as error:
        return problems_answer(error)
    return DocumentSaved(reference=reference, document=token)


@router.get("/cases/{reference}/documents/{token}", include_in_schema=False)
@router.get("/api/cases/{reference}/documents/{token}", responses=ANSWERS, tags=["cases"])
def download(reference: str, token: str, user: CurrentUser, container: ContainerDep) -> Response:
    """Download a document as an attachment (audited)."""
    found = open_document(container.uow(user.actor), reference=reference, token=token,
                          store=_store(container))
    ascii_name = found.file_name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(found.content, media_type=found.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(found.file_name)}",
        "X-Content-Type-Options": "nosniff",
    })
