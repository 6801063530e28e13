"""What makes a caller a repeat caller, a repeat victim, a repeat location or vulnerable, and
how sure a match must be. Configuration, not code: every number here can be set in the
environment (prefix ``VIGIL_IDENTIFY_``) or ``.env``. Defaults are DESIGN.md's.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from vigil.domain.people import VulnerabilityKind


class IdentificationRules(BaseSettings):
    """Thresholds for matching and for the repeat and vulnerability flags."""

    model_config = SettingsConfigDict(env_prefix="VIGIL_IDENTIFY_", env_file=".env",
                                      extra="ignore")

    model_path: Path | None = Field(
        default=None, description="A trained model (vigil identify train); default: shipped")
    match_probability: float = Field(
        default=0.95, gt=0, lt=1, description="At or above: the same person")
    possible_probability: float = Field(
        default=0.5, gt=0, lt=1, description="At or above (below a match): ask the handler")
    look_back_days: int = Field(default=365, ge=1, description="The repeat window (12 months)")
    recent_days: int = Field(default=30, ge=1, description="The short window shown")
    repeat_caller_reports: int = Field(
        default=1, ge=1, description="Earlier reports in the window that make a repeat caller")
    repeat_victim_reports: int = Field(
        default=3, ge=1, description="Reports as caller or victim that make a repeat victim")
    repeat_location_reports: int = Field(
        default=3, ge=1, description="Reports at one address, by anyone, for a repeat location")
    vulnerable_marker_kinds: tuple[str, ...] = Field(
        default=tuple(k.value for k in VulnerabilityKind),
        description="Marker kinds that flag a vulnerable victim")
    latest_reports: int = Field(default=5, ge=0, description="Latest reports shown per person")

    @model_validator(mode="after")
    def _possible_below_match(self) -> IdentificationRules:
        if self.possible_probability > self.match_probability:
            raise ValueError("possible_probability must not be above match_probability")
        return self
