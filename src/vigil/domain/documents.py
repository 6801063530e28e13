"""What a document uploaded to a case may be: its size, and its type judged from its content
(never from the name or the type the browser claims). Plain Python."""

from __future__ import annotations

import io
import zipfile

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
NAME_MAX = 200

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "text/plain": "Plain text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
}


def sniff(content: bytes) -> str | None:
    """The media type of ``content`` if it is one Vigil accepts, else ``None``."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _docx(content)
    return "text/plain" if _plain_text(content) else None


def _docx(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def _plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


def safe_name(file_name: str) -> str:
    """The name to show and to offer when downloading: no folders, no control characters."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip(" .")[:NAME_MAX] or "document"


def validate_document(*, file_name: str, content: bytes | None, description: str,
                      size: int) -> tuple[str | None, dict[str, str]]:
    """The document's media type and every problem with the upload."""
    problems: dict[str, str] = {}
    media_type = None
    if content is None or size == 0:
        problems["file"] = "choose a file to upload"
    elif size > MAX_DOCUMENT_BYTES:
        problems["file"] = f"the file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"
    else:
        media_type = sniff(content)
        if media_type is None:
            problems["file"] = ("only PDF, PNG, JPEG, plain text and Word (.docx) files can be "
                                "uploaded")
    if len(description.strip()) > 300:
        problems["description"] = "keep the description to 300 characters"
    if not file_name.strip() and "file" not in problems:
        problems["file"] = "the file has no name"
    return media_type, problems
