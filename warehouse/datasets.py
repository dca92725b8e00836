"""The raw datasets qtwatch lands: table, natural key and the date column that drives incremental windows."""

from __future__ import annotations

from dataclasses import dataclass

LINEAGE = ("load_id", "fetched_at", "as_of", "source_url")


@dataclass(frozen=True)
class Dataset:
    """One raw dataset: `raw.<name>` keyed by `key`, versioned by load; `core.<name>` holds the latest version."""

    name: str
    key: tuple[str, ...]
    date_column: str
    group_column: str | None = None  # incremental windows are per group (e.g. per FRED series)

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    @property
    def core_table(self) -> str:
        return f"core.{self.name}"


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("fred_observations", ("series_id", "date"), "date", group_column="series_id"),
        Dataset("treasury_auctions", ("cusip", "auction_date"), "auction_date"),
        Dataset("nyfed_reference_rates", ("rate_type", "effective_date"), "effective_date"),
        Dataset("nyfed_rp_operations", ("operation_id",), "operation_date"),
        Dataset("dts_operating_cash_balance", ("record_date", "account_type"), "record_date"),
    )
}

# Which raw dataset each `--source` lands in (flows.plan.SOURCES and `qtwatch status` both read this).
SOURCE_DATASETS: dict[str, str] = {
    "fred": "fred_observations",
    "auctions": "treasury_auctions",
    "nyfed_rates": "nyfed_reference_rates",
    "nyfed_repo": "nyfed_rp_operations",
    "dts": "dts_operating_cash_balance",
}
