"""``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike: for a row that two
transactions may both try to create at the same moment (a counter, a default version). The
loser's insert waits for the winner's commit and then does nothing, instead of failing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_once(session: Session, table: Any, *, values: dict[str, Any],
                unique: Sequence[str]) -> None:
    """Insert ``values`` into ``table`` unless a row with the same ``unique`` columns exists
    (or is being inserted by another transaction, which this one then waits for)."""
    insert = (postgresql_insert if session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)
    session.execute(insert(table).values(**values).on_conflict_do_nothing(
        index_elements=list(unique)))
