"""Indexes that answer a look-up's history alone: a record's incidents with its part in each
(``incident_people``: record, incident, role, replacing the index on the record alone), and an
incident's risk level (``risk_assessments``: incident, level). A look-up reads both for every
incident of every matched record; through the old indexes each row cost a second random page
read, of the table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_incident_people_record_incident_role", "incident_people",
                    ["person_record_id", "incident_id", "role"])
    op.drop_index("ix_incident_people_person_record_id", table_name="incident_people")
    op.create_index("ix_risk_assessments_incident_level", "risk_assessments",
                    ["incident_id", "level"])


def downgrade() -> None:
    op.drop_index("ix_risk_assessments_incident_level", table_name="risk_assessments")
    op.create_index("ix_incident_people_person_record_id", "incident_people",
                    ["person_record_id"])
    op.drop_index("ix_incident_people_record_incident_role", table_name="incident_people")
