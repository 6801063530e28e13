"""Look-ups running at once on PostgreSQL keep the audit log one unbroken chain."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import backend
from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.services.audit_trail import verify_chain
from vigil.services.identification import CallerDetails, identify


@pytest.mark.skipif(backend() != "postgresql",
                    reason="SQLite has one writer at a time; the race is PostgreSQL's")
def test_concurrent_lookups_keep_the_audit_chain_whole(container: Container) -> None:
    failures: list[BaseException] = []

    def look_up_many(n: int) -> None:
        try:
            for i in range(15):
                identify(container.uow(Actor.system("test")), reason="busy control room",
                         caller=CallerDetails(given_name="Ann", family_name=f"Lee{n}x{i}"))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=look_up_many, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with container.session_factory() as session:
        check = verify_chain(session)
    assert check.intact and check.entries == 60, check
