"""A local fake of FRED's ALFRED endpoints (pytest-httpserver) over small literal, SYNTHETIC WALCL vintages
(tests/fixtures/alfred/README.md). It plays FRED's rules: an api_key is required; realtime_end may not be after
today unless it is 9999-12-31; at most `max_vintages` vintage dates per request; real-time periods are clipped to
the requested window, which the answer echoes; an unknown parameter such as `vintage_date` is ignored."""

from __future__ import annotations

import json
from datetime import date

from werkzeug import Request, Response

# SYNTHETIC: (observation date, vintage date it was published or revised on, value in USD millions)
WALCL_VERSIONS = [
    ("2025-06-18", "2025-06-19", "6700000"),
    ("2025-06-18", "2025-06-26", "6701000"),  # revised a week later
    ("2025-06-25", "2025-06-26", "6680000"),
    ("2025-07-02", "2025-07-03", "6660000"),
    ("2025-07-02", "2025-07-10", "6662000"),  # revised a week later
]
FAR = "9999-12-31"


def periods(versions: list[tuple[str, str, str]]) -> list[dict]:
    """Each version with its real-time period: from its vintage to the day before the next version of its date."""
    out = []
    for n, (day, start, value) in enumerate(versions):
        later = [v[1] for v in versions[n + 1 :] if v[0] == day]
        end = date.fromordinal(date.fromisoformat(later[0]).toordinal() - 1).isoformat() if later else FAR
        out.append({"date": day, "value": value, "realtime_start": start, "realtime_end": end})
    return out


class AlfredFake:
    """Handlers for `series/vintagedates` and `series/observations`; `requests` keeps every query string seen."""

    def __init__(
        self, versions=WALCL_VERSIONS, max_vintages: int = 2000, today: date | None = None, honour_window: bool = True
    ) -> None:
        self.rows, self.max_vintages = periods(versions), max_vintages
        self.vintages = sorted({v[1] for v in versions})
        self.today, self.honour_window, self.requests = today or date.today(), honour_window, []

    def install(self, server) -> None:
        server.expect_request("/fred/series/vintagedates").respond_with_handler(self.vintage_dates)
        server.expect_request("/fred/series/observations").respond_with_handler(self.observations)

    def vintage_dates(self, request: Request) -> Response:
        self.requests.append(request.query_string.decode())
        if not request.args.get("api_key"):
            return _error("Bad Request.  Variable api_key is not set.")
        dates = self.vintages if request.args.get("series_id") == "WALCL" else []  # only WALCL is faked
        return _json(
            {
                "realtime_start": str(self.today),
                "realtime_end": FAR,
                "order_by": "vintage_date",
                "sort_order": "asc",
                "count": len(dates),
                "offset": 0,
                "limit": 10000,
                "vintage_dates": dates,
            }
        )

    def observations(self, request: Request) -> Response:
        self.requests.append(request.query_string.decode())
        if request.args.get("series_id") != "WALCL":
            return _error("Bad Request.  The series does not exist.")
        today = str(self.today)
        start = request.args.get("realtime_start", today) if self.honour_window else today
        end = request.args.get("realtime_end", today) if self.honour_window else today
        if end != FAR and end > today:
            return _error(f"Bad Request.  The real-time end date ({end}) must be on or before today ({today}).")
        inside = [v for v in self.vintages if start <= v <= end]
        if len(inside) > self.max_vintages:
            return _error(
                f"Bad Request.  There are {len(inside)} vintage dates in the specified real-time period: "
                f"{start} to {end}.  This exceeds the maximum number of vintage dates allowed "
                f"({self.max_vintages})."
            )
        rows = [
            {**r, "realtime_start": max(r["realtime_start"], start), "realtime_end": min(r["realtime_end"], end)}
            for r in self.rows
            if r["realtime_start"] <= end and r["realtime_end"] >= start
        ]
        return _json(
            {
                "realtime_start": start,
                "realtime_end": end,
                "observation_start": "1776-07-04",
                "observation_end": FAR,
                "units": "lin",
                "output_type": 1,
                "file_type": "json",
                "order_by": "observation_date",
                "sort_order": "asc",
                "count": len(rows),
                "offset": 0,
                "limit": 100000,
                "observations": sorted(rows, key=lambda r: (r["date"], r["realtime_start"])),
            }
        )


def _json(body: dict) -> Response:
    return Response(json.dumps(body), status=200, content_type="application/json")


def _error(message: str) -> Response:
    return Response(
        json.dumps({"error_code": 400, "error_message": message}), status=400, content_type="application/json"
    )
