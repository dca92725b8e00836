-- Question: On which days did banks take up at least min_bn from the Fed's Standing Repo Facility, and was repo
--   trading above IORB on those days?
-- Grain: one row per business day in marts.funding_daily with srf_takeup_bn >= min_bn.
-- Units: amounts USD billions; spreads basis points.
-- Parameters: min_bn DOUBLE (default 1.0).
SELECT date,
       dayname(date) AS weekday,
       srf_takeup_bn,
       sofr_iorb_bp,
       sofr_p99_iorb_bp,
       on_rrp_bn,
       is_month_end,
       is_quarter_end
FROM marts.funding_daily
WHERE srf_takeup_bn >= coalesce(getvariable('min_bn')::DOUBLE, 1.0)
ORDER BY date;
