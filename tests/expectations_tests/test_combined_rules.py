"""The multi-column rules (rules.numeric_all & co.) fail exactly as the per-column rules they replace, by name.

Every batch here is SYNTHETIC: a few literal rows labelled by what is wrong with each column. Each case runs the old
per-column rules and the new combined rule through GX on the same batch and compares the failure names."""

from datetime import date

import great_expectations as gx
import polars as pl
import pytest
from great_expectations.data_context.types.base import ProgressBarsConfig

from expectations import combined, rules, runner

NAN = float("nan")
# SYNTHETIC: four rows; the comment on each column says what a check should find in it.
BATCH = pl.DataFrame(
    {
        "fine": [1.0, 2.0, 3.0, 4.0],  # numeric, in range, no nulls
        "negative": [1.0, -2.0, 3.0, 4.0],  # one value below 0
        "with_null": pl.Series([1, None, 3, 4], dtype=pl.Int64),  # a null (int -> float64 in pandas: numeric)
        "with_nan": [1.0, NAN, 3.0, 4.0],  # NaN: null for pandas, skipped by ranges
        "percent_out": [50.0, 160.0, None, 100.0],  # one value above 100
        "as_text": ["1", "x", None, None],  # numbers that arrived as text
        "all_null_text": pl.Series([None, None, None, None], dtype=pl.Utf8),  # text dtype (pandas: str), no value
        "all_null": pl.Series([None, None, None, None], dtype=pl.Null),  # no dtype at all (pandas: object)
        "day": [date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 4), date(2024, 1, 5)],  # a real date column
        "day_as_text": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],  # dates that arrived as text
        "flag": [True, False, True, None],  # a Boolean with a null
    }
)
COLUMNS = list(BATCH.columns)


@pytest.fixture(scope="module")
def source():
    """An ephemeral GX pandas source (progress bars off)."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context.data_sources.add_pandas("combined_rules_test")


def failures(source, expectations: list, frame: pl.DataFrame, name: str) -> list[str]:
    """Failure names of `expectations` on `frame`, prepared and named as the runner does."""
    suite = rules.suite(name, expectations)
    batch = combined.add_check_columns(frame, rules.combined_specs(suite.expectations))
    definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
    result = definition.get_batch(batch_parameters={"dataframe": batch.to_pandas()}).validate(
        suite, result_format=runner.RESULT_FORMAT
    )
    return [n for r in result.results if not r.success for n in runner.failed_names(r, batch)]


CASES = [
    (
        "numeric",
        lambda cs: rules.numeric(cs),
        lambda cs: rules.numeric_all(cs),
        {"as_text: numeric", "all_null_text: numeric", "day: numeric", "day_as_text: numeric", "flag: numeric"},
    ),
    (
        "dates",
        lambda cs: rules.dates(cs),
        lambda cs: rules.dates_all(cs),
        {f"{c}: date" for c in COLUMNS if c not in ("day", "all_null")},
    ),
    (
        "not-null",
        lambda cs: rules.not_null(cs),
        lambda cs: rules.not_null_all(cs),
        {
            "with_null: not null",
            "with_nan: not null",
            "percent_out: not null",
            "as_text: not null",
            "all_null_text: not null",
            "all_null: not null",
            "flag: not null",
        },
    ),
    (
        "at-least",
        lambda cs: rules.at_least(cs, 0),
        lambda cs: rules.at_least_all(cs, 0),
        {"negative: >= 0", "as_text: >= 0", "day: >= 0", "day_as_text: >= 0"},
    ),
    (
        "between",
        lambda cs: [rules.between(c, 0, 100) for c in cs],
        lambda cs: rules.between_all(cs, 0, 100),
        {
            "negative: in [0, 100]",
            "percent_out: in [0, 100]",
            "as_text: in [0, 100]",
            "day: in [0, 100]",
            "day_as_text: in [0, 100]",
        },
    ),
]


@pytest.mark.parametrize(("kind", "per_column", "combined_rule", "expected"), CASES, ids=[c[0] for c in CASES])
def test_combined_rule_fails_like_the_per_column_rules(source, kind, per_column, combined_rule, expected) -> None:
    old = failures(source, per_column(COLUMNS), BATCH, f"old_{kind}")
    new = failures(source, [combined_rule(COLUMNS)], BATCH, f"new_{kind}")
    assert set(old) == expected
    assert sorted(new) == sorted(old)
    assert new == sorted(new, key=lambda n: COLUMNS.index(n.split(":")[0]))  # in the listed columns' order


def test_a_passing_batch_passes_every_combined_rule(source) -> None:
    fine = BATCH.select("fine", "day")
    assert (
        failures(
            source,
            [
                rules.numeric_all(["fine"]),
                rules.dates_all(["day"]),
                rules.not_null_all(["fine", "day"]),
                rules.between_all(["fine"], 0, 100),
            ],
            fine,
            "all_fine",
        )
        == []
    )


@pytest.mark.parametrize(
    ("make", "good"),
    [
        (rules.numeric_all, "fine"),
        (rules.dates_all, "day"),
        (rules.not_null_all, "fine"),
        (lambda cs: rules.at_least_all(cs, 0), "fine"),
        (lambda cs: rules.between_all(cs, 0, 100), "fine"),
    ],
    ids=["numeric", "dates", "not-null", "at-least", "between"],
)
def test_a_missing_column_reads_present_and_fails_its_rule(source, make, good) -> None:
    rule = make([good, "gone"])
    names = failures(
        source, [rules.columns_present([good, "gone"]), rule], BATCH.select(good), f"missing_{rule.column}"
    )
    assert names[0] == "gone: present"
    # The per-column rule on a missing column failed too (GX cannot find it): so does its combined form, by name.
    assert names[1:] == [name for column, name, *_ in rule.meta[rules.NAMES][combined.ENTRIES] if column == "gone"]


def test_the_check_column_counts_failing_columns_per_row() -> None:
    spec = rules.combined_specs([rules.between_all(["negative", "percent_out", "with_nan"], 0, 100)])[0]
    counted = combined.add_check_columns(BATCH, [spec])[spec[combined.CHECK]]
    assert counted.to_list() == [0, 2, 0, 0]  # row 2: -2.0 and 160.0; NaN and null are skipped


def test_two_rules_on_different_columns_get_different_check_columns() -> None:
    checks = {
        rules.at_least_all(["a", "b"], 0).column,
        rules.at_least_all(["a", "c"], 0).column,
        rules.between_all(["a", "b"], 0, None).column,
        rules.not_null_all(["a", "b"]).column,
    }
    assert len(checks) == 4


def test_ranges_keep_every_band_of_a_column_in_one_rule(source) -> None:
    old = [
        *rules.at_least(["negative", "fine"], 0),
        rules.between("negative", 0, 100),
        rules.between("percent_out", 0, 100),
    ]
    merged = rules.ranges(
        rules.at_least_all(["negative", "fine"], 0), rules.between_all(["negative", "percent_out"], 0, 100)
    )
    new = failures(source, [merged], BATCH, "ranges_new")
    assert new == ["negative: >= 0", "negative: in [0, 100]", "percent_out: in [0, 100]"]
    assert sorted(failures(source, old, BATCH, "ranges_old")) == sorted(new)


def test_ranges_refuse_a_rule_that_is_not_a_range() -> None:
    with pytest.raises(ValueError, match="at_least_all / between_all"):
        rules.ranges(rules.numeric_all(["fine"]))


# SYNTHETIC: three rows of pairs that must be ordered (lower <= upper); comments say which row breaks which pair.
PAIRS = pl.DataFrame(
    {
        "accepted": [1.0, 5.0, None],  # row 2: more accepted than submitted; row 3: null, skipped
        "submitted": [2.0, 4.0, 1.0],
        "low_nan": [NAN, 1.0, 1.0],  # NaN, skipped (pandas reads it as missing)
        "high_int": pl.Series([0, 2, 3], dtype=pl.Int64),
        "issued": [date(2024, 1, 2), date(2024, 1, 9), date(2024, 1, 9)],
        "matures": [date(2024, 2, 1), date(2024, 1, 2), None],  # row 2: matures before it is issued
        "matures_text": ["2024-02-01", None, None],  # a date that arrived as text: not comparable with a date
        "quarter_end": [True, False, True],  # row 3: a quarter end that is no month end
        "month_end": [True, False, False],
    }
)
ORDER_PAIRS = [
    ("accepted", "submitted"),
    ("low_nan", "high_int"),
    ("issued", "matures"),
    ("issued", "matures_text"),
    ("quarter_end", "month_end", "quarter_end: implies month_end"),
    ("issued", "gone"),
]


def test_in_order_fails_like_the_per_pair_rules(source) -> None:
    old = failures(source, [rules.ordered(*p) for p in ORDER_PAIRS], PAIRS, "orders_old")
    new = failures(source, [rules.in_order(ORDER_PAIRS)], PAIRS, "orders_new")
    assert new == [
        "accepted <= submitted",
        "issued <= matures",
        "issued <= matures_text",
        "quarter_end: implies month_end",
        "issued <= gone",
    ]
    assert sorted(old) == sorted(new)


def test_ranges_take_a_plain_between_rule_by_its_own_name(source) -> None:
    from expectations.marts import identity

    residual = identity("negative", "negative = its own reconstruction", 1.5)  # within +-1.5; row 2 is -2.0
    merged = rules.ranges(residual, rules.between_all(["fine"], 0, 10))
    assert failures(source, [merged], BATCH, "ranges_plain") == ["negative = its own reconstruction (+-1.5)"]
    assert failures(source, [residual], BATCH, "ranges_plain_old") == ["negative = its own reconstruction (+-1.5)"]
    with pytest.raises(ValueError, match="unconditional between"):
        rules.ranges(rules.between("fine", 0, 1, when=("flag", "x")))


def test_a_check_polars_cannot_compute_fails_by_the_rules_name(source, monkeypatch) -> None:
    rule = rules.between_all(["fine"], 0, 10)
    spec = rules.combined_specs([rule])[0]
    # Stand-in for a batch polars cannot compute a flag on (date + text raises InvalidOperationError).
    monkeypatch.setattr(combined, "flags", lambda spec, frame: [("fine: in [0, 10]", (pl.col("day") + "x") == 1)])
    checked = combined.add_check_columns(BATCH, [spec])  # no exception: every row counts as failing
    assert checked[spec[combined.CHECK]].to_list() == [1, 1, 1, 1]
    assert failures(source, [rule], BATCH, "no_crash") == [rule.description]
