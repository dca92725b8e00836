"""Registry of every dataset's suite: raw batches and marts, by dataset (= table) name."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import great_expectations as gx

from expectations import (
    auction_health,
    basis_weekly,
    bill_share_monthly,
    cftc_tff,
    dealer_positions_weekly,
    dts_operating_cash_balance,
    fred_observations,
    funding_calendar,
    funding_daily,
    funding_events,
    liquidity_weekly,
    nyfed_pd,
    nyfed_reference_rates,
    nyfed_rp_operations,
    ofr_stfm,
    qt_runoff_monthly,
    repo_segments_daily,
    tga_daily,
    treasury_auctions,
)

RAW_MODULES: tuple[ModuleType, ...] = (
    fred_observations, treasury_auctions, nyfed_reference_rates, nyfed_rp_operations, dts_operating_cash_balance,
    cftc_tff, nyfed_pd, ofr_stfm,
)
MART_MODULES: tuple[ModuleType, ...] = (
    qt_runoff_monthly, liquidity_weekly, funding_daily, auction_health, bill_share_monthly, tga_daily,
    basis_weekly, funding_calendar, dealer_positions_weekly, repo_segments_daily, funding_events,
)
_MODULES: dict[str, ModuleType] = {m.DATASET: m for m in (*RAW_MODULES, *MART_MODULES)}

registry: dict[str, Callable[[], gx.ExpectationSuite]] = {name: m.build_suite for name, m in _MODULES.items()}


def module(dataset: str) -> ModuleType:
    """The suite module of `dataset`; KeyError names the known datasets."""
    if dataset not in _MODULES:
        raise KeyError(f"no suite for dataset {dataset!r}; known: {sorted(_MODULES)}")
    return _MODULES[dataset]
