"""FRED parsers on recorded files and literal payloads; the FRED replay snapshot round-trips to the recordings."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from scripts.replay_build import fred as replay_fred
from transforms.errors import ParseError
from transforms.fred import (
    SCHEMA,
    parse_fred_api_observations,
    parse_fred_series_meta,
    parse_fredgraph_csv,
    parse_fredgraph_many,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fred"
ROOT = Path(__file__).resolve().parents[2]

# (recorded file, series, first date, last date) as listed in the data's PROVENANCE.md; the copies in
# tests/fixtures/recorded keep each file's first and last rows (tests/fixtures/recorded/PROVENANCE.md).
RECORDED = [
    ("fred/fredgraph/qie2003/WALCL.csv", "WALCL", "2002-12-18", "2026-07-29"),
    ("fred/fredgraph/qie2003/SOFR.csv", "SOFR", "2018-04-03", "2026-07-30"),
    ("fred/fredgraph/qie2003/RRPONTSYD.csv", "RRPONTSYD", "2003-02-07", "2026-07-31"),
    ("fred/fredgraph/qie2003/DGS10.csv", "DGS10", "1962-01-02", "2026-07-30"),
    ("fred/fredgraph/SOFR3/IORB.csv", "IORB", "2021-07-29", "2026-06-23"),
    ("fred/fredgraph/SOFR3/WRESBAL.csv", "WRESBAL", "2021-06-23", "2026-06-17"),
    ("fred/fredgraph/sphynxkatt0/WDTGAL.csv", "WDTGAL", "2002-12-18", "2026-08-26"),
    ("fred/fredgraph_legacy/Khagendra01/WRESBAL.csv", "WRESBAL", "1984-01-04", "2024-11-13"),
]
# Full recordings kept byte-identical in the replay snapshot (replay/PROVENANCE.md): (series, rows, blanks) there.
FULL = [("WALCL", 1233, 0), ("DGS10", 16848, 719), ("IORB", 1868, 0), ("WDTGAL", 1238, 0)]


@pytest.mark.parametrize(
    ("rel", "series", "first", "last"),
    RECORDED,
    ids=[f"{r[0].split('/')[2]}-{r[1]}" for r in RECORDED],
)
def test_recorded_fredgraph_files_parse(recorded, rel, series, first, last):
    text = (recorded / rel).read_text()
    frame = parse_fredgraph_csv(text.encode(), series)
    lines = text.splitlines()[1:]
    assert frame.schema == pl.Schema(SCHEMA)
    assert (frame.height, frame["value"].null_count()) == (len(lines), sum(line.endswith(",") for line in lines))
    assert (str(frame["date"].min()), str(frame["date"].max())) == (first, last)
    assert frame["series_id"].unique().to_list() == [series]


@pytest.mark.parametrize(("series", "rows", "blanks"), FULL, ids=[f[0] for f in FULL])
def test_full_recordings_in_the_snapshot_parse(replay_dir, series, rows, blanks):
    frame = parse_fredgraph_csv((replay_dir / f"fred/fredgraph/{series}.csv").read_bytes(), series)
    assert (frame.height, frame["value"].null_count()) == (rows, blanks)
    assert frame["date"].is_sorted() and frame["date"].is_unique().all()


@pytest.mark.parametrize(
    ("rel", "series", "day", "value"),
    [
        ("fred/fredgraph/qie2003/WALCL.csv", "WALCL", "2002-12-18", 719542.0),
        ("fred/fredgraph/sphynxkatt0/WDTGAL.csv", "WDTGAL", "2026-07-22", 835417.0),  # written '835417.0000000000'
        ("fred/fredgraph/qie2003/RRPONTSYD.csv", "RRPONTSYD", "2003-02-10", None),  # blank = missing, never 0
        ("fred/fredgraph/SOFR3/RRPONTSYD.csv", "RRPONTSYD", "2021-06-23", 813.65),
    ],
    ids=["walcl-first", "wdtgal-float-text", "rrp-blank-is-null", "rrp-3-decimals"],
)
def test_recorded_value(recorded, rel, series, day, value):
    frame = parse_fredgraph_csv((recorded / rel).read_bytes(), series)
    assert frame.filter(pl.col("date") == dt.date.fromisoformat(day))["value"].to_list() == [value]


def test_legacy_header_and_dot_missing():
    frame = parse_fredgraph_csv(b"DATE,XSYNTH\n2020-01-01,.\n2020-01-02,1.5\n2020-01-03,\n", "XSYNTH")
    assert frame["value"].to_list() == [None, 1.5, None]


@pytest.mark.parametrize(
    ("fixture", "series", "current", "day"),
    [
        ("WRESBAL_legacy_billions_2021-06_07.csv", "WRESBAL", "fred/fredgraph/SOFR3/WRESBAL.csv", "2021-06-23"),
        ("WTREGEN_legacy_billions_2024-06.csv", "WTREGEN", None, "2024-06-26"),
    ],
    ids=["wresbal", "wtregen"],
)
def test_legacy_files_are_billions_current_are_millions(recorded, fixture, series, current, day):
    legacy = parse_fredgraph_csv((FIXTURES / fixture).read_bytes(), series)
    if current:
        now = parse_fredgraph_csv((recorded / current).read_bytes(), series)
    else:  # WTREGEN's current-units recording is a pandas re-serialisation: read it through the snapshot builder
        rec = replay_fred.read_recording(recorded, "fred/api_reformatted/lihaidong43/WTREGEN.csv", series)
        now = parse_fredgraph_csv(replay_fred.render_fredgraph(series, rec.values).encode(), series)
    when = pl.col("date") == dt.date.fromisoformat(day)
    ratio = now.filter(when)["value"].item() / legacy.filter(when)["value"].item()
    assert ratio == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!DOCTYPE html><html><body>Too many requests</body></html>", "received HTML"),
        (b"  \n", "empty body"),
        (b"observation_date,OTHER\n2020-01-01,1\n", "not the requested"),
        (b"observation_date\n2020-01-01\n", "expected fredgraph header"),
        (b"observation_date,XSYNTH\n2020-01-01,n/a\n", "not parseable"),
        (b"observation_date,XSYNTH\n01/02/2020,1\n", "not parseable"),
    ],
    ids=["html", "empty", "wrong-series", "missing-column", "bad-value", "bad-date"],
)
def test_fredgraph_rejects(payload, message):
    with pytest.raises(ParseError, match=message):
        parse_fredgraph_csv(payload, "XSYNTH")


# Observations shaped like the FRED API answer (FORMATS.md 1d); values copied from the recorded
# fred/fredgraph/qie2003/WALCL.csv rows 2026-07-22 and 2026-07-29; the '.' row is synthetic.
API_OBSERVATIONS = {
    "realtime_start": "2026-08-01",
    "realtime_end": "2026-08-01",
    "units": "lin",
    "count": 3,
    "observations": [
        {"realtime_start": "2026-08-01", "realtime_end": "2026-08-01", "date": "2026-07-15", "value": "."},
        {"realtime_start": "2026-08-01", "realtime_end": "2026-08-01", "date": "2026-07-22", "value": "6747378"},
        {"realtime_start": "2026-08-01", "realtime_end": "2026-08-01", "date": "2026-07-29", "value": "6738190"},
    ],
}


def test_api_observations_match_fredgraph_rows(recorded):
    api = parse_fred_api_observations(json.dumps(API_OBSERVATIONS).encode(), "WALCL")
    csv_rows = parse_fredgraph_csv((recorded / "fred/fredgraph/qie2003/WALCL.csv").read_bytes(), "WALCL")
    assert api["value"][0] is None
    assert_frame_equal(api.slice(1), csv_rows.filter(pl.col("date") >= dt.date(2026, 7, 22)))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"error_code":400,"error_message":"Bad Request.  The series does not exist."}', "series does not exist"),
        (b'{"error_code":400,"error_message":"Bad Request.  Variable api_key is not set."}', "api_key is not set"),
        (b'{"count": 0}', "no 'observations'"),
        (b'{"observations":[{"date":"2026-07-22"}]}', "without 'date' and 'value'"),
        (b"<html>502 Bad Gateway</html>", "received HTML"),
        (b"not json", "not JSON"),
    ],
    ids=["unknown-series", "no-key", "no-observations", "no-value", "html", "not-json"],
)
def test_api_observations_reject(payload, message):
    with pytest.raises(ParseError, match=message):
        parse_fred_api_observations(payload, "WALCL")


def test_series_meta():
    # id/title/units from warehouse/seeds/fred_series.csv, frequency as FORMATS.md 1c quotes the FRED catalog;
    # last_updated is an illustrative timestamp in FRED's format, not a recorded one.
    series = {
        "id": "WALCL",
        "title": "Assets: Total Assets: Total Assets (Less Eliminations from Consolidation): Wednesday Level",
        "units": "Millions of U.S. Dollars",
        "frequency": "Weekly, As of Wednesday",
        "last_updated": "2026-01-01 00:00:00-06",
        "observation_start": "2002-12-18",
    }
    meta = parse_fred_series_meta(json.dumps({"seriess": [series]}).encode())
    assert meta == {k: series[k] for k in ("id", "title", "units", "frequency", "last_updated")}


@pytest.mark.parametrize(
    "payload",
    [b'{"seriess": []}', b'{"seriess": [{"id": "WALCL"}]}', b'{"error_code":400,"error_message":"Bad Request."}'],
    ids=["empty-seriess", "missing-keys", "api-error"],
)
def test_series_meta_rejects(payload):
    with pytest.raises(ParseError):
        parse_fred_series_meta(payload)


# ---------------------------------------------------------------- replay snapshot


@pytest.fixture(scope="module")
def fred_snapshot(recorded, tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("replay")
    return out, replay_fred.build(recorded, out)


def _recorded(recorded: Path, rel: str, series: str) -> pl.DataFrame:
    """A recording parsed independently of the builder: fredgraph via the parser, pandas files via polars; the
    repository's recordings/ (SOFR averages: a FRED API body, one column of a page table, a pandas re-save whose
    float artefacts are rounded to FRED's 5 decimals)."""
    path, _, column = rel.partition("#")
    if path.startswith("recordings/"):
        source = ROOT / path
        if "/fredgraph_" in path:  # a byte-exact fredgraph download committed with qtwatch
            return parse_fredgraph_csv(source.read_bytes(), series)
        if path.endswith(".json"):
            return parse_fred_api_observations(source.read_bytes(), series)
        raw = pl.read_csv(source, null_values=".", infer_schema_length=0)
        values = raw[column or series].cast(pl.Float64).round(8 if series == "SOFRINDEX" else 5)
        return pl.DataFrame({"series_id": series, "date": raw[raw.columns[0]].str.to_date(), "value": values})
    if "/fredgraph/" in rel:
        return parse_fredgraph_csv((recorded / rel).read_bytes(), series)
    raw = pl.read_csv(recorded / rel, new_columns=["date", "value"], schema_overrides=[pl.Date, pl.Float64])
    return raw.select(pl.lit(series).alias("series_id"), "date", "value")


def test_snapshot_covers_the_catalog_without_legacy_files(fred_snapshot):
    out, manifest = fred_snapshot
    served = [s for s in replay_fred.catalog_series() if s not in replay_fred.NOT_RECORDED]
    assert [e["file"] for e in manifest] == [f"fred/fredgraph/{s}.csv" for s in served]
    assert set(served) | set(replay_fred.NOT_RECORDED) == set(replay_fred.catalog_series())
    assert not any("legacy" in path for e in manifest for path in e["recorded_from"])
    assert sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) < 2_000_000


def test_snapshot_round_trips_to_recordings(recorded, fred_snapshot):
    out, manifest = fred_snapshot
    for entry in manifest:
        series = Path(entry["file"]).stem
        written = parse_fredgraph_csv((out / entry["file"]).read_bytes(), series)
        expected = _recorded(recorded, entry["recorded_from"][0], series)
        for rel in entry["recorded_from"][1:]:
            expected = pl.concat([expected, _recorded(recorded, rel, series).join(expected, on="date", how="anti")])
        assert_frame_equal(written, expected.sort("date"), check_dtypes=True)
        assert (entry["rows"], entry["first_date"], entry["last_date"]) == (
            written.height,
            str(written["date"].min()),
            str(written["date"].max()),
        ), series


def test_snapshot_keeps_fredgraph_recordings_byte_identical(recorded, fred_snapshot):
    out, manifest = fred_snapshot
    for entry in manifest:
        best = entry["recorded_from"][0]
        source = ROOT / best if best.startswith("recordings/") else recorded / best
        if ("/fredgraph/" in best or "/fredgraph_" in best) and len(entry["recorded_from"]) == 1:
            assert (out / entry["file"]).read_bytes() == source.read_bytes(), best


def test_snapshot_rewrites_pandas_floats_as_recorded_text(fred_snapshot):
    out, _ = fred_snapshot
    lines = (out / "fred/fredgraph/TREAST.csv").read_text().splitlines()
    assert lines[:2] == ["observation_date,TREAST", "2002-12-18,629397"]  # recorded as '629397.0'
    wresbal = (out / "fred/fredgraph/WRESBAL.csv").read_text().splitlines()
    assert wresbal[1] == "1984-01-04,"  # blank in the recording stays blank


def test_merge_refuses_disagreeing_recordings():
    extra = replay_fred.Recording("synthetic.csv", {"2020-01-01": "2", "2020-01-08": "3"}, reformatted=False)
    assert replay_fred.merge({"2020-01-01": "2.0"}, extra) == ({"2020-01-01": "2.0", "2020-01-08": "3"}, 1)
    with pytest.raises(ValueError, match="disagrees"):
        replay_fred.merge({"2020-01-01": "9"}, extra)


def test_downloads_parsed_together_give_the_rows_of_each_parsed_alone(replay_dir):
    """Every fredgraph recording of the replay snapshot (real downloads), parsed in one pass (parse_fredgraph_many,
    as a keyless FRED fetch does) and one by one."""
    files = sorted((replay_dir / "fred" / "fredgraph").glob("*.csv"))
    payloads = [(p.read_bytes(), p.stem) for p in files]
    assert len(payloads) >= 15
    alone = pl.concat([parse_fredgraph_csv(body, series) for body, series in payloads])
    assert_frame_equal(parse_fredgraph_many(payloads), alone)
    assert parse_fredgraph_many([]).schema == pl.Schema(SCHEMA)


@pytest.mark.parametrize(
    "bad",
    [b"<html>x</html>", b"observation_date,OTHER\n2020-01-01,1\n", b"observation_date,XSYNTH\n2020-01-01,n/a\n"],
    ids=["html", "wrong-series", "bad-value"],
)
def test_one_bad_download_fails_the_downloads_parsed_with_it(replay_dir, bad):
    good = (replay_dir / "fred" / "fredgraph" / "WALCL.csv").read_bytes()
    with pytest.raises(ParseError):
        parse_fredgraph_many([(good, "WALCL"), (bad, "XSYNTH")])
