-- Question: On each month end since start_date, how far did SOFR (and its 99th percentile) trade above IORB, how
--   much did it jump from the day before, and did banks use the Standing Repo Facility?
-- Grain: one row per month-end business day (marts.funding_daily.is_month_end) from start_date on.
-- Units: rates percent, spreads basis points, amounts USD billions. jump_bp = sofr_iorb_bp minus the previous
--   business day's. Percentiles come from NY Fed data and are NULL where it is not loaded.
-- Parameters: start_date DATE (default 2024-01-01).
WITH days AS (
    SELECT *, sofr_iorb_bp - lag(sofr_iorb_bp) OVER (ORDER BY date) AS jump_bp
    FROM marts.funding_daily
)
SELECT date,
       is_quarter_end,
       sofr_pct,
       iorb_pct,
       sofr_iorb_bp,
       jump_bp,
       sofr_p99_iorb_bp,
       tgcr_iorb_bp,
       srf_takeup_bn,
       on_rrp_bn,
       stress_flag
FROM days
WHERE is_month_end
  AND date >= coalesce(getvariable('start_date')::DATE, DATE '2024-01-01')
ORDER BY date;
