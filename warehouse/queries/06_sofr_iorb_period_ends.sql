-- Question: Is repo pressure (SOFR above IORB) concentrated on month and quarter ends, and how has that changed
--   year by year?
-- Grain: one row per calendar year x day type (quarter-end, month-end (not quarter-end), other business day) of
--   marts.funding_daily from start_date on.
-- Units: spreads in basis points; srf_takeup_bn in USD billions; share_sofr_above_iorb is a fraction of days.
-- Parameters: start_date DATE (default 2022-01-01).
WITH days AS (
    SELECT year(date) AS year,
           CASE WHEN is_quarter_end THEN 1 WHEN is_month_end THEN 2 ELSE 3 END AS day_order,
           sofr_iorb_bp,
           srf_takeup_bn
    FROM marts.funding_daily
    WHERE date >= coalesce(getvariable('start_date')::DATE, DATE '2022-01-01')
      AND sofr_iorb_bp IS NOT NULL
)
SELECT year,
       ['quarter-end', 'month-end', 'other'][day_order] AS day_type,
       count(*) AS days,
       round(avg(sofr_iorb_bp), 2) AS avg_sofr_iorb_bp,
       max(sofr_iorb_bp) AS max_sofr_iorb_bp,
       round(avg((sofr_iorb_bp > 0)::INTEGER), 3) AS share_sofr_above_iorb,
       round(avg(srf_takeup_bn), 3) AS avg_srf_takeup_bn
FROM days
GROUP BY year, day_order
ORDER BY year, day_order;
