"""The settings one run needs, read once at the flow's entry into plain values, and the run's API keys."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from flows import secrets
from flows.settings import BaseQtwatchSettings
from transforms.registry import SOURCES
from warehouse.lake import Lake, password


@dataclass(frozen=True)
class RunConfig:
    """The settings one run needs, read once at the flow's entry and passed down as plain values."""

    warehouse: Path  # the file a run stages and publishes (in team mode this host's working copy of the lake)
    replay_dir: Path | None
    urls: dict[str, str]
    user_agent: str
    http_retries: int
    http_timeout_s: float
    writer_wait_s: float
    gx_docs_dir: Path
    report_path: Path
    alert_webhook_url: str | None = None
    gx_keep_runs: int = 20  # runs whose validation results the file-backed GX context keeps
    duckdb_memory_limit: str | None = None  # DuckDB's memory_limit for the run's staged connection (None: DuckDB's)
    api_keys: dict[str, SecretStr] = field(default_factory=dict, repr=False)  # per source that takes one
    lake: Lake | None = None  # team mode: the DuckLake a run publishes to (warehouse.lake)

    @classmethod
    def from_settings(cls, settings: BaseQtwatchSettings, *, replay: bool, replay_dir: str | None) -> RunConfig:
        """Plain values from the settings; a replay run uses `replay_dir` or the configured snapshot."""
        return cls(
            warehouse=settings.working_copy(),
            replay_dir=Path(replay_dir or settings.replay_dir) if replay else None,
            urls=settings.base_urls(),
            user_agent=settings.user_agent,
            http_retries=settings.http_retries,
            http_timeout_s=settings.http_timeout_s,
            writer_wait_s=settings.writer_wait_s,
            gx_docs_dir=Path(settings.gx_docs_dir),
            report_path=Path(settings.report_path),
            alert_webhook_url=settings.alert_webhook_url,
            gx_keep_runs=settings.gx_keep_runs,
            duckdb_memory_limit=settings.duckdb_memory_limit,
            api_keys=_api_keys(settings, blocks=not replay),
            lake=settings.lake(),
        )


def _api_keys(settings: BaseQtwatchSettings, *, blocks: bool = True) -> dict[str, SecretStr]:
    """Each keyed source's API key: its setting (e.g. FRED_API_KEY), else its Prefect Secret block if one exists.

    A replay run uses a key set in the environment (the replay serves the keyed API too) but reads no block."""
    keys = {}
    for source in SOURCES.values():
        secret = getattr(settings, source.api_key_setting, None) if source.api_key_setting else None
        if secret is None and source.api_key_block and blocks:
            secret = _secret_block(source.api_key_block)
        if secret is not None:
            keys[source.name] = secret
    return keys


def guard_secrets(config: RunConfig) -> None:
    """At the flow's entry: register every API key's value for redaction and scrub every log record from here on."""
    for key in config.api_keys.values():
        secrets.register_secret(key.get_secret_value())
    secrets.register_webhook(config.alert_webhook_url)  # its path holds its token
    if config.lake is not None:  # team mode: the object store's key (warehouse.lake.object_store) and the conninfo's
        object_store_keys_from_block()
        for value in (os.environ.get("AWS_SECRET_ACCESS_KEY"), password(config.lake.url)):
            if value:
                secrets.register_secret(value)
    secrets.install_log_redaction()


LAKE_S3_BLOCK = "qtwatch-lake-s3"  # a Prefect Secret block: {"aws_access_key_id": ..., "aws_secret_access_key": ...}
_S3_VARIABLES = ("aws_access_key_id", "aws_secret_access_key", "aws_region", "aws_endpoint_url")


def object_store_keys_from_block() -> None:
    """Team mode, the object store's key not in the environment: take it from the Prefect Secret block
    `qtwatch-lake-s3` (a JSON object with aws_access_key_id, aws_secret_access_key and optionally aws_region,
    aws_endpoint_url) into this run's process environment, where warehouse.lake.object_store reads it. Nothing when
    the environment has the key or no such block exists."""
    if os.environ.get("AWS_SECRET_ACCESS_KEY"):
        return
    try:
        from prefect.blocks.system import Secret

        value = Secret.load(LAKE_S3_BLOCK).get()  # type: ignore[union-attr] # sync context: a block
    except (ValueError, ImportError):
        return
    if not isinstance(value, dict):
        raise ValueError(
            f"the Prefect Secret block {LAKE_S3_BLOCK} must hold a JSON object with aws_access_key_id and "
            "aws_secret_access_key"
        )
    for name in _S3_VARIABLES:
        if value.get(name) and not os.environ.get(name.upper()):
            os.environ[name.upper()] = str(value[name])


def _secret_block(name: str) -> SecretStr | None:
    try:
        from prefect.blocks.system import Secret

        return SecretStr(Secret.load(name).get())  # type: ignore[union-attr] # sync context: a block, not a coroutine
    except (ValueError, ImportError):
        return None
