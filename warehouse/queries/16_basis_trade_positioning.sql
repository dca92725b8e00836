-- Question: How did leveraged funds' Treasury-futures net shorts (the basis trade's futures leg) move week by week
--   through a stress episode, tenor by tenor, and how tight was repo those weeks?
-- Grain: one row per report week of marts.basis_weekly between start_date and end_date (default: the April 2025
--   tariff sell-off, 2025-03-25 .. 2025-05-06), tenors side by side.
-- Units: net notionals in USD billions (negative = net short); pctile_total 0..1 since 2017 (0 = largest short);
--   spreads in basis points; srf_takeup_sum_bn USD billions.
-- Parameters: start_date DATE (default 2025-03-25), end_date DATE (default 2025-05-06).
-- Caveat: weeks the CFTC recording lacks are rows with NULL positions (coverage says so) and are counted in
--   weeks_missing_in_range; pctile_total ranks against the weeks held since 2017 only (the bundled snapshot lacks
--   2020-12, 2023-10..12, 2024-06..12 and 2025-05-06..2025-12-30: `qtwatch status` lists them), so a "largest short
--   since 2017" read from it ignores those weeks.
SELECT report_date,
       max(lev_net_notional_bn) FILTER (WHERE tenor = 'total') AS lev_net_total_bn,
       max(lev_net_notional_wow_bn) FILTER (WHERE tenor = 'total') AS lev_net_total_wow_bn,
       round(max(lev_net_pctile_since_2017) FILTER (WHERE tenor = 'total'), 4) AS pctile_total,
       max(lev_net_notional_bn) FILTER (WHERE tenor = '2y') AS lev_net_2y_bn,
       max(lev_net_notional_bn) FILTER (WHERE tenor = '5y') AS lev_net_5y_bn,
       max(lev_net_notional_bn) FILTER (WHERE tenor = '10y') AS lev_net_10y_bn,
       max(lev_net_notional_bn) FILTER (WHERE tenor = 'ultra_10y') AS lev_net_ultra_10y_bn,
       max(lev_net_notional_bn) FILTER (WHERE tenor = 'bond') AS lev_net_bond_bn,
       max(lev_net_notional_bn) FILTER (WHERE tenor = 'ultra_bond') AS lev_net_ultra_bond_bn,
       max(am_net_notional_bn) FILTER (WHERE tenor = 'total') AS am_net_total_bn,
       max(sofr_iorb_avg_bp) AS sofr_iorb_avg_bp,
       max(sofr_iorb_max_bp) AS sofr_iorb_max_bp,
       max(srf_takeup_sum_bn) AS srf_takeup_sum_bn,
       bool_or(stress_flag) AS any_stress_flag,
       max(coverage) FILTER (WHERE tenor = 'total') AS coverage,
       -- report weeks of the whole range without positions (a hole in the CFTC data): a move or a peak read across
       -- the range is only as complete as this says
       sum((max(lev_net_notional_bn) FILTER (WHERE tenor = 'total') IS NULL)::INTEGER) OVER ()
           AS weeks_missing_in_range
FROM marts.basis_weekly
WHERE report_date BETWEEN coalesce(getvariable('start_date')::DATE, DATE '2025-03-25')
                      AND coalesce(getvariable('end_date')::DATE, DATE '2025-05-06')
GROUP BY report_date
ORDER BY report_date;
