"""great-expectations 1.x validation layer: one suite per dataset, a per-run Validator, quarantine verdicts."""

from expectations import lazy_imports

with lazy_imports.deferred():  # GX's import without scipy.stats and altair, which no qtwatch rule uses
    import great_expectations  # noqa: F401

from expectations.context import Held
from expectations.runner import ValidationOutcome, Validator
from expectations.suites import registry

__all__ = ["Held", "ValidationOutcome", "Validator", "registry"]
