-- Question: What was the debt-limit state on a given day, since when, and where is that documented, beside the
--   TGA that day and the quarter's assumed end-of-quarter cash?
-- Grain: one row: the latest DTS day on or before the chosen day (marts.treasury_cash_daily) with its debt-limit
--   event (ref.debt_limit_events).
-- Units: USD billions.
-- Parameters: on_date DATE (default: the latest DTS day held).
SELECT c.date,
       c.tga_bn,
       c.debt_limit_regime,
       c.debt_limit_since,
       e.event,
       e.citation_url,
       c.quarter_end,
       c.assumed_cash_bn
FROM marts.treasury_cash_daily c
LEFT JOIN ref.debt_limit_events e ON e.event_date = c.debt_limit_since
WHERE c.date <= coalesce(getvariable('on_date')::DATE, DATE '9999-12-31')
ORDER BY c.date DESC
LIMIT 1;
