"""Registry of every dataset's suite: raw batches and marts, by dataset (= table) name.

A suite is the module `expectations/<dataset>.py`, which declares one `SUITE = Suite(...)` (expectations.declaration)
whose `dataset` is that name. Raw suites are found from the source registry (one per `Source.dataset`), mart suites
from the mart registry: nothing to list here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import great_expectations as gx

from expectations.declaration import Suite
from transforms.marts_registry import MARTS
from transforms.registry import DATASETS


def declared(module: ModuleType, dataset: str) -> Suite:
    """The `SUITE` of `dataset`'s module; ImportError unless it is a Suite declaring that dataset."""
    found = getattr(module, "SUITE", None)
    if not isinstance(found, Suite) or found.dataset != dataset:
        raise ImportError(f"expectations/{dataset}.py must declare SUITE = Suite(dataset={dataset!r}, ...)")
    return found


def _load(dataset: str) -> ModuleType:
    """The suite module of `dataset`, checked to declare that dataset."""
    found = importlib.import_module(f"expectations.{dataset}")
    declared(found, dataset)
    return found


# A dataset's (or mart's) suite is the module named after it (expectations/<name>.py), found through the registries.
RAW_MODULES: tuple[ModuleType, ...] = tuple(_load(name) for name in DATASETS)
MART_MODULES: tuple[ModuleType, ...] = tuple(_load(name) for name in MARTS)
_MODULES: dict[str, ModuleType] = {m.SUITE.dataset: m for m in (*RAW_MODULES, *MART_MODULES)}
SUITES: dict[str, Suite] = {name: m.SUITE for name, m in _MODULES.items()}

registry: dict[str, Callable[[], gx.ExpectationSuite]] = {name: s.rules for name, s in SUITES.items()}


def suite(dataset: str) -> Suite:
    """The suite of `dataset`; KeyError names the known datasets."""
    return SUITES[_known(dataset)]


def module(dataset: str) -> ModuleType:
    """The suite module of `dataset`; KeyError names the known datasets."""
    return _MODULES[_known(dataset)]


def _known(dataset: str) -> str:
    if dataset not in SUITES:
        raise KeyError(f"no suite for dataset {dataset!r}; known: {sorted(SUITES)}")
    return dataset
