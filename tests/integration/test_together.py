"""Statements sent together (one round trip on PostgreSQL) see the transaction's own writes,
come back in order, and can plan the rest of the transaction once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from vigil.bootstrap import Container
from vigil.store.models import Address
from vigil.store.together import Together


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
