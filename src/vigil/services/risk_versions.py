"""The risk questionnaire versions in the store: the current one (the default version is
stored on first use) and any older one a saved call was asked."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.domain.risk import DEFAULT_QUESTIONNAIRE, Questionnaire
from vigil.store.call_tables import RiskQuestionnaireVersion
from vigil.store.insert_once import insert_once
from vigil.store.uow import UnitOfWork


def current_questionnaire(session: Session) -> tuple[int, Questionnaire]:
    """The latest published version (its row id and content), storing the default version
    when none is published yet. Never commits."""
    latest = (select(RiskQuestionnaireVersion)
              .order_by(RiskQuestionnaireVersion.version.desc()).limit(1))
    row = session.scalars(latest).first()
    if row is None:  # two first calls at once: one stores it, the other waits and reads it
        insert_once(session, RiskQuestionnaireVersion, unique=["version"], values={
            "version": DEFAULT_QUESTIONNAIRE.version, "data": DEFAULT_QUESTIONNAIRE.to_data(),
            "published_at": datetime.now(UTC), "published_by": "system"})
        row = session.scalars(latest).one()
    return row.id, Questionnaire.from_data(row.data)


def questionnaire_to_ask(uow: UnitOfWork) -> Questionnaire:
    """The version a new call is asked (for the call screen)."""
    with uow:
        _, questionnaire = current_questionnaire(uow.session)
        uow.commit()
    return questionnaire


def questionnaire_by_id(session: Session, row_id: int) -> Questionnaire:
    """The version a saved call was asked."""
    row = session.get(RiskQuestionnaireVersion, row_id)
    assert row is not None, "a risk assessment always names its questionnaire version"
    return Questionnaire.from_data(row.data)
