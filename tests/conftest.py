"""Shared fixtures. The database under test is SQLite unless VIGIL_TEST_DATABASE=postgresql.

On PostgreSQL the suite creates its own database on the server that VIGIL_TEST_POSTGRES_URL names
(default: the local server's ``test`` database, used only to create and drop ours) and drops it
at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from vigil.bootstrap import Container
from vigil.config import Settings
from vigil.store import migrate
from vigil.store.all_tables import Base

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
OPEN_DATA_DIR = Path(
    os.environ.get("VIGIL_OPEN_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def backend() -> str:
    return os.environ.get("VIGIL_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session, dropped at the end."""
    if backend() == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'vigil-test.db'}"
        yield url
        return
    server = make_url(os.environ.get("VIGIL_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    name = f"vigil_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_container(database_url: str) -> Iterator[Container]:
    container = Container(settings=Settings(database_url=database_url, environment="test",
                                            open_data_dir=OPEN_DATA_DIR))
    migrate.upgrade(container.engine)
    yield container
    container.dispose()


@pytest.fixture
def container(migrated_container: Container) -> Iterator[Container]:
    """The session's database, emptied after each test."""
    yield migrated_container
    with migrated_container.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def open_data_dir() -> Path:
    """The real data.police.uk and ONS files beside the project; the test skips without them."""
    if not (OPEN_DATA_DIR / "police-uk").is_dir():
        pytest.skip(f"real open data not found in {OPEN_DATA_DIR} (set VIGIL_OPEN_DATA_DIR)")
    return OPEN_DATA_DIR
