"""Each address's dwelling key (``flat|house|street`` as the identification engine reads it),
so a caller's address is found among its postcode's by one comparison instead of by parsing
every address of the postcode at each look-up. Existing addresses get theirs here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from vigil.identify.normalise.places import dwelling_key

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    op.add_column("addresses", sa.Column("dwelling_key", sa.String(length=360), nullable=True))
    connection = op.get_bind()
    addresses = sa.table("addresses", sa.column("id", sa.Integer), sa.column("flat"),
                         sa.column("house"), sa.column("street"), sa.column("town"),
                         sa.column("postcode"), sa.column("dwelling_key"))
    update = (sa.update(addresses).where(addresses.c.id == sa.bindparam("address_id"))
              .values(dwelling_key=sa.bindparam("key")))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(addresses.c.id, addresses.c.flat, addresses.c.house, addresses.c.street,
                      addresses.c.town, addresses.c.postcode)
            .where(addresses.c.id > last).order_by(addresses.c.id).limit(BATCH)).all()
        if not rows:
            break
        keys = [{"address_id": r.id, "key": key} for r in rows
                if (key := dwelling_key(flat=r.flat, house=r.house, street=r.street,
                                        town=r.town, postcode=r.postcode)) is not None]
        if keys:
            connection.execute(update, keys)
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        batch.drop_column("dwelling_key")
