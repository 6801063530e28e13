"""A caller's address is found by one index: ``addresses (postcode, dwelling_key)``, replacing
the index on the postcode alone. Through the old index a look-up read every address of the
caller's postcode from the table to compare its key (28 rows at the median at a million people,
189 at p99), a random page each.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_addresses_postcode_dwelling_key", "addresses",
                    ["postcode", "dwelling_key"])
    op.drop_index("ix_addresses_postcode", table_name="addresses")


def downgrade() -> None:
    op.create_index("ix_addresses_postcode", "addresses", ["postcode"])
    op.drop_index("ix_addresses_postcode_dwelling_key", table_name="addresses")
