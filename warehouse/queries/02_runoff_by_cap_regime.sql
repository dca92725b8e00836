-- Question: Under each FOMC cap regime (QT1 2017-2019, QT2 2022-2025), how close did monthly runoff come to the
--   caps on average, and how much did the portfolio shrink in total?
-- Grain: one row per cap regime (ref.qt_cap_regimes.regime) with at least one loaded month.
-- Units: USD billions; attainment = average of monthly runoff / cap (fraction); months = calendar months loaded.
-- Parameters: none.
SELECT regime,
       episode,
       min(month) AS first_month,
       max(month) AS last_month,
       count(*) AS months,
       any_value(ust_cap_bn) AS ust_cap_bn,
       round(avg(ust_runoff_bn), 1) AS avg_ust_runoff_bn,
       round(avg(ust_cap_attainment), 3) AS avg_ust_attainment,
       count(*) FILTER (WHERE ust_cap_attainment >= 0.95) AS months_ust_at_95pct,
       any_value(mbs_cap_bn) AS mbs_cap_bn,
       round(avg(mbs_runoff_bn), 1) AS avg_mbs_runoff_bn,
       round(avg(mbs_cap_attainment), 3) AS avg_mbs_attainment,
       round(sum(total_runoff_bn), 1) AS total_runoff_bn
FROM marts.qt_runoff_monthly
WHERE regime IS NOT NULL
GROUP BY regime, episode
ORDER BY first_month;
