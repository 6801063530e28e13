"""Documents on a case: what may be uploaded, where it is kept, and who may download it."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World, csrf_from
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.domain.documents import MAX_DOCUMENT_BYTES, sniff
from vigil.services import case_actions, cases
from vigil.services.users import actor_for
from vigil.store.models import AuditEntry, User

BASIS = "Crime and Disorder Act 1998, section 115"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def case_ref(world: World, container: Container) -> str:
    world.user("pc.dunmore", role=Role.NEIGHBOURHOOD_OFFICER)
    world.user("city.asb", role=Role.PARTNER_ASB_OFFICER, agency="city-council")
    with container.session_factory() as session:
        user = session.scalar(select(User).where(User.username == "pc.dunmore"))
        assert user is not None
        police = actor_for(user)
    reference = cases.open_case(container.uow(police), new=cases.NewCase(title="Mill Road"))
    case_actions.share_case(container.uow(police), reference=reference,
                            agency_code="city-council", lawful_basis=BASIS)
    return reference


def upload(client: TestClient, reference: str, name: str, content: bytes,
           **form: str) -> tuple[int, str]:
    token = csrf_from(client.get(f"/cases/{reference}").text)
    answer = client.post(f"/cases/{reference}/documents", data={"csrf_token": token, **form},
                         files={"file": (name, content, "application/octet-stream")},
                         follow_redirects=False)
    return answer.status_code, answer.text


def test_types_are_judged_by_content_not_by_name() -> None:
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert sniff(b"Diary: music until 2am, 3 nights") == "text/plain"
    assert sniff(docx()).endswith("wordprocessingml.document")  # type: ignore[union-attr]
    assert sniff(b"MZ\x90\x00\x03\x00 a Windows program") is None
    assert sniff(b"PK\x03\x04 not really a zip") is None


def test_an_officer_uploads_a_pdf_and_downloads_it_as_an_attachment(
        case_ref: str, client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("pc.dunmore")
    status, _ = upload(client, case_ref, "../../Victim statement.pdf", PDF,
                       description="Signed statement")
    assert status == 303
    page = client.get(f"/cases/{case_ref}").text
    assert "Victim statement.pdf" in page and "Signed statement" in page
    href = page.split(f'href="/cases/{case_ref}/documents/')[1].split('"')[0]
    assert len(href) >= 40  # unguessable
    answer = client.get(f"/cases/{case_ref}/documents/{href}")
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith(
        'attachment; filename="Victim statement.pdf"')
    [stored] = list(container.settings.documents_dir.iterdir())
    assert "statement" not in stored.name.lower() and case_ref not in stored.name
    with container.session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "case_document").order_by(AuditEntry.id)).all()
    assert actions == ["create", "download"]


def test_a_program_renamed_to_pdf_and_a_file_too_large_are_refused(
        case_ref: str, client: TestClient, log_in: LogIn, container: Container) -> None:
    log_in("pc.dunmore")
    status, text = upload(client, case_ref, "statement.pdf", b"MZ\x90\x00 program")
    assert status == 400 and "only PDF, PNG, JPEG, plain text and Word" in text
    status, text = upload(client, case_ref, "big.txt", b"a" * (MAX_DOCUMENT_BYTES + 1))
    assert status == 400 and "larger than 10 MB" in text
    status, text = upload(client, case_ref, "empty.txt", b"")
    assert status == 400 and "choose a file to upload" in text
    assert not container.settings.documents_dir.exists() or \
        not list(container.settings.documents_dir.iterdir())


def test_a_partner_never_sees_a_police_only_document(
        case_ref: str, client: TestClient, log_in: LogIn) -> None:
    log_in("pc.dunmore")
    assert upload(client, case_ref, "intel.txt", b"Informant report", police_only="yes")[0] == 303
    assert upload(client, case_ref, "diary.docx", docx())[0] == 303
    page = client.get(f"/cases/{case_ref}").text
    secret = page.split("intel.txt")[0].rsplit("/documents/", 1)[1].split('"')[0]
    log_in("city.asb")
    page = client.get(f"/cases/{case_ref}").text
    assert "diary.docx" in page and "intel.txt" not in page
    assert client.get(f"/cases/{case_ref}/documents/{secret}").status_code == 404
    assert client.get(f"/api/cases/{case_ref}/documents/{secret}").status_code == 404
    status, text = upload(client, case_ref, "x.txt", b"text", police_only="yes")
    assert status == 400 and "only police users can mark a document police-only" in text
