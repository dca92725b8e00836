"""The benchmark's own arithmetic: the synthetic scale-up, interval unions and the stage table."""

from benchmarks import bench, probe, synth

# Synthetic fredgraph CSV (literal, labelled): two Wednesdays and a blank (missing) value.
CSV = "observation_date,WALCL\n2024-01-03,100\n2024-01-10,\n2024-01-17,300\n"


def test_shifted_copy_moves_dates_back_whole_weeks_and_scales_values() -> None:
    out = synth.shifted_csv(CSV, "SYNTH_WALCL_2", 2)
    assert out.splitlines() == ["observation_date,SYNTH_WALCL_2", "2023-12-20,101", "2023-12-27,", "2024-01-03,303"]


def test_copies_bring_the_snapshot_to_the_factor() -> None:
    assert synth.copies_for(1, 80_000, 60_000) == 0
    assert synth.copies_for(4, 80_000, 60_000) == 4  # 80k + 4 x 60k = 320k = x4
    assert synth.copies_for(16, 80_000, 60_000) == 20


def test_union_counts_overlapping_intervals_once() -> None:
    assert probe._union([(0.0, 2.0), (1.0, 3.0), (5.0, 6.0), (5.5, 5.8)]) == 4.0


def test_stage_medians_split_the_run_into_engine_stages_and_rest() -> None:
    marks = {"flow_called": 1.0, "body_start": 3.0, "body_end": 7.0, "flow_returned": 7.5}
    sample = bench.Sample(8.0, 4.0, 100.0, 150.0, {"marks": marks, "stages": {"validate": 1.5, "land": 0.5}})
    stages = bench.stage_medians([sample])
    assert stages["python + imports (before the flow starts)"] == 1.0
    assert stages["Prefect engine start (server, flow run)"] == 2.0
    assert stages["validate"] == 1.5 and stages["flow body, other"] == 2.0
    assert stages["CLI summary + exit (temporary server stop)"] == 0.5
    assert sum(stages.values()) == 8.0


def test_the_scale_up_builds_on_the_bundled_snapshot(tmp_path) -> None:
    """Every synthetic series copies a recorded one (the catalog also lists series the snapshot does not record)."""
    built = synth.build(2, tmp_path / "x2")
    copied = {p.stem for p in (built.replay_dir / "fred/fredgraph").glob(f"{synth.PREFIX}*.csv")}
    assert built.synthetic_series == len(copied) > 0 and built.synthetic_rows > 0


def test_targets_say_met_or_not_per_scale_the_run_reached() -> None:
    """SYNTHETIC medians (labelled): x16 meets the wall ratio and misses the backfill memory; no x64 in this run."""
    x16 = {
        "next_seconds_vs_x1": 1.1,
        "next_peak_mb_vs_x1": 1.2,
        "peak_rss_mb": 1500,
        "next_share_of_backfill_beyond_trivial": 0.3,
    }
    lines = bench.targets({"x1": {}, "x16": x16})
    assert "- x16 next day wall / x1: 1.1 (target <= 1.15): met" in lines
    assert "- x16 next day peak RSS / x1: 1.2 (target <= 1.15): NOT met" in lines
    assert "- x16 backfill peak RSS (MB): 1500 (target <= 1024): NOT met" in lines
    assert len(lines) == 4 and not any("x64" in line for line in lines)
