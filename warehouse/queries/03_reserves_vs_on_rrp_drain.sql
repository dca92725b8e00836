-- Question: As QT2 shrank the Fed's balance sheet, how much of the shrinkage came out of the ON RRP facility and
--   how much out of bank reserves (and the TGA)?
-- Grain: one row per calendar month: its last H.4.1 Wednesday in marts.liquidity_weekly, from start_week on.
-- Units: USD billions. *_chg_bn = change since the first row (start_week's month). on_rrp_share_of_shrink =
--   fall in ON RRP / fall in total assets (fraction). reserves_bn is a WEEK AVERAGE (WRESBAL), the others are
--   Wednesday levels: compare the trends, do not add them up.
-- Parameters: start_week DATE (default 2022-06-01).
WITH month_end AS (
    SELECT *
    FROM marts.liquidity_weekly
    WHERE week >= coalesce(getvariable('start_week')::DATE, DATE '2022-06-01')
    QUALIFY row_number() OVER (PARTITION BY date_trunc('month', week) ORDER BY week DESC) = 1
),
base AS (
    SELECT * FROM month_end ORDER BY week LIMIT 1
)
SELECT m.week,
       m.total_assets_bn,
       m.reserves_bn,
       m.on_rrp_bn,
       m.tga_bn,
       round(m.total_assets_bn - b.total_assets_bn, 1) AS total_assets_chg_bn,
       round(m.reserves_bn - b.reserves_bn, 1) AS reserves_chg_bn,
       round(m.on_rrp_bn - b.on_rrp_bn, 1) AS on_rrp_chg_bn,
       round(m.tga_bn - b.tga_bn, 1) AS tga_chg_bn,
       round((m.on_rrp_bn - b.on_rrp_bn) / nullif(m.total_assets_bn - b.total_assets_bn, 0), 3)
           AS on_rrp_share_of_shrink
FROM month_end m
CROSS JOIN base b
ORDER BY m.week;
