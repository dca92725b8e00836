-- Question: How full are primary dealers' balance sheets now compared with April 2025 (the tariff sell-off, when
--   dealers had to absorb Treasury selling)?
-- Grain: one row per FR 2004 as-of Wednesday of marts.dealer_positions_weekly from start_date on, against the
--   average of the reference window (default: the as-of Wednesdays of April 2025).
-- Units: USD billions (net = long minus short, market value); pct_of_reference in percent. `comparable` is false
--   for a week of another series break than the reference (the items changed: compare with care); NULL positions
--   are weeks or items not held (coverage says which), never zero.
-- Parameters: ref_start DATE (default 2025-04-01), ref_end DATE (default 2025-04-30), start_date DATE (default
--   2025-03-01).
WITH ref AS (
    SELECT avg(net_total_bn) AS ref_total_bn, max(net_total_bn) AS ref_peak_bn, any_value(series_break) AS ref_era
    FROM marts.dealer_positions_weekly
    WHERE as_of_date BETWEEN coalesce(getvariable('ref_start')::DATE, DATE '2025-04-01')
                         AND coalesce(getvariable('ref_end')::DATE, DATE '2025-04-30')
)
SELECT d.as_of_date,
       d.series_break,
       d.net_total_bn,
       round(ref.ref_total_bn, 3) AS reference_avg_bn,
       round(d.net_total_bn - ref.ref_total_bn, 3) AS vs_reference_bn,
       round(100 * d.net_total_bn / ref.ref_total_bn, 1) AS pct_of_reference,
       d.net_total_bn > ref.ref_peak_bn AS above_reference_peak,
       d.net_bills_bn,
       d.net_coupons_bn,
       d.net_tips_bn,
       d.net_frn_bn,
       d.repo_bn,
       d.fails_total_bn,
       d.net_total_wow_bn,
       d.series_break = ref.ref_era AS comparable,
       d.coverage
FROM marts.dealer_positions_weekly d, ref
WHERE d.as_of_date >= coalesce(getvariable('start_date')::DATE, DATE '2025-03-01')
ORDER BY d.as_of_date;
