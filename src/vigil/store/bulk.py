"""Bulk writes for big one-off loads, such as the demo seed at a million people.

The ORM, and even Core's ``insert().returning()``, spend far more time per row than the database
does. Here rows go in by the driver's fastest path: PostgreSQL's ``COPY``, SQLite's
``executemany`` on a prepared statement, in chunks, inside the caller's transaction (never
committing). Values are converted by the columns' own types first, so a row is stored exactly
as the ORM would have stored it. Ids the caller needs (to point other rows at) are reserved
before the rows are written: from the table's sequence on PostgreSQL, after the largest id in
the table on SQLite (whose writer holds the database's only write lock).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import Engine, Index, Table, func, inspect, select, text
from sqlalchemy.orm import Session

CHUNK = 5000

Row = Sequence[Any]


class BulkWriter:
    """Writes many rows into tables in the session's transaction."""

    def __init__(self, session: Session, *, chunk: int = CHUNK) -> None:
        self.session = session
        self.chunk = chunk
        self.dialect = session.get_bind().dialect

    @property
    def is_postgresql(self) -> bool:
        return self.dialect.name == "postgresql"

    def insert(self, table: Table, columns: Sequence[str], rows: Iterable[Row], *,
               with_ids: bool = False, progress: Callable[[int], None] | None = None
               ) -> array[int]:
        """Write ``rows`` (values in the order of ``columns``) into ``table``.

        With ``with_ids``, each row gets a fresh ``id`` and the ids are returned in the order
        of the rows; otherwise the table's defaults fill its id and an empty array is returned.
        ``progress`` is told how many rows are written so far after each chunk.
        """
        ids: array[int] = array("q")
        defaults = _defaults_not_given(table, columns)
        names = (["id"] if with_ids else []) + list(columns) + [c for c, _ in defaults]
        converters = self._converters(table, names)
        write = self._copy if self.is_postgresql else self._executemany
        done = 0
        for chunk in _chunks(rows, self.chunk):
            if with_ids:
                fresh = self.reserve_ids(table, len(chunk))
                ids.extend(fresh)
                chunk = [(id_, *row) for id_, row in zip(fresh, chunk, strict=True)]
            if defaults:
                chunk = [(*row, *(value() for _, value in defaults)) for row in chunk]
            if converters:
                chunk = [_converted(row, converters) for row in chunk]
            write(table, names, chunk)
            done += len(chunk)
            if progress:
                progress(done)
        return ids

    def reserve_ids(self, table: Table, count: int) -> Sequence[int]:
        """``count`` ids no other row of ``table`` has or will get, in increasing order."""
        if count <= 0:
            return []
        if self.is_postgresql:
            return self.session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) AS id "
                     "FROM generate_series(1, :count) ORDER BY id"),
                {"table": table.name, "count": count}).all()
        # SQLite: the rows go in before the next reservation, so the largest id moves on.
        first = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return range(first, first + count)

    def _converters(self, table: Table, names: Sequence[str]
                    ) -> list[tuple[int, Callable[[Any], Any]]]:
        """(position, bind processor) of each column whose type converts values on the way to
        the driver, as the ORM would."""
        found: list[tuple[int, Callable[[Any], Any]]] = []
        for position, name in enumerate(names):
            convert = table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if convert is not None:
                found.append((position, convert))
        return found

    def _executemany(self, table: Table, names: Sequence[str], rows: list[Row]) -> None:
        marks = ", ".join("?" for _ in names)
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        self.session.connection().exec_driver_sql(statement, rows)

    def _copy(self, table: Table, names: Sequence[str], rows: list[Row]) -> None:
        driver = self.session.connection().connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def _converted(row: Row, converters: list[tuple[int, Callable[[Any], Any]]]
               ) -> tuple[Any, ...]:
    values = list(row)
    for position, convert in converters:
        values[position] = convert(values[position])
    return tuple(values)


def _defaults_not_given(table: Table, columns: Sequence[str]
                        ) -> list[tuple[str, Callable[[], Any]]]:
    """The columns left out that have a default on the Python side, as the ORM would fill
    them: a constant, or a function called for each row."""
    found: list[tuple[str, Callable[[], Any]]] = []
    for column in table.columns:
        default = column.default
        if column.name in columns or column.primary_key or default is None:
            continue
        if default.is_scalar:
            found.append((column.name, lambda value=default.arg: value))  # type: ignore[attr-defined,misc]
        elif default.is_callable:
            found.append((column.name, lambda call=default.arg: call(None)))  # type: ignore[attr-defined,misc]
    return found


def is_empty(session: Session, table: Table) -> bool:
    return session.execute(select(1).select_from(table).limit(1)).first() is None


@contextmanager
def bulk_load(session: Session, tables: Iterable[Table], *, memory_mib: int = 512
              ) -> Iterator[None]:
    """Set the session's transaction up for loading many rows into ``tables``.

    The secondary indexes of those tables that are empty are dropped and built again at the
    end, in the same transaction: building an index once over all rows is many times faster
    than keeping it up to date row by row, which for a blocking-key index of tens of millions of
    random keys means a random page write per row. Unique constraints and primary keys stay.
    Meanwhile SQLite's page cache (2 MiB by default), or PostgreSQL's memory for building
    indexes (``maintenance_work_mem``, for this transaction only), is raised to ``memory_mib``.
    After the commit, call :func:`settle` with the same tables.
    """
    tables = list(tables)
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        cache = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
        connection.exec_driver_sql(f"PRAGMA cache_size = -{int(memory_mib) * 1024}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{int(memory_mib)}MB'")
    dropped: list[Index] = []
    for table in tables:
        if not is_empty(session, table):
            continue
        present = {i["name"] for i in inspect(connection).get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if not index.unique and index.name in present:
                index.drop(connection)
                dropped.append(index)
    try:
        yield
        for index in dropped:
            index.create(connection)
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size = {cache}")


def settle(engine: Engine, tables: Iterable[Table],
           progress: Callable[[int, int], None] | None = None) -> None:
    """After a bulk load has committed: on PostgreSQL, vacuum and analyse ``tables``.

    Until autovacuum gets round to tables of millions of new rows, the planner takes them for
    empty and the index-only scans of the blocking index visit the table for every key (no
    page is marked all-visible yet): at a million people a look-up's candidates took 5 ms
    instead of 1, and its history 100 ms instead of 2 at 100,000. Nothing to do on SQLite.
    """
    if engine.dialect.name != "postgresql":
        return
    tables = list(tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for done, table in enumerate(tables):
            if progress:
                progress(done, len(tables))
            connection.exec_driver_sql(f'VACUUM (ANALYZE) "{table.name}"')
    if progress:
        progress(len(tables), len(tables))


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
