-- Question: Which single days moved the Treasury General Account the most in 2025 (tax dates, coupon settlements,
--   debt-ceiling cash management), and what was ON RRP doing on those days?
-- Grain: one row per DTS day, the n largest absolute daily TGA changes between start_date and end_date.
-- Units: USD billions. on_rrp_bn = ON RRP take-up the same business day (NULL when no SOFR-day row exists).
-- Parameters: start_date DATE (default 2025-01-01), end_date DATE (default 2025-12-31), n INTEGER (default 15).
SELECT t.date,
       dayname(t.date) AS weekday,
       t.tga_bn,
       t.tga_change_bn,
       f.on_rrp_bn,
       f.is_month_end
FROM marts.tga_daily t
LEFT JOIN marts.funding_daily f USING (date)
WHERE t.date BETWEEN coalesce(getvariable('start_date')::DATE, DATE '2025-01-01')
                 AND coalesce(getvariable('end_date')::DATE, DATE '2025-12-31')
  AND t.tga_change_bn IS NOT NULL
ORDER BY abs(t.tga_change_bn) DESC, t.date
LIMIT coalesce(getvariable('n')::INTEGER, 15);
