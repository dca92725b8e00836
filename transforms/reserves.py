"""Reserves the way the H.4.1 reads them: Wednesday levels and the week's factors (marts.reserves_weekly).

Grain: one row per H.4.1 Wednesday (the WALCL dates); amounts in $ billions, all Wednesday levels of one release
(table 1 "Factors Affecting Reserve Balances", Wednesday column). The H.4.1 identity is
    reserve balances (WRBWFRBL) = total factors supplying reserve funds (WTFSRFL)
                                  - total factors, other than reserve balances, absorbing reserve funds (WTFORBAFL)
and holds to FRED's rounding ($1 million per published line). Supplying factors are split into securities held
outright (WSHOSHO), repurchase agreements (WORAL: the Standing Repo Facility and foreign official repo), loans
(WLCFLL) and "other supplying" (the rest of the total: unamortized premiums and discounts, float, central bank
liquidity swaps, other Federal Reserve assets, gold, SDRs, Treasury currency); absorbing factors into currency in
circulation (WCICL), reverse repos with foreign official accounts (WLRRAFOIAL) and with others (WLRRAOL, mostly the
ON RRP facility), the TGA (WDTGAL) and "other absorbing" (other deposits, Treasury cash holdings, other liabilities
and capital). "Other" lines are residuals of the published totals, so the split adds up exactly.

The week's change of reserves is attributed to each factor: a supplying factor's change adds to reserves, an
absorbing factor's change subtracts; the contributions sum to the change of reserves (to rounding). A week whose
inputs (or the previous week's) are missing keeps NULLs and names what is missing in `missing_inputs`: a figure is
never computed from part of its inputs.
"""

import datetime as dt

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = (
    "WALCL",
    "WRBWFRBL",
    "WTFSRFL",
    "WTFORBAFL",
    "WSHOBL",
    "WSHONBNL",
    "WSHONBIIL",
    "WSHOICL",
    "WSHOMCB",
    "WSHOSHO",
    "WORAL",
    "WLCFLL",
    "WCICL",
    "WDTGAL",
    "WLRRAFOIAL",
    "WLRRAOL",
)

WEEK = dt.timedelta(weeks=1)
# Level columns and the FRED series each is read from (all H.4.1 Wednesday levels, catalog unit $ millions).
LEVELS: dict[str, str] = {
    "reserves_bn": "WRBWFRBL",
    "factors_supplying_bn": "WTFSRFL",
    "factors_absorbing_bn": "WTFORBAFL",
    "securities_bn": "WSHOSHO",
    "bills_bn": "WSHOBL",
    "notes_bonds_bn": "WSHONBNL",
    "tips_bn": "WSHONBIIL",
    "tips_inflation_comp_bn": "WSHOICL",
    "mbs_bn": "WSHOMCB",
    "repo_bn": "WORAL",
    "loans_bn": "WLCFLL",
    "currency_bn": "WCICL",
    "reverse_repo_foreign_bn": "WLRRAFOIAL",
    "reverse_repo_others_bn": "WLRRAOL",
    "tga_bn": "WDTGAL",
}
# Inputs of the identity and the attribution (the securities split by kind is shown, not needed for the sums).
ATTRIBUTION_INPUTS = (
    "reserves_bn",
    "factors_supplying_bn",
    "factors_absorbing_bn",
    "securities_bn",
    "repo_bn",
    "loans_bn",
    "currency_bn",
    "reverse_repo_foreign_bn",
    "reverse_repo_others_bn",
    "tga_bn",
)
# Contribution of each factor to the week's change of reserves: +1 supplying, -1 absorbing.
FACTORS: dict[str, int] = {
    "securities_bn": 1,
    "repo_bn": 1,
    "loans_bn": 1,
    "other_supplying_bn": 1,
    "currency_bn": -1,
    "reverse_repo_foreign_bn": -1,
    "reverse_repo_others_bn": -1,
    "tga_bn": -1,
    "other_absorbing_bn": -1,
}


def contribution_column(level: str) -> str:
    """`securities_bn` -> `securities_contrib_bn`: that factor's contribution to the week's change of reserves."""
    return level.removesuffix("_bn") + "_contrib_bn"


SCHEMA: SchemaDict = {
    "week": pl.Date,
    **{col: pl.Float64 for col in LEVELS},
    "other_supplying_bn": pl.Float64,
    "other_absorbing_bn": pl.Float64,
    "identity_residual_bn": pl.Float64,
    "reserves_change_bn": pl.Float64,
    **{contribution_column(col): pl.Float64 for col in FACTORS},
    "missing_inputs": pl.Utf8,
}


def weekly_levels(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """WALCL Wednesdays with every factor line of the same date (null where a series lacks that date)."""
    weeks = select_series(fred_bn, "WALCL", "_walcl").rename({"date": "week"}).drop("_walcl")
    for column, series in LEVELS.items():
        weeks = weeks.join(select_series(fred_bn, series, column).rename({"date": "week"}), on="week", how="left")
    return weeks.sort("week")


def add_residual_lines(weekly: pl.DataFrame) -> pl.DataFrame:
    """other_supplying/other_absorbing as residuals of the published totals; the identity's residual."""
    supplying_named = pl.col("securities_bn") + pl.col("repo_bn") + pl.col("loans_bn")
    absorbing_named = (
        pl.col("currency_bn") + pl.col("reverse_repo_foreign_bn") + pl.col("reverse_repo_others_bn") + pl.col("tga_bn")
    )
    return weekly.with_columns(
        (pl.col("factors_supplying_bn") - supplying_named).alias("other_supplying_bn"),
        (pl.col("factors_absorbing_bn") - absorbing_named).alias("other_absorbing_bn"),
        (pl.col("reserves_bn") - (pl.col("factors_supplying_bn") - pl.col("factors_absorbing_bn"))).alias(
            "identity_residual_bn"
        ),
    )


def add_attribution(weekly: pl.DataFrame) -> pl.DataFrame:
    """reserves_change_bn and each factor's signed change against the row dated 7 days earlier."""
    columns = ["reserves_bn", *FACTORS]
    earlier = weekly.select((pl.col("week") + WEEK).alias("week"), *(pl.col(c).alias(f"_prev_{c}") for c in columns))
    joined = weekly.join(earlier, on="week", how="left")
    return joined.with_columns(
        (pl.col("reserves_bn") - pl.col("_prev_reserves_bn")).alias("reserves_change_bn"),
        *((sign * (pl.col(c) - pl.col(f"_prev_{c}"))).alias(contribution_column(c)) for c, sign in FACTORS.items()),
    ).drop(f"_prev_{c}" for c in columns)


def add_missing_inputs(weekly: pl.DataFrame) -> pl.DataFrame:
    """missing_inputs: the FRED series lacking this week or the week before (NULL when the week is complete)."""
    previous = weekly.select(
        (pl.col("week") + WEEK).alias("week"),
        pl.lit(True).alias("_has_prev"),
        *(pl.col(c).is_null().alias(f"_prev_null_{c}") for c in ATTRIBUTION_INPUTS),
    )
    joined = weekly.join(previous, on="week", how="left")
    names = [
        pl.when(pl.col(c).is_null())
        .then(pl.lit(LEVELS[c]))
        .when(pl.col(f"_prev_null_{c}"))
        .then(pl.lit(f"{LEVELS[c]} (previous week)"))
        for c in ATTRIBUTION_INPUTS
    ]
    no_prev = pl.when(pl.col("_has_prev").is_null()).then(pl.lit("previous week not held"))
    listed = pl.concat_str([*names, no_prev], separator=", ", ignore_nulls=True)
    return joined.with_columns(pl.when(listed == "").then(None).otherwise(listed).alias("missing_inputs")).drop(
        "_has_prev", *(f"_prev_null_{c}" for c in ATTRIBUTION_INPUTS)
    )


def build_reserves_weekly(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """marts.reserves_weekly: one row per H.4.1 Wednesday, factor levels and the week's attribution, $ billions."""
    return (
        fred_bn.pipe(weekly_levels)
        .pipe(add_residual_lines)
        .pipe(add_attribution)
        .pipe(add_missing_inputs)
        .sort("week")
        .pipe(conform, SCHEMA)
    )
