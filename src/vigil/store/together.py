"""Plain statements that do not depend on each other, sent in one round trip.

On PostgreSQL the statements of a :class:`Together` go to the server in one psycopg pipeline
(each network round trip saved is a tenth of a millisecond or more on a look-up of a few); on
SQLite, which runs in this process, they simply run one after another. Statements are plain SQL
written with ``:name`` placeholders and run on the session's own connection (so they see its
transaction's writes), on the driver's cursor: rows come back as tuples of the driver's values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

_NAMED = re.compile(r"(?<!:):(\w+)")
_PYFORMAT: dict[str, str] = {}


def _pyformat(sql: str) -> str:
    """``:name`` placeholders as psycopg's ``%(name)s`` (a literal ``%`` doubled)."""
    found = _PYFORMAT.get(sql)
    if found is None:
        found = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        if len(_PYFORMAT) < 512:  # statement shapes are few
            _PYFORMAT[sql] = found
    return found


def id_list(ids: Iterable[int], *, backend: str) -> str:
    """A list of ids as ONE statement parameter, so a statement has one text whatever the
    number of ids: an array literal (``{1,2,3}``, for ``= ANY(...)`` or a cast to
    ``integer[]``) on PostgreSQL, JSON text (read with ``json_each``) on SQLite. Both are plain
    text to the driver: psycopg's dumping of a Python list cost more than the rest of the
    statement's parameters together."""
    listed = ",".join(str(int(i)) for i in ids)
    return "{" + listed + "}" if backend == "postgresql" else "[" + listed + "]"


def text_array(values: Iterable[str]) -> str:
    """A PostgreSQL array literal of ``values``, each quoted (so commas, braces, quotes,
    backslashes and the word NULL stay what they are): one text parameter, for a cast to
    ``text[]``."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for v in values) + "}"


class Pending:
    """A statement added to a :class:`Together`; its ``rows`` once the batch has run."""

    __slots__ = ("sql", "params", "_rows")

    def __init__(self, sql: str, params: dict[str, Any]) -> None:
        self.sql, self.params = sql, params
        self._rows: list[tuple[Any, ...]] | None = None

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            raise RuntimeError("the statements have not been run yet")
        return self._rows


class Together:
    """Collect statements with :meth:`add`, then :meth:`run` them all at once.

    ``plan_once``: on PostgreSQL, the rest of the transaction plans each of its statements once
    (``SET LOCAL plan_cache_mode = force_generic_plan``, sent first in the same round trip).
    psycopg prepares a statement run five times, but the server went on planning each run
    afresh for its values, and for a look-up's statements planning cost more than running
    (0.55 ms against 0.33 ms for the history statement at a million people): they are index
    lookups whatever the values.
    """

    def __init__(self, session: Session, *, plan_once: bool = False) -> None:
        self.session = session
        self.plan_once = plan_once
        self.pending: list[Pending] = []
        self.ran = False

    def add(self, sql: str, params: dict[str, Any]) -> Pending:
        if self.ran:
            raise RuntimeError("these statements have already been run")
        pending = Pending(sql, params)
        self.pending.append(pending)
        return pending

    def run(self) -> None:
        """Run every statement added (once: a second call does nothing)."""
        if self.ran:
            return
        self.ran = True
        connection = self.session.connection()
        driver = connection.connection.driver_connection
        assert driver is not None
        cursors = [driver.cursor() for _ in self.pending]
        try:
            if connection.dialect.name == "postgresql":
                with driver.pipeline():
                    if self.plan_once:
                        driver.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                    for cursor, pending in zip(cursors, self.pending, strict=True):
                        cursor.execute(_pyformat(pending.sql), pending.params)
                for cursor, pending in zip(cursors, self.pending, strict=True):
                    pending._rows = cursor.fetchall()
            else:
                for cursor, pending in zip(cursors, self.pending, strict=True):
                    cursor.execute(pending.sql, pending.params)
                    pending._rows = cursor.fetchall()
        finally:
            for cursor in cursors:
                cursor.close()
