"""Registry of every dataset's suite: raw batches and marts, by dataset (= table) name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import great_expectations as gx

from expectations import (
    cftc_tff,
    dts_operating_cash_balance,
    fred_observations,
    nyfed_reference_rates,
    nyfed_rp_operations,
    treasury_auctions,
)
from transforms.marts_registry import MARTS

RAW_MODULES: tuple[ModuleType, ...] = (
    fred_observations, treasury_auctions, nyfed_reference_rates, nyfed_rp_operations, dts_operating_cash_balance,
    cftc_tff,
)
# A mart's suite is the module named after it (expectations/<mart>.py), found through the mart registry.
MART_MODULES: tuple[ModuleType, ...] = tuple(importlib.import_module(f"expectations.{name}") for name in MARTS)
_MODULES: dict[str, ModuleType] = {m.DATASET: m for m in (*RAW_MODULES, *MART_MODULES)}

registry: dict[str, Callable[[], gx.ExpectationSuite]] = {name: m.build_suite for name, m in _MODULES.items()}


def module(dataset: str) -> ModuleType:
    """The suite module of `dataset`; KeyError names the known datasets."""
    if dataset not in _MODULES:
        raise KeyError(f"no suite for dataset {dataset!r}; known: {sorted(_MODULES)}")
    return _MODULES[dataset]
