"""``vigil cases threshold`` and ``threshold-reset``: the operator's way to the same local
ASB Case Review thresholds as the administrators' page, audited the same way."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.web.conftest import World
from vigil.bootstrap import Container
from vigil.store.case_tables import CaseReviewThreshold
from vigil.store.models import AuditEntry, Lsoa


def test_the_operator_sets_and_resets_a_local_threshold(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.cli import app

    World(container).area()
    with container.session_factory() as session:
        session.execute(update(Lsoa).values(local_authority_code="E06000016"))
        session.commit()
    monkeypatch.setenv("VIGIL_DATABASE_URL", container.settings.database_url)
    runner = CliRunner()
    bad = runner.invoke(app, ["cases", "threshold", "E06000016", "--complaints", "0"])
    assert bad.exit_code != 0 and "complaints" in bad.output
    done = runner.invoke(app, ["cases", "threshold", "E06000016", "--complaints", "2"])
    assert done.exit_code == 0, done.output
    with container.session_factory() as session:
        row = session.scalar(select(CaseReviewThreshold))
        assert row is not None and row.complaints == 2
    reset = runner.invoke(app, ["cases", "threshold-reset", "E06000016"])
    assert reset.exit_code == 0 and "the default applies again" in reset.output
    with container.session_factory() as session:
        assert session.scalar(select(CaseReviewThreshold)) is None
        assert session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "case_review_threshold")
            .order_by(AuditEntry.id)).all() == ["change", "delete"]
