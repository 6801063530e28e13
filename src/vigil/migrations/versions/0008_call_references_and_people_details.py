"""Call details: the counter that hands out call references (so two handlers saving at the
same moment never get the same one), and the nickname or description of a person in an
incident (a suspect may be known only by these).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-26 11:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reference_counters',
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', name=op.f('pk_reference_counters'))
    )
    op.create_table('incident_person_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_person_id', sa.Integer(), nullable=False),
    sa.Column('nickname', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_person_id'], ['incident_people.id'], name=op.f('fk_incident_person_details_incident_person_id_incident_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_person_details')),
    sa.UniqueConstraint('incident_person_id', name=op.f('uq_incident_person_details_incident_person_id'))
    )


def downgrade() -> None:
    op.drop_table('incident_person_details')
    op.drop_table('reference_counters')
