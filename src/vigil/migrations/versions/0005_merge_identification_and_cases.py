"""Merge the identification (0002) and case management (0003) branches.

Revision ID: 0005
Revises: 0002, 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | Sequence[str] | None = ("0002", "0003")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
