"""The markdown artifact every run leaves in the Prefect UI: loads, validations, freshness and headline metrics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact

from warehouse.db import WarehouseError, connect_readonly
from warehouse.meta import LoadStatus
from warehouse.pit import data_range
from warehouse.status import WarehouseStatus, collect_status

if TYPE_CHECKING:
    import duckdb

    from warehouse.meta import RunSummary

HEADLINES = {
    "Reserves (WRESBAL, week avg)": (
        "SELECT week, reserves_bn, reserves_bn_wow FROM marts.liquidity_weekly "
        "WHERE reserves_bn IS NOT NULL ORDER BY week DESC LIMIT 1"
    ),
    "ON RRP (Wednesday)": (
        "SELECT week, on_rrp_bn, on_rrp_bn_wow FROM marts.liquidity_weekly "
        "WHERE on_rrp_bn IS NOT NULL ORDER BY week DESC LIMIT 1"
    ),
    "TGA (Daily Treasury Statement)": (
        "SELECT date, tga_bn, tga_change_bn FROM marts.tga_daily WHERE tga_bn IS NOT NULL ORDER BY date DESC LIMIT 1"
    ),
    "SOFR − IORB (bp)": (
        "SELECT date, sofr_iorb_bp, sofr_iorb_bp - lag(sofr_iorb_bp) OVER (ORDER BY date) "
        "FROM marts.funding_daily WHERE sofr_iorb_bp IS NOT NULL ORDER BY date DESC LIMIT 1"
    ),
    # change = vs the month before; the note puts the month's runoff against its cap (the QT regime in force).
    "Treasury runoff vs cap, last month (bn)": (
        "SELECT month, ust_runoff_bn, ust_runoff_bn - lag(ust_runoff_bn) OVER (ORDER BY month), "
        "CASE WHEN ust_cap_bn IS NULL THEN printf('no cap in force (%s)', coalesce(regime, 'no QT regime')) "
        "ELSE printf('cap %.1f bn, %.0f%% of cap (%s)', ust_cap_bn, 100 * ust_cap_attainment, regime) END "
        "FROM marts.qt_runoff_monthly WHERE ust_runoff_bn IS NOT NULL ORDER BY month DESC LIMIT 1"
    ),
}


def run_markdown(summary: RunSummary) -> str:
    """The run report as markdown, read back from the published warehouse (what analysts will see)."""
    lines = _loads_lines(summary)
    try:
        con = connect_readonly(Path(summary.warehouse))
    except WarehouseError as exc:
        return "\n".join([*lines, "", f"(warehouse not readable: {exc})"])
    with con:
        first, last = data_range(con)
        lines += ["", f"Data held: observation dates **{first}** to **{last}** (run as of {summary.as_of})."]
        lines += _validation_lines(con, summary.run_id)
        lines += _headline_lines(con)
        lines += _freshness_lines(collect_status(con, Path(summary.warehouse), as_of=summary.as_of, with_holes=False))
    return "\n".join(lines + _outputs_lines(summary))


def _loads_lines(summary: RunSummary) -> list[str]:
    """The title, the run's mode and as-of, and one table row per source and mart load."""
    return [
        f"# qtwatch run `{summary.run_id}`",
        "",
        f"mode **{summary.mode}**, as of **{summary.as_of}**, warehouse `{summary.warehouse}`",
        "",
        "| source / mart | status | fetched | landed | seconds | error |",
        "|---|---|---|---|---|---|",
        *[
            f"| {r.source if r.source != 'marts' else 'mart ' + r.dataset} | {r.status} | {r.rows_fetched:,} | "
            f"{r.rows_landed:,} | {r.seconds:.2f} | {(r.error or '').replace('|', '/')[:160]} |"
            for r in summary.loads
        ],
    ]


def _validation_lines(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The run's great-expectations validations (meta.validations), in the order they ran."""
    lines = [
        "",
        "## Validation",
        "",
        "| dataset | success | evaluated | failed | seconds | failed rules |",
        "|---|---|---|---|---|---|",
    ]
    for dataset, ok, evaluated, failed, seconds, rules in con.execute(
        "SELECT dataset, success, evaluated, failed, seconds, failed_rules FROM meta.validations "
        "WHERE starts_with(load_id, ?) ORDER BY validated_at",
        [run_id],
    ).fetchall():
        lines.append(
            f"| {dataset} | {'✅' if ok else '❌'} | {evaluated} | {failed} | {seconds:.3f} | "
            f"{'; '.join(rules or [])[:200]} |"
        )
    return lines


def _headline_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The latest value and change of each `HEADLINES` metric; a metric whose mart is not built yet is left out."""
    lines = [
        "",
        "## Headline metrics",
        "",
        "change = vs the previous week / day / month of the same series",
        "",
        "| metric | as of | value | change | note |",
        "|---|---|---|---|---|",
    ]
    for label, sql in HEADLINES.items():
        row = _first(con, sql)
        if row:
            note = row[3] if len(row) > 3 else ""
            lines.append(f"| {label} | {_cell(row[0])} | {_num(row[1])} | {_signed(row[2])} | {_cell(note)} |")
    return lines


def _outputs_lines(summary: RunSummary) -> list[str]:
    """Where the run's Data Docs and HTML report are, or why they were not rebuilt."""
    lines = []
    if summary.docs_path:
        lines += ["", f"great-expectations Data Docs: `{summary.docs_path}`"]
    if summary.report_path:
        lines += ["", f"HTML report: `{summary.report_path}` (also linked as the `qtwatch-report` artifact)"]
    elif not any(r.source == "marts" and r.status == LoadStatus.PUBLISHED for r in summary.loads):
        lines += ["", "No mart changed: the HTML report and Data Docs were not rebuilt (skipped)."]
    return lines


def _freshness_lines(status: WarehouseStatus) -> list[str]:
    """Latest observation held vs the one the release calendar expects on the run's as-of (as `qtwatch status`)."""
    rows = [f for source in status.sources for f in (source.series or [source.freshness])]
    return [
        "",
        "## Freshness (latest observation held vs expected on the as-of date)",
        "",
        "| dataset | latest | expected | state |",
        "|---|---|---|---|",
        *[f"| {f.name} | {_cell(f.latest)} | {_cell(f.expected)} | {f.state} |" for f in rows],
    ]


def publish_artifact(summary: RunSummary) -> None:
    """Attach the run report to the flow run (key `qtwatch-run`, so the UI keeps its history)."""
    create_markdown_artifact(
        key="qtwatch-run",
        markdown=run_markdown(summary),
        description=f"qtwatch {summary.mode} run as of {summary.as_of}",
    )


def _first(con, sql: str):
    try:
        rows = con.execute(sql).fetchall()
    except Exception:  # noqa: BLE001 - a mart not built yet just leaves its line out
        return None
    return rows[0] if rows else None


def _cell(value) -> str:
    """A markdown table cell: a missing value is an empty cell, never the text `None`."""
    return "" if value is None else str(value).replace("|", "/")


def _num(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _signed(value) -> str:
    return "" if value is None else f"{value:+,.2f}"
