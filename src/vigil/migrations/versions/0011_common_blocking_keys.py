"""The blocking keys too common to block on, so a look-up skips them without reading their
records (``identify_common_keys``), filled here from the existing index.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from vigil.identify.index import refresh_common_keys

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identify_common_keys",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_identify_common_keys")),
    )
    refresh_common_keys(op.get_bind())


def downgrade() -> None:
    op.drop_table("identify_common_keys")
