-- Question: Did Treasury's cash (the TGA) end each quarter where its refunding estimate assumed, and what was the
--   debt-limit regime then?
-- Grain: one row per quarter whose last DTS day is held and whose assumption is reviewed
--   (marts.treasury_cash_daily rows with is_quarter_end).
-- Units: USD billions; gap_to_assumption_bn = tga_bn - assumed_cash_bn (positive: more cash than assumed, reserves
--   drained more); reported_cash_bn is Treasury's own later figure (rounded to $1bn).
-- Parameters: none.
SELECT c.quarter_end,
       c.date AS last_dts_day,
       c.tga_bn,
       c.assumed_cash_bn,
       round(c.gap_to_assumption_bn, 3) AS gap_to_assumption_bn,
       c.reported_cash_bn,
       a.borrowing_estimate_bn,
       c.debt_limit_regime,
       a.citation_url
FROM marts.treasury_cash_daily c
JOIN ref.treasury_cash_assumptions a USING (quarter_end)
WHERE c.is_quarter_end
ORDER BY c.quarter_end;
