-- Question: What fired around the last quarter end: which funding stress signals, how severe, and what else the
--   calendar held those days?
-- Grain: one row per business day of marts.funding_calendar from 3 business days before to 2 after the quarter end
--   (default: the last quarter end on or before the last day of marts.funding_daily).
-- Units: spreads in basis points, take-up in USD billions; signals/severity from marts.funding_events (NULL = no
--   signal fired that day; thresholds in transforms/funding_events.py).
-- Parameters: quarter_end DATE (default: the last quarter end with funding data).
WITH qe AS (
    SELECT coalesce(getvariable('quarter_end')::DATE,
                    (SELECT max(date) FROM marts.funding_calendar
                     WHERE is_quarter_end AND date <= (SELECT max(date) FROM marts.funding_daily))) AS day
),
days AS (
    SELECT c.*, row_number() OVER (ORDER BY c.date) AS n FROM marts.funding_calendar c
),
anchor AS (
    SELECT n FROM days, qe WHERE days.date = qe.day
)
SELECT d.date,
       d.date = qe.day AS is_the_quarter_end,
       e.signals,
       e.severity,
       d.sofr_iorb_bp,
       d.sofr_p99_iorb_bp,
       d.srf_takeup_bn,
       s.sofr_tgcr_bp,
       d.on_rrp_bn,
       d.settlement_gross_bn,
       d.is_month_end,
       d.is_tax_date,
       d.is_treasury_settlement
FROM days d
CROSS JOIN qe
CROSS JOIN anchor a
LEFT JOIN marts.funding_events e ON e.date = d.date
LEFT JOIN marts.repo_segments_daily s ON s.date = d.date
WHERE d.n BETWEEN a.n - 3 AND a.n + 2
ORDER BY d.date;
