"""great-expectations 1.x validation layer: one suite per dataset, a per-run Validator, quarantine verdicts."""

from expectations.context import Held
from expectations.runner import ValidationOutcome, Validator
from expectations.suites import registry

__all__ = ["Held", "ValidationOutcome", "Validator", "registry"]
