"""Registry of every dataset's suite: raw batches and marts, by dataset (= table) name.

A suite is the module `expectations/<dataset>.py` (its `DATASET` is that name, its `build_suite()` the GX suite).
Raw suites are found from the source registry (one per `Source.dataset`, nothing to list here); mart suites are
named once in MARTS (until marts have a registry of their own).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import great_expectations as gx

from transforms.marts_registry import MARTS
from transforms.registry import DATASETS


def _load(dataset: str) -> ModuleType:
    """The suite module of `dataset`, checked to declare that dataset."""
    found = importlib.import_module(f"expectations.{dataset}")
    if getattr(found, "DATASET", None) != dataset or not callable(getattr(found, "build_suite", None)):
        raise ImportError(f"expectations/{dataset}.py must set DATASET = {dataset!r} and define build_suite()")
    return found


# A dataset's (or mart's) suite is the module named after it (expectations/<name>.py), found through the registries.
RAW_MODULES: tuple[ModuleType, ...] = tuple(_load(name) for name in DATASETS)
MART_MODULES: tuple[ModuleType, ...] = tuple(_load(name) for name in MARTS)
_MODULES: dict[str, ModuleType] = {m.DATASET: m for m in (*RAW_MODULES, *MART_MODULES)}

registry: dict[str, Callable[[], gx.ExpectationSuite]] = {name: m.build_suite for name, m in _MODULES.items()}


def module(dataset: str) -> ModuleType:
    """The suite module of `dataset`; KeyError names the known datasets."""
    if dataset not in _MODULES:
        raise KeyError(f"no suite for dataset {dataset!r}; known: {sorted(_MODULES)}")
    return _MODULES[dataset]
