-- Question: How much did the Fed's Treasury and agency MBS holdings run off each month against the FOMC caps in
--   force, from the start of QT2 (June 2022) to its end (November 2025)?
-- Grain: one row per calendar month (marts.qt_runoff_monthly) from start_month to end_month.
-- Units: USD billions; *_attainment = runoff / cap (fraction, 1.0 = cap met; NULL without a cap).
-- Parameters: start_month DATE (default 2022-06-01), end_month DATE (default 2025-12-01).
--   qtwatch sql -f qt_runoff_vs_cap --param start_month=2024-01-01
--   DuckDB shell: SET VARIABLE start_month = DATE '2024-01-01';
-- Read: Treasury attainment slightly below 1 is TIPS accretion; MBS attainment far below 1 is the finding that
--   paydowns never reached the cap. December 2025 on: runoff ended, the negative "runoff" is reinvestment.
SELECT month,
       regime,
       ust_runoff_bn,
       ust_cap_bn,
       round(ust_cap_attainment, 3) AS ust_cap_attainment,
       mbs_runoff_bn,
       mbs_cap_bn,
       round(mbs_cap_attainment, 3) AS mbs_cap_attainment,
       total_runoff_bn,
       cumulative_runoff_bn
FROM marts.qt_runoff_monthly
WHERE month BETWEEN coalesce(getvariable('start_month')::DATE, DATE '2022-06-01')
                AND coalesce(getvariable('end_month')::DATE, DATE '2025-12-01')
ORDER BY month;
