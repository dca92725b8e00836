"""NY Fed parsers on recorded files and literal payloads; the NY Fed replay snapshot round-trips to the recordings."""

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from scripts.replay_build import nyfed as replay_nyfed
from transforms.errors import ParseError
from transforms.nyfed import RATES_SCHEMA, RP_SCHEMA, parse_reference_rates_csv, parse_rp_operations_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nyfed"
RATES_FIXTURE = FIXTURES / "rates_all_2026-08-03.csv"


def test_recorded_rates_download(recorded):
    frame = parse_reference_rates_csv((recorded / replay_nyfed.RATES_CSV).read_bytes())
    assert frame.schema == pl.Schema(RATES_SCHEMA)
    assert frame.height == 734  # 736 lines - header - trailing all-comma line (PROVENANCE.md)
    assert (frame["effective_date"].min(), frame["effective_date"].max()) == (dt.date(2026, 1, 2), dt.date(2026, 8, 3))
    counts = dict(frame.group_by("rate_type").len().iter_rows())
    assert counts == {"EFFR": 148, "OBFR": 148, "TGCR": 146, "BGCR": 146, "SOFR": 146}


def test_rates_row_values():
    frame = parse_reference_rates_csv(RATES_FIXTURE.read_bytes())
    effr = frame.filter(pl.col("rate_type") == "EFFR").row(0, named=True)
    assert effr == {
        "effective_date": dt.date(2026, 8, 3),
        "rate_type": "EFFR",
        "rate_pct": 3.63,
        "percentile_1_pct": 3.6,
        "percentile_25_pct": 3.62,
        "percentile_75_pct": 3.63,
        "percentile_99_pct": 3.68,
        "volume_bn": 111.0,
        "target_rate_from_pct": 3.5,
        "target_rate_to_pct": 3.75,
        "revision_indicator": None,
        "sofr_avg_30d_pct": None,
        "sofr_avg_90d_pct": None,
        "sofr_avg_180d_pct": None,
        "sofr_index": None,
        "extra": None,
    }
    assert frame.filter(pl.col("rate_type") == "SOFR")["target_rate_from_pct"].to_list() == [None]


def _rates_with_header(replace: dict[str, str] | None = None, drop: str | None = None) -> bytes:
    """The recorded fixture with some display headers respelled or one column removed."""
    rows = list(csv.reader(RATES_FIXTURE.read_text().splitlines()))
    keep = [i for i, h in enumerate(rows[0]) if h != drop]
    rows[0] = [(replace or {}).get(h, h) for h in rows[0]]
    return "\n".join(",".join(row[i] for i in keep) for row in rows).encode()


@pytest.mark.parametrize(
    "respelled",
    [
        {"1st Percentile (%)": "Percentile 1 (%)", "99th Percentile (%)": "Percentile 99 (%)"},
        {"1st Percentile (%)": "percentPercentile1", "Volume ($Billions)": "volumeInBillions"},
        {"Effective Date": "effectiveDate", "Rate (%)": "percentRate", "Revision Indicator (Y/N)": "revisionIndicator"},
    ],
    ids=["percentile-n", "api-field-names", "camel-case"],
)
def test_rates_header_spelling_variants(respelled):
    expected = parse_reference_rates_csv(RATES_FIXTURE.read_bytes())
    assert_frame_equal(parse_reference_rates_csv(_rates_with_header(replace=respelled)), expected)


@pytest.mark.parametrize(
    "column",
    ["Effective Date", "Rate Type", "Rate (%)", "25th Percentile (%)", "Volume ($Billions)", "Target Rate To (%)"],
    ids=["date", "type", "rate", "p25", "volume", "target-to"],
)
def test_rates_missing_column(column):
    with pytest.raises(ParseError, match="lacks the column"):
        parse_reference_rates_csv(_rates_with_header(drop=column))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!DOCTYPE html>\n<html><title>Site maintenance</title></html>", "received HTML"),
        (b"", "empty body"),
        (_rates_with_header().replace(b"08/03/2026,EFFR", b"2026-08-03,EFFR"), "unparseable"),
        (_rates_with_header().replace(b"08/03/2026,OBFR", b",OBFR"), "without Effective Date"),
    ],
    ids=["html", "empty", "iso-date", "row-without-date"],
)
def test_rates_rejects(payload, message):
    with pytest.raises(ParseError, match=message):
        parse_reference_rates_csv(payload)


def test_rp_fixture_values():
    frame = parse_rp_operations_json((FIXTURES / "rp_operations_2022-01-03.json").read_bytes())
    assert frame.schema == pl.Schema(RP_SCHEMA)
    picked = ["total_amt_accepted_usd", "award_rate_pct", "participating_cpty"]
    rows = {r.pop("operation_type"): r for r in frame.select("operation_type", *picked).to_dicts()}
    assert rows["Reverse Repo"] == dict(zip(picked, (1_579_526_000_000, 0.05, 76), strict=True))
    assert rows["Repo"] == dict(zip(picked, (3_000_000, 0.25, None), strict=True))


def _op(**fields) -> dict:
    """A minimal synthetic operation object (ids 'RP SYNTH n' mark it as made up)."""
    return {"operationId": "RP SYNTH 1", "operationDate": "2030-01-02", "operationType": "Repo", **fields}


@pytest.mark.parametrize(
    ("details", "award"),
    [
        ([{"securityType": "Treasury", "percentAwardRate": 1.25}], 1.25),
        (
            [
                {"securityType": "Agency", "percentWeightedAverageRate": 9.0},
                {"securityType": "Treasury", "percentWeightedAverageRate": 1.5},
            ],
            1.5,
        ),
        ([{"securityType": "Treasury", "minimumBidRate": 2.0}], None),
        (None, None),
    ],
    ids=["rrp-award", "repo-weighted-treasury", "nothing-accepted", "no-details"],
)
def test_rp_award_rate(details, award):
    payload = json.dumps({"repo": {"operations": [_op(details=details)]}}).encode()
    assert parse_rp_operations_json(payload)["award_rate_pct"].to_list() == [award]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"refRates": []}, "no repo.operations"),
        ({"repo": {"operations": [{"operationDate": "2030-01-02", "operationType": "Repo"}]}}, "lacks required"),
        ({"repo": {"operations": [_op(totalAmtAccepted="lots")]}}, "wrong type"),
        ({"repo": {"operations": [_op(operationDate="01/02/2030")]}}, "wrong type"),
    ],
    ids=["no-operations", "no-id", "amount-text", "us-date"],
)
def test_rp_rejects(body, message):
    with pytest.raises(ParseError, match=message):
        parse_rp_operations_json(json.dumps(body).encode())


def test_rp_rejects_html_and_accepts_empty_list():
    with pytest.raises(ParseError, match="received HTML"):
        parse_rp_operations_json(b"<html>Service Unavailable</html>")
    assert parse_rp_operations_json(b'{"repo":{"operations":[]}}').height == 0


# ---------------------------------------------------------------- replay snapshot


@pytest.fixture(scope="module")
def nyfed_snapshot(recorded, tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("replay")
    return out, replay_nyfed.build(recorded, out)


def _entry(manifest: list[dict], rel: str) -> dict:
    return next(e for e in manifest if e["file"] == rel)


def _sofr_search(recorded: Path) -> pl.DataFrame:
    """The SOFR search download read independently of the builder: date, rate, 1st/99th percentiles, volume."""
    rows = json.loads((recorded / replay_nyfed.SOFR_SEARCH).read_text())["refRates"]
    return pl.DataFrame(rows).select(
        pl.col("effectiveDate").str.to_date().alias("effective_date"),
        pl.col("type").alias("rate_type"),
        pl.col("percentRate").cast(pl.Float64).alias("rate_pct"),
        pl.col("percentPercentile1").cast(pl.Float64).alias("percentile_1_pct"),
        pl.col("percentPercentile99").cast(pl.Float64).alias("percentile_99_pct"),
        pl.col("volumeInBillions").cast(pl.Float64).alias("volume_bn"),
    )


def test_snapshot_rates_round_trip(recorded, nyfed_snapshot):
    out, manifest = nyfed_snapshot
    written = parse_reference_rates_csv((out / "nyfed/rates_all.csv").read_bytes())
    as_recorded = parse_reference_rates_csv((recorded / replay_nyfed.RATES_CSV).read_bytes())
    search = _sofr_search(recorded)
    pivot = (
        pl.read_csv(recorded / replay_nyfed.RATES_PIVOT, try_parse_dates=True)
        .unpivot(index="date", variable_name="column", value_name="rate_pct")
        .drop_nulls("rate_pct")
        .select(
            pl.col("date").alias("effective_date"),
            pl.col("column").str.replace("_Rate", "").alias("rate_type"),
            "rate_pct",
        )
    )
    # the recorded download as is; the SOFR search where the download lacks the date; the pivot where neither has it
    key = ["effective_date", "rate_type"]
    in_download = written.join(as_recorded.select(key), on=key, how="semi")
    assert_frame_equal(in_download.sort(key), as_recorded.sort(key))
    from_search = written.join(as_recorded.select(key), on=key, how="anti").join(search.select(key), on=key, how="semi")
    assert_frame_equal(
        from_search.select(search.columns).sort(key), search.join(as_recorded.select(key), on=key, how="anti").sort(key)
    )
    assert from_search["effective_date"].min() == dt.date(2025, 9, 2)
    older = written.join(as_recorded.select(key), on=key, how="anti").join(search.select(key), on=key, how="anti")
    assert_frame_equal(
        older.select(pivot.columns).sort(key),
        pivot.join(search.select(key), on=key, how="anti").join(as_recorded.select(key), on=key, how="anti").sort(key),
    )
    others = older.drop("effective_date", "rate_type", "rate_pct")  # the pivot recording has only the rate
    assert others.null_count().row(0) == (older.height,) * others.width
    entry = _entry(manifest, "nyfed/rates_all.csv")
    assert (entry["rows"], entry["first_date"], entry["last_date"]) == (
        written.height,
        str(written["effective_date"].min()),
        str(written["effective_date"].max()),
    )


def test_snapshot_rates_file_shape(recorded, nyfed_snapshot):
    out, _ = nyfed_snapshot
    lines = (out / "nyfed/rates_all.csv").read_text().splitlines()
    as_recorded = (recorded / replay_nyfed.RATES_CSV).read_text().splitlines()
    assert lines[0] == as_recorded[0] and lines[-1] == as_recorded[-1]
    recorded_lines = set(as_recorded[1:-1])
    # every line of the download byte for byte, in the recorded order (newer SOFR search rows come before them)
    assert [line for line in lines if line in recorded_lines] == as_recorded[1:-1]
    dates = [dt.datetime.strptime(line.split(",")[0], "%m/%d/%Y") for line in lines[1:-1]]
    assert dates == sorted(dates, reverse=True)


def _recorded_ops(recorded: Path, rel: str) -> pl.DataFrame:
    return pl.read_csv(recorded / rel, infer_schema=False)


def test_snapshot_operations_round_trip(recorded, nyfed_snapshot):
    out, manifest = nyfed_snapshot
    payload = gzip.decompress((out / "nyfed/rp_operations.json.gz").read_bytes())
    written = parse_rp_operations_json(payload)
    for rel, op_type in [(replay_nyfed.RRP_OPS, "Reverse Repo"), (replay_nyfed.REPO_OPS, "Repo")]:
        ops = _recorded_ops(recorded, rel).select(
            pl.col("operationId").alias("operation_id"),
            pl.col("date").str.to_date().alias("operation_date"),
            pl.col("totalAmtSubmitted").cast(pl.Float64).alias("total_amt_submitted_usd"),
            pl.col("totalAmtAccepted").cast(pl.Float64).alias("total_amt_accepted_usd"),
        )
        mine = written.filter(pl.col("operation_type") == op_type).select(ops.columns)
        assert_frame_equal(mine.sort("operation_id"), ops.sort("operation_id"))
    entry = _entry(manifest, "nyfed/rp_operations.json.gz")
    assert (entry["rows"], entry["first_date"], entry["last_date"]) == (written.height, "2022-01-03", "2025-11-24")


@pytest.mark.parametrize(
    ("day", "op_type", "accepted"),
    [("2022-01-03", "Reverse Repo", 1_579_526_000_000), ("2025-10-31", "Repo", 50_350_000_000)],
    ids=["on-rrp-2022-01-03", "srf-2025-10-31"],
)
def test_snapshot_operation_values(nyfed_snapshot, day, op_type, accepted):
    out, _ = nyfed_snapshot
    written = parse_rp_operations_json(gzip.decompress((out / "nyfed/rp_operations.json.gz").read_bytes()))
    on_day = pl.col("operation_date") == dt.date.fromisoformat(day)
    picked = written.filter(on_day & (pl.col("operation_type") == op_type))
    assert picked["total_amt_accepted_usd"].to_list() == [accepted]


def test_snapshot_merged_day_keeps_sums_and_nulls_meaningless_fields(nyfed_snapshot):
    out, _ = nyfed_snapshot
    ops = json.loads(gzip.decompress((out / "nyfed/rp_operations.json.gz").read_bytes()))["repo"]["operations"]
    day = next(op for op in ops if op["operationId"] == "RP 103125 1RP 103125 3")
    assert (day["operationType"], day["maturityDate"], day["totalAmtAccepted"]) == ("Repo", "2025-11-03", 50350000000)
    assert [day[k] for k in ("termCalenderDays", "operationLimit", "releaseTime", "closeTime")] == [None] * 4
    assert isinstance(day["details"], list) and len(day["details"]) == 6  # 3 security types x 2 operations
    assert not any(k in day for k in ("date", "repo_change", "ma5_repo", "ma20_repo"))


def test_snapshot_is_deterministic(recorded, nyfed_snapshot, tmp_path):
    out, _ = nyfed_snapshot
    replay_nyfed.build(recorded, tmp_path)
    for rel in ("nyfed/rates_all.csv", "nyfed/rp_operations.json.gz"):
        assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), rel


@pytest.mark.parametrize(
    ("text", "n_ops", "width", "expected"),
    [
        ("RepoRepo", 2, None, "Repo"),
        ("TermOvernight", 2, None, None),
        ("2025-11-032025-11-03", 2, 10, "2025-11-03"),
        ("2025-11-032025-11-04", 2, 10, None),
        ("Overnight", 1, None, "Overnight"),
    ],
    ids=["repeated", "different", "dates-same", "dates-differ", "single"],
)
def test_collapse_concatenated_strings(text, n_ops, width, expected):
    assert replay_nyfed._collapse(text, n_ops, width) == expected
