"""Settings, read from the environment (prefix ``VIGIL_``) or a ``.env`` file.

Nothing is read at import time: call :func:`get_settings` (or build :class:`Settings`) when needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_SECRET = "development-only-secret-change-me"


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'vigil.db'}"


def _default_open_data_dir() -> Path:
    return PROJECT_ROOT.parent / "shared" / "data"


class Settings(BaseSettings):
    """Everything an operator can set. Defaults suit a laptop demo; production must set a secret."""

    model_config = SettingsConfigDict(env_prefix="VIGIL_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(default_factory=_default_database_url)
    secret_key: str = DEVELOPMENT_SECRET
    open_data_dir: Path = Field(default_factory=_default_open_data_dir)
    force_name: str = Field(
        default="Leicestershire",
        description="Police force area, as named in the ONS LSOA to police force lookup.",
    )
    session_max_age_seconds: int = 8 * 60 * 60
    secure_cookies: bool = False
    page_size: int = 50
    documents_dir: Path = Field(
        default_factory=lambda: PROJECT_ROOT / "var" / "documents",
        description="Where files uploaded to cases are kept (under random names).",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "VIGIL_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings(**overrides: object) -> Settings:
    """Read settings now (environment, then ``.env``), with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
