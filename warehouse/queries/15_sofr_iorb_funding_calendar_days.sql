-- Question: Are SOFR - IORB spreads wider on Treasury settlement days, tax dates and quarter ends than on other
--   business days, year by year?
-- Grain: one row per calendar year x day type of marts.funding_calendar from start_date on. A day counts under every
--   type it has (2025-09-15 is a tax date and a coupon settlement day); "other" = none of the three.
-- Units: spreads in basis points (wider_than_other_bp = avg_sofr_iorb_bp - the same year's "other" average);
--   srf_takeup_bn and settlement_net_bn in USD billions; share_sofr_above_iorb a fraction of days.
-- Parameters: start_date DATE (default 2022-01-01).
WITH days AS (
    SELECT *
    FROM marts.funding_calendar
    WHERE date >= coalesce(getvariable('start_date')::DATE, DATE '2022-01-01')
      AND sofr_iorb_bp IS NOT NULL
),
typed AS (
    SELECT year(date) AS year, 1 AS day_order, * FROM days WHERE is_treasury_settlement
    UNION ALL SELECT year(date), 2, * FROM days WHERE is_tax_date
    UNION ALL SELECT year(date), 3, * FROM days WHERE is_quarter_end
    UNION ALL SELECT year(date), 4, * FROM days
        WHERE NOT (is_treasury_settlement OR is_tax_date OR is_quarter_end)
),
summary AS (
    SELECT year, day_order,
           count(*) AS days,
           round(avg(sofr_iorb_bp), 2) AS avg_sofr_iorb_bp,
           max(sofr_iorb_bp) AS max_sofr_iorb_bp,
           round(avg((sofr_iorb_bp > 0)::INTEGER), 3) AS share_sofr_above_iorb,
           round(avg(srf_takeup_bn), 3) AS avg_srf_takeup_bn,
           round(avg(settlement_net_bn), 1) AS avg_settlement_net_bn
    FROM typed
    GROUP BY year, day_order
)
SELECT year,
       ['treasury settlement', 'tax date', 'quarter-end', 'other'][day_order] AS day_type,
       days, avg_sofr_iorb_bp,
       round(avg_sofr_iorb_bp - max(avg_sofr_iorb_bp) FILTER (WHERE day_order = 4) OVER (PARTITION BY year), 2)
           AS wider_than_other_bp,
       max_sofr_iorb_bp, share_sofr_above_iorb, avg_srf_takeup_bn, avg_settlement_net_bn
FROM summary
ORDER BY year, day_order;
