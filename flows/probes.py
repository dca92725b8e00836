"""What `qtwatch doctor` asks of a source and what it found: the `Probe` a source declares, the `Check` it fills.

A source declares its probe in its registry entry, `Source(..., probe="flows.sources.<x>:probe")`: a function
`probe(source, api_key, today) -> Probe` in the source's own module (beside the endpoint paths its fetcher uses), so
doctor holds no per-source code. The probe names one small request (a base-URL setting, a path under it, its
parameters, the body type) and an `inspect(body, check)` that compares the payload with what the parser expects:
a field the parser needs and the body lacks goes in `check.missing` (the source is unusable), a field the body has
and qtwatch does not model goes in `check.new` (reported; kept in raw), a short summary in `check.note`. An inspect
may raise ParseError/ValueError/KeyError/TypeError: doctor records it as an unusable payload, in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

PROBE_DAYS = 14  # a two-week window: a few rows, never a large download
NOT_PROBED = "not probed"


@dataclass
class Check:
    """What one probe of one source found; `usable` False means a run would fail that source."""

    source: str
    url: str = ""
    reachable: bool = False
    status: int | None = None
    latency_ms: float | None = None
    key: str = "n/a"  # ok / rejected / not set / n/a
    missing: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    note: str = ""
    timed_out: bool = False  # no complete answer within doctor's bound (reachable or not, nobody knows)

    @property
    def probed(self) -> bool:
        return not self.note.startswith(NOT_PROBED)

    @property
    def usable(self) -> bool:
        """A run can fetch this source (an unprobed source is not counted against the setup: see `verdict`)."""
        if not self.probed:
            return True
        return (
            self.reachable and self.status == 200 and not self.missing and self.key != "rejected" and not self.timed_out
        )

    @property
    def verdict(self) -> str:
        """What the `usable` column says: yes, NO, or "not probed" (never a "yes" nobody checked)."""
        if not self.probed:
            return NOT_PROBED
        return "yes" if self.usable else "NO"


@dataclass(frozen=True)
class Probe:
    """The request a source's check makes: `path` under `setting`'s base URL, its params, and how to read the body."""

    setting: str
    path: str
    params: dict[str, str]
    expect: str  # csv / json / zip, as flows.http.get_bytes checks it
    inspect: Callable[[bytes, Check], None]
    refused: Mapping[int, str] = field(default_factory=dict)  # what an HTTP status means here (FRED keyless 403)


def window(today: date) -> tuple[str, str]:
    """The probe window's first and last day (ISO): the last PROBE_DAYS days."""
    return (today - timedelta(days=PROBE_DAYS)).isoformat(), today.isoformat()
