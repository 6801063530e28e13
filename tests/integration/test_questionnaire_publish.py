"""Publishing a new questionnaire version: new calls are asked it, old calls keep theirs; only
a police administrator (or the operator) publishes; the CLI refuses a bad file by field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.integration.test_identify_service import make_actor
from tests.integration.test_supervision import LOWEST, OCT, call
from vigil.bootstrap import Container
from vigil.cli import app as cli_app
from vigil.domain.access import PermissionDenied, Role
from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, Answer, AnswerStatus
from vigil.services.call_views import view_call
from vigil.services.calls import InvalidCall, record_call
from vigil.services.questionnaires import InvalidQuestionnaire, check_draft, history, publish
from vigil.store.call_tables import RiskAssessment, RiskQuestionnaireVersion
from vigil.store.models import AuditEntry

NEW_TEXT = "Have there been threats, violence or damage to property?"


def version_two() -> str:
    data = copy.deepcopy(DEFAULT_QUESTIONNAIRE.to_data())
    del data["version"]
    threats = next(q for q in data["questions"] if q["key"] == "threats")
    threats["text"] = NEW_TEXT
    data["questions"].append({"key": "pets", "text": "Have pets been harmed?",
                              "options": [["no", "No", 0], ["yes", "Yes", 2]]})
    return json.dumps(data)


def versions(container: Container) -> int:
    with container.session_factory() as session:
        return session.scalar(select(func.count(RiskQuestionnaireVersion.id))) or 0


def test_new_calls_get_the_new_version_and_old_calls_keep_theirs(container: Container
                                                                 ) -> None:
    admin = make_actor(container, "admin", role=Role.ADMINISTRATOR, agency="force")
    handler = make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force")
    old = record_call(container.uow(handler), call=call("Aldous", "LE1 1AA", LOWEST), now=OCT)
    draft = check_draft(container.uow(admin), text=version_two())
    assert draft.questionnaire.version == 2 and draft.added == ["Have pets been harmed?"]
    assert draft.changed == [NEW_TEXT]
    publish(container.uow(admin), text=version_two(), expected_version=2)
    with pytest.raises(InvalidCall) as missing:
        record_call(container.uow(handler), call=call("Brook", "LE2 2BB", LOWEST), now=OCT)
    assert set(missing.value.problems) == {"answers.pets"}
    new = record_call(container.uow(handler), now=OCT, call=call(
        "Brook", "LE2 2BB", LOWEST | {"pets": Answer(AnswerStatus.ANSWERED, "no")}))
    old_view = view_call(container.uow(handler), reference=old.reference)
    new_view = view_call(container.uow(handler), reference=new.reference)
    assert old_view.questionnaire_version == 1 and new_view.questionnaire_version == 2
    assert NEW_TEXT not in [a.text for a in old_view.answers]
    assert NEW_TEXT in [a.text for a in new_view.answers]
    current, listed = history(container.uow(admin))
    assert current.version == 2
    assert [(v.version, v.published_by, v.calls) for v in listed] == [
        (2, "admin", 1), (1, "system", 1)]
    with container.session_factory() as session:
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "publish_questionnaire")).one()
        assert session.scalar(select(func.count(RiskAssessment.id))) == 2
    assert audit.object_id == "2" and audit.username == "admin"


def test_only_a_police_administrator_publishes_and_only_once(container: Container) -> None:
    admin = make_actor(container, "admin", role=Role.ADMINISTRATOR, agency="force")
    for actor in (make_actor(container, "handler", role=Role.CALL_HANDLER, agency="force"),
                  make_actor(container, "city.admin", role=Role.ADMINISTRATOR,
                             agency="city-council"),
                  make_actor(container, "sergeant", role=Role.SUPERVISOR, agency="force")):
        with pytest.raises(PermissionDenied):
            publish(container.uow(actor), text=version_two(), expected_version=2)
    publish(container.uow(admin), text=version_two(), expected_version=2)
    with pytest.raises(InvalidQuestionnaire) as again:
        publish(container.uow(admin), text=version_two(), expected_version=2)
    assert set(again.value.problems) <= {"version", "questionnaire"}
    with pytest.raises(InvalidQuestionnaire) as broken:
        check_draft(container.uow(admin), text="{\"questions\": [}")
    assert broken.value.problems["json"].startswith("not valid JSON")
    assert versions(container) == 2


@pytest.fixture
def cli(container: Container, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VIGIL_DATABASE_URL", container.settings.database_url)
    return CliRunner()


def test_the_cli_refuses_a_bad_file_by_field_and_writes_nothing(
        container: Container, cli: CliRunner, tmp_path: Path) -> None:
    bad = json.loads(version_two())
    bad["medium_from"] = "eight"
    bad["questions"][2]["options"][0][2] = 1.5
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(bad))
    result = cli.invoke(cli_app, ["questionnaire", "publish", str(path), "--yes"])
    assert result.exit_code == 1
    assert "medium_from: must be a whole number, 1 or more" in result.output
    assert "questions[3].options[1].score: must be a whole number, 0 or more" in result.output
    assert versions(container) == 1  # only the default, stored when the file was checked


def test_the_cli_shows_asks_and_publishes(container: Container, cli: CliRunner,
                                          tmp_path: Path) -> None:
    shown = cli.invoke(cli_app, ["questionnaire", "show"])
    assert shown.exit_code == 0 and json.loads(shown.output)["version"] == 1
    path = tmp_path / "v2.json"
    path.write_text(version_two())
    declined = cli.invoke(cli_app, ["questionnaire", "publish", str(path)], input="n\n")
    assert "Publish version 2? Calls already recorded keep version 1" in declined.output
    assert declined.exit_code == 1 and versions(container) == 1
    done = cli.invoke(cli_app, ["questionnaire", "publish", str(path), "--yes"])
    assert done.exit_code == 0, done.output
    assert "Version 2 is published" in done.output
    shown = cli.invoke(cli_app, ["questionnaire", "show", "--version", "2"])
    assert json.loads(shown.output)["questions"][-1]["key"] == "pets"
    missing = cli.invoke(cli_app, ["questionnaire", "show", "--version", "7"])
    assert missing.exit_code == 1 and "there is no version 7" in missing.output


