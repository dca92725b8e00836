-- Question: How did the Treasury General Account swing through the 2025 debt-ceiling episode: the drawdown while
--   the limit bound and the rebuild after it was raised in July 2025?
-- Grain: one row per calendar month of Daily Treasury Statement days between start_date and end_date.
-- Units: USD billions (DTS closing balances). month_change_bn = last balance of the month minus the last balance
--   of the previous month in the window (NULL for the first month).
-- Parameters: start_date DATE (default 2025-01-01), end_date DATE (default 2025-10-31).
WITH days AS (
    SELECT *
    FROM marts.tga_daily
    WHERE date BETWEEN coalesce(getvariable('start_date')::DATE, DATE '2025-01-01')
                   AND coalesce(getvariable('end_date')::DATE, DATE '2025-10-31')
),
months AS (
    SELECT date_trunc('month', date)::DATE AS month,
           count(*) AS statement_days,
           arg_min(tga_bn, date) AS first_bn,
           arg_max(tga_bn, date) AS last_bn,
           min(tga_bn) AS low_bn,
           arg_min(date, tga_bn) AS low_on,
           max(tga_bn) AS high_bn,
           arg_max(date, tga_bn) AS high_on,
           max(abs(tga_change_bn)) AS largest_daily_move_bn
    FROM days
    GROUP BY 1
)
SELECT month, statement_days, first_bn, last_bn,
       round(last_bn - lag(last_bn) OVER (ORDER BY month), 1) AS month_change_bn,
       low_bn, low_on, high_bn, high_on, largest_daily_move_bn
FROM months
ORDER BY month;
