"""``/admin/questionnaire``: the risk questionnaire's current version and history, editing
the next version as JSON, a confirm step, and publishing. Thin: parse, call one service,
render."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from vigil.services.questionnaires import (
    InvalidQuestionnaire,
    check_draft,
    history,
    publish,
    require_publisher,
)
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_TEXT = 200_000


def _edit_page(request: Request, container: ContainerDep, user: CurrentUser, *,
               text: str | None, problems: dict[str, str]) -> Response:
    current, versions = history(container.uow(user.actor))
    if text is None:
        text = json.dumps(current.to_data() | {"version": current.version + 1}, indent=2,
                          ensure_ascii=False)
    return render(request, "questionnaire/edit.html", {
        "current": current, "versions": versions, "text": text, "problems": problems,
        "published": request.query_params.get("published", "")},
        status_code=400 if problems else 200)


@router.get("/admin/questionnaire")
def questionnaire(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The current version, its history, and the next version to edit (pre-filled)."""
    require_publisher(user.actor)
    return _edit_page(request, container, user, text=None, problems={})


async def _text(request: Request) -> str:
    form = await request.form()
    return str(form.get("questionnaire", ""))[:MAX_TEXT]


@router.post("/admin/questionnaire/check")
async def check(request: Request, user: CurrentUser, container: ContainerDep,
                _csrf: CsrfChecked) -> Response:
    """Every problem with the edited version, or the confirm step."""
    require_publisher(user.actor)
    text = await _text(request)
    if (await request.form()).get("action") == "edit":
        return _edit_page(request, container, user, text=text, problems={})
    try:
        draft = check_draft(container.uow(user.actor), text=text)
    except InvalidQuestionnaire as error:
        return _edit_page(request, container, user, text=text, problems=error.problems)
    return render(request, "questionnaire/confirm.html", {"draft": draft, "text": text})


@router.post("/admin/questionnaire/publish")
async def publish_version(request: Request, user: CurrentUser, container: ContainerDep,
                          _csrf: CsrfChecked) -> Response:
    """Publish the confirmed version; new calls use it at once."""
    require_publisher(user.actor)
    text = await _text(request)
    expected = str((await request.form()).get("version", ""))
    try:
        published = publish(container.uow(user.actor), text=text,
                            expected_version=int(expected) if expected.isdigit() else -1)
    except InvalidQuestionnaire as error:
        return _edit_page(request, container, user, text=text, problems=error.problems)
    return RedirectResponse(f"/admin/questionnaire?published={published.version}",
                            status_code=303)
