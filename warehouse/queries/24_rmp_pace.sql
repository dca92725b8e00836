-- Question: Are reserve-management purchases on pace: how much did the Fed's securities grow over each announced
--   round's own window, against the amount announced?
-- Grain: one row per RMP round of marts.rmp_rounds (ref.rmp_rounds), in order.
-- Units: USD billions; attainment = securities_growth_bn / amount_bn (NULL where no amount is reviewed).
--   Measured between H.4.1 Wednesday levels (start_wednesday, end_wednesday); bills_growth_bn also carries the
--   reinvestment of agency principal into bills.
-- Parameters: none.
SELECT round,
       window_from,
       window_to,
       amount_bn,
       amount_basis,
       status,
       start_wednesday,
       end_wednesday,
       round(securities_growth_bn, 3) AS securities_growth_bn,
       round(bills_growth_bn, 3) AS bills_growth_bn,
       round(treasury_growth_bn, 3) AS treasury_growth_bn,
       round(mbs_change_bn, 3) AS mbs_change_bn,
       round(attainment, 3) AS attainment,
       citation_url
FROM marts.rmp_rounds
ORDER BY window_from;
