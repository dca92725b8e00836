"""One settings object for qtwatch, read from the environment (prefix QTWATCH_) and an optional .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Runtime configuration; per-run knobs (sources, as-of, replay) are flow parameters instead."""

    model_config = SettingsConfigDict(env_prefix="QTWATCH_", env_file=".env", extra="ignore")

    warehouse: Path = Field(default=Path("data/qtwatch.duckdb"), description="Published DuckDB file")
    replay_dir: Path = Field(default=REPO_ROOT / "replay", description="Recorded snapshot served in replay mode")
    fred_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("FRED_API_KEY", "QTWATCH_FRED_API_KEY")
    )
    user_agent: str = "qtwatch/0.1 (+https://github.com/qtwatch/qtwatch; data pipeline)"
    http_timeout_s: float = 30.0
    http_retries: int = 4
    alert_webhook_url: str | None = None
    gx_docs_dir: Path = Field(default=Path("data/gx_docs"), description="Where GX Data Docs are built")
    writer_wait_s: float = Field(default=600.0, description="How long a run waits for the warehouse writer slot")
    report_path: Path = Field(default=Path("data/report.html"), description="HTML report written after each run")
    gx_keep_runs: int = Field(default=20, ge=1, description="Runs whose validation results the GX context (beside "
                              "the warehouse, in its folder's gx/) keeps and Data Docs list")


def get_settings() -> Settings:
    """Read the settings afresh (environment changes between calls are honoured, which tests rely on)."""
    return Settings()
