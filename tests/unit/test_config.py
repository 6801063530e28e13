from __future__ import annotations

import pytest
from pydantic import ValidationError

from vigil.config import Settings


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="VIGIL_SECRET_KEY"):
        Settings(environment="production")


def test_production_accepts_a_long_random_secret() -> None:
    settings = Settings(environment="production", secret_key="x" * 40)
    assert settings.environment == "production"


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_DATABASE_URL", "postgresql://postgres@db/vigil")
    assert Settings().database_url == "postgresql://postgres@db/vigil"
    assert not Settings().is_sqlite


def test_the_default_database_is_an_sqlite_file_under_var(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIGIL_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.is_sqlite and settings.database_url.endswith("/var/vigil.db")
