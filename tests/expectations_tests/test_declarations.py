"""Every suite is one typed declaration (`SUITE = Suite(...)` in expectations/<dataset>.py), found through the source
and mart registries; a module that does not declare its own dataset is refused with one line."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from expectations import suites
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.marts_registry import MARTS
from transforms.registry import DATASETS


@pytest.mark.parametrize("dataset", [*DATASETS, *MARTS])
def test_every_dataset_and_mart_declares_its_suite(dataset: str) -> None:
    declared = importlib.import_module(f"expectations.{dataset}").SUITE
    assert isinstance(declared, Suite)
    assert declared.dataset == dataset
    assert suites.suite(dataset) is declared
    assert suites.registry[dataset] is declared.rules
    assert declared.rules().name == dataset
    assert isinstance(declared.context(), ContextSpec)
    assert (declared.checks is None) == (declared.order_by is None)


def _module(**attributes: object) -> ModuleType:
    """SYNTHETIC: a module object standing for expectations/made_up.py."""
    made = ModuleType("expectations.made_up")
    made.__dict__.update(attributes)
    return made


def _suite(dataset: str) -> Suite:
    return Suite(dataset=dataset, rules=suites.registry["tga_daily"], context=lambda: ContextSpec(date_column="date"))


@pytest.mark.parametrize(
    "module",
    [
        _module(),  # no SUITE
        _module(SUITE=_suite("tga_daily")),  # another dataset's
        _module(SUITE={"dataset": "made_up"}),  # not a Suite
        _module(DATASET="made_up", build_suite=suites.registry["tga_daily"]),  # the old module protocol
    ],
    ids=["missing", "wrong-dataset", "untyped", "old-protocol"],
)
def test_a_module_without_its_own_suite_is_refused_in_one_line(module: ModuleType) -> None:
    with pytest.raises(ImportError) as refused:
        suites.declared(module, "made_up")
    assert str(refused.value) == "expectations/made_up.py must declare SUITE = Suite(dataset='made_up', ...)"


def test_a_module_declaring_its_own_suite_is_accepted() -> None:
    declared = _suite("made_up")
    assert suites.declared(_module(SUITE=declared), "made_up") is declared


def test_checks_need_the_column_that_orders_the_batch() -> None:
    with pytest.raises(ValueError, match="checks need order_by"):
        Suite(dataset="made_up", rules=suites.registry["tga_daily"], context=lambda: ContextSpec("date"), checks=dict)


def test_an_unknown_dataset_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="no suite for dataset 'made_up'; known: .*'tga_daily'"):
        suites.suite("made_up")
