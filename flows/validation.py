"""The run's validator, created on first use: great-expectations is imported only when a batch must be validated.

A run whose batches repeat the warehouse validates nothing, so it never pays GX's import (~2-4 s) and context set-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from expectations.runner import ValidationOutcome, Validator


class LazyValidator:
    """Stands in for `expectations.runner.Validator`; builds the real one at the first `validate`."""

    def __init__(self, on_ready: Callable[[float], None] | None = None, **options: Any) -> None:
        """`options` go to `Validator(...)` (project root, run name, runs kept); `on_ready(seconds)` is told how long
        the GX set-up took (the flow logs it)."""
        self._validator: Validator | None = None
        self._on_ready = on_ready
        self._options = options

    @property
    def used(self) -> bool:
        """True once a batch was validated this run (then there are Data Docs to build)."""
        return self._validator is not None

    def validate(self, dataset: str, frame: pl.DataFrame, **context: Any) -> ValidationOutcome:
        """Validate `frame` against `dataset`'s suite; `context` (as_of, held, coverage) as Validator.validate."""
        return self._real().validate(dataset, frame, **context)

    def build_data_docs(self, path: Path) -> Path:
        """Render this run's validations as Data Docs under `path` (see Validator.build_data_docs)."""
        return self._real().build_data_docs(path)

    def _real(self) -> Validator:
        if self._validator is None:
            from expectations.runner import Validator

            clock = time.perf_counter()
            self._validator = Validator(**self._options)
            if self._on_ready:
                self._on_ready(time.perf_counter() - clock)
        return self._validator
