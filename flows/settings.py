"""One settings object for qtwatch, read from the environment (prefix QTWATCH_) and an optional .env file.

Read once per run (at the flow's entry, or by a CLI command) and passed down as plain values. The base-URL settings
come from the source registry: every `HttpPolicy` names its setting (QTWATCH_FRED_API_URL, QTWATCH_FREDGRAPH_URL,
QTWATCH_FISCALDATA_URL, QTWATCH_NYFED_URL, ...), so a new source adds its own without touching this file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pydantic import AliasChoices, Field, SecretStr, create_model, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.registry import SOURCES
from warehouse.lake import Lake, is_lake

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WAREHOUSE_NAME = "qtwatch.duckdb"
# An output path left unset: filled from the warehouse after validation (BaseQtwatchSettings._outputs_follow...).
_FROM_WAREHOUSE = cast(Path, None)


class BaseQtwatchSettings(BaseSettings):
    """Runtime configuration; per-run knobs (sources, as-of, replay) are flow parameters instead."""

    model_config = SettingsConfigDict(env_prefix="QTWATCH_", env_file=".env", extra="ignore")

    warehouse: Path = Field(
        default=Path("data/qtwatch.duckdb"),
        description="Published DuckDB file, or (team mode) a DuckLake: ducklake:postgres:<libpq conninfo>",
    )
    lake_data_path: str | None = Field(
        default=None, description="Team mode: the lake's data folder or s3://bucket/prefix (needed to create it)"
    )
    lake_workdir: Path = Field(
        default=Path("data/team"),
        description="Team mode: this host's working copy of the lake (qtwatch.duckdb), report and GX context",
    )
    replay_dir: Path = Field(default=REPO_ROOT / "replay", description="Recorded snapshot served in replay mode")
    fred_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("FRED_API_KEY", "QTWATCH_FRED_API_KEY"),
        description="FRED API key (free); without it FRED is read keyless from fredgraph.csv",
    )
    user_agent: str = Field(
        default="qtwatch/0.1 (+https://github.com/qtwatch/qtwatch; data pipeline)",
        description="User-Agent sent to every source",
    )
    http_timeout_s: float = Field(default=30.0, description="Read timeout of one HTTP request, seconds")
    http_retries: int = Field(default=4, description="Retries of one HTTP request on 429/5xx and network errors")
    http_total_s: float = Field(
        default=300.0,
        gt=0,
        description="Total time of one HTTP request with its retries, "
        "waits and body, seconds (the read timeout bounds one socket read only)",
    )
    http_max_retry_after_s: float = Field(
        default=120.0,
        ge=0,
        description="Longest Retry-After a source may ask for, seconds; a longer one fails the request at once",
    )
    max_response_mb: float = Field(
        default=256.0,
        gt=0,
        description="Largest response body once decompressed (a CFTC zip's file too), MB; a larger one is refused",
    )
    alert_webhook_url: str | None = Field(default=None, description="Webhook that receives failure alerts")
    gx_docs_dir: Path = Field(
        default=_FROM_WAREHOUSE,
        validate_default=False,
        description="Where GX Data Docs "
        "are built (default: gx_docs in the warehouse's outputs folder, see outputs_dir)",
    )
    writer_wait_s: float = Field(default=600.0, description="How long a run waits for the warehouse writer slot")
    duckdb_memory_limit: str = Field(
        default="256MB",
        pattern=r"(?i)^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory_limit for a run's writing connection (e.g. 256MB, 2GB): beyond it DuckDB spills "
        "to a folder beside the staging copy, so a backfill's memory stays bounded (issue 27)",
    )
    report_path: Path = Field(
        default=_FROM_WAREHOUSE,
        validate_default=False,
        description="HTML report written after "
        "each run (default: report.html in the warehouse's outputs folder, see outputs_dir)",
    )
    gx_keep_runs: int = Field(
        default=20,
        ge=1,
        description="Runs whose validation results the GX context (in the "
        "warehouse's outputs folder's gx/) keeps and Data Docs list",
    )

    @model_validator(mode="after")
    def _outputs_follow_the_warehouse(self) -> BaseQtwatchSettings:
        """Unset report and Data Docs paths belong to the warehouse (a backtest never overwrites the main one's)."""
        folder = Path(self.lake_workdir) if is_lake(self.warehouse) else outputs_dir(Path(self.warehouse))
        if self.report_path is None:
            self.report_path = folder / "report.html"
        if self.gx_docs_dir is None:
            self.gx_docs_dir = folder / "gx_docs"
        return self

    def lake(self) -> Lake | None:
        """The team-mode lake QTWATCH_WAREHOUSE names, None for a warehouse file."""
        return Lake(str(self.warehouse), self.lake_data_path) if is_lake(self.warehouse) else None

    def working_copy(self) -> Path:
        """The DuckDB file a run stages and publishes: the warehouse itself, or in team mode this host's copy."""
        return Path(self.lake_workdir) / DEFAULT_WAREHOUSE_NAME if is_lake(self.warehouse) else Path(self.warehouse)

    def base_urls(self) -> dict[str, str]:
        """Every base-URL setting by field name (a trailing slash kept where the default has one)."""
        return {name: str(getattr(self, name)) for name in url_fields()}


def outputs_dir(warehouse: Path) -> Path:
    """The folder holding what runs on `warehouse` write (report, GX context and Data Docs, unless a setting says
    otherwise): the warehouse's own folder for the default name `qtwatch.duckdb` (data/report.html, data/gx,
    data/gx_docs), else a folder named after it beside it (data/backtest-2025-06-30/ for
    data/backtest-2025-06-30.duckdb), so a backtest never overwrites the main warehouse's report or Data Docs."""
    warehouse = Path(warehouse)
    return warehouse.parent if warehouse.name == DEFAULT_WAREHOUSE_NAME else warehouse.parent / warehouse.stem


def url_fields() -> dict[str, str]:
    """Base-URL setting name -> default, from every source's HttpPolicy in the registry."""
    fields: dict[str, str] = {}
    for source in SOURCES.values():
        fields.update(source.http.url_settings())
    return fields


def _url_field(name: str, default: str) -> Any:
    users = ", ".join(s.name for s in SOURCES.values() if name in s.http.url_settings())
    return (str, Field(default=default, description=f"Base URL for {users} (mirrors, proxies, local fakes)"))


if TYPE_CHECKING:
    Settings = BaseQtwatchSettings
else:
    Settings = create_model(
        "Settings",
        __base__=BaseQtwatchSettings,
        __doc__=BaseQtwatchSettings.__doc__,
        **{name: _url_field(name, default) for name, default in url_fields().items()},
    )


def get_settings(**overrides: Any) -> BaseQtwatchSettings:
    """Read the settings afresh (environment changes between calls are honoured, which tests rely on); `overrides`
    (e.g. a command's --warehouse) win over the environment, and paths derived from them follow."""
    return Settings(**overrides)
