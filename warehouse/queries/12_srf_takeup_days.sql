-- Question: On which days did banks take up at least min_bn from the Fed's Standing Repo Facility, and was repo
--   trading above IORB on those days?
-- Grain: one row per business day in marts.funding_daily with srf_takeup_bn >= min_bn.
-- Units: amounts USD billions; spreads basis points.
-- Parameters: min_bn DOUBLE (default 1.0).
-- Caveat: srf_takeup_bn is NULL on scheduled days the loaded operations lack and after the last one loaded;
--   ops_data_through says how far they reach, unscheduled_holes how many scheduled days inside that span are
--   missing (`qtwatch status` lists the holes). A "largest day" answer only covers the days held: the bundled
--   snapshot's operations end 2025-11-24, before the 2025-12-31 record ($74.6bn).
WITH span AS (
    SELECT max(date) FILTER (WHERE srf_takeup_bn IS NOT NULL) AS ops_data_through,
           count(*) FILTER (WHERE srf_takeup_bn IS NULL
                            AND date BETWEEN (SELECT min(date) FROM marts.funding_daily WHERE srf_takeup_bn IS NOT NULL)
                                         AND (SELECT max(date) FROM marts.funding_daily WHERE srf_takeup_bn IS NOT NULL))
               AS unscheduled_holes
    FROM marts.funding_daily
)
SELECT date,
       dayname(date) AS weekday,
       srf_takeup_bn,
       sofr_iorb_bp,
       sofr_p99_iorb_bp,
       on_rrp_bn,
       is_month_end,
       is_quarter_end,
       span.ops_data_through,
       span.unscheduled_holes
FROM marts.funding_daily, span
WHERE srf_takeup_bn >= coalesce(getvariable('min_bn')::DOUBLE, 1.0)
ORDER BY date;
