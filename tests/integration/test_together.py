"""Statements sent together (one round trip on PostgreSQL) see the transaction's own writes,
come back in order, and can plan the rest of the transaction once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from vigil.bootstrap import Container
from vigil.store.models import Address
from vigil.store.together import Together, id_list, text_array


def test_statements_run_together_see_the_transactions_writes(container: Container) -> None:
    with container.session_factory() as session:
        session.add(Address(house="14", street="Kings Road", town="Leicester",
                            postcode="LE1 5WW"))
        session.flush()  # written in this transaction, not committed
        together = Together(session, plan_once=True)
        streets = together.add("SELECT street FROM addresses WHERE postcode = :postcode",
                               {"postcode": "LE1 5WW"})
        keys = together.add("SELECT dwelling_key, 100 % 7 FROM addresses "
                            "WHERE postcode = :postcode AND house = :house",
                            {"postcode": "LE1 5WW", "house": "14"})
        with pytest.raises(RuntimeError):
            streets.rows  # noqa: B018 - not run yet
        together.run()
        assert streets.rows == [("Kings Road",)]
        assert keys.rows == [("|14|kings road", 2)]
        if session.get_bind().dialect.name == "postgresql":
            setting = session.execute(text("SHOW plan_cache_mode")).scalar()
            assert setting == "force_generic_plan"
        session.rollback()
        if session.get_bind().dialect.name == "postgresql":
            assert session.execute(text("SHOW plan_cache_mode")).scalar() == "auto"


# Blocking keys are built from what callers typed: any of these may turn up in one.
AWKWARD_KEYS = ["pc:LE1 5WW", "a,b", 'c"d', "e\\f", "{g}", "NULL", " h ", "i'j", "ünï", ""]


def test_an_id_list_goes_as_one_parameter_and_comes_back_in_order(
        container: Container) -> None:
    with container.session_factory() as session:
        backend = session.get_bind().dialect.name
        ids = [3, 1, 2_000_000_000]
        listed_sql = ("SELECT i FROM unnest(CAST(:ids AS integer[])) WITH ORDINALITY AS t(i, n) "
                      "ORDER BY n" if backend == "postgresql"
                      else "SELECT value FROM json_each(:ids) ORDER BY key")
        together = Together(session)
        listed = together.add(listed_sql, {"ids": id_list(ids, backend=backend)})
        empty = together.add(
            "SELECT count(*) FROM addresses WHERE id " + (
                "= ANY(:none)" if backend == "postgresql"
                else "IN (SELECT value FROM json_each(:none))"),
            {"none": id_list([], backend=backend)})
        together.run()
        assert [row[0] for row in listed.rows] == ids
        assert empty.rows == [(0,)]


def test_awkward_keys_go_as_one_array_and_come_back_exactly(container: Container) -> None:
    with container.session_factory() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("text arrays are PostgreSQL's (SQLite gets the keys one by one)")
        together = Together(session)
        keys = together.add("SELECT k FROM unnest(CAST(:keys AS text[])) "
                            "WITH ORDINALITY AS t(k, n) ORDER BY n",
                            {"keys": text_array(AWKWARD_KEYS)})
        together.run()
        assert [row[0] for row in keys.rows] == AWKWARD_KEYS
