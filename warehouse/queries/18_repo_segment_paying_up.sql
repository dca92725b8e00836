-- Question: Which repo segment is paying up: tri-party (TGCR), GCF or DVP (where hedge funds finance the basis
--   trade), and by how much over tri-party and IORB?
-- Grain: one row per business day of marts.repo_segments_daily in the window (default: the last 30 calendar days
--   held).
-- Units: rates in percent; spreads in basis points; volumes in USD billions. The NY Fed split (SOFR - TGCR,
--   BGCR - TGCR, SOFR - BGCR volume) is there every day the reference rates are; the OFR segment columns only where
--   OFR data is loaded (ofr_vintage: final, preliminary or mixed), else NULL.
-- Parameters: start_date DATE (default: 30 days before the last day held), end_date DATE (default: the last day).
WITH bounds AS (
    SELECT coalesce(getvariable('start_date')::DATE, max(date) - INTERVAL 30 DAY) AS lo,
           coalesce(getvariable('end_date')::DATE, max(date)) AS hi
    FROM marts.repo_segments_daily
)
SELECT date,
       tgcr_pct,
       sofr_tgcr_bp,
       bgcr_tgcr_bp,
       tgcr_iorb_bp,
       nyfed_dvp_volume_bn,
       nyfed_gcf_volume_bn,
       tgcr_volume_bn,
       dvp_tri_bp,
       gcf_tri_bp,
       dvp_iorb_bp,
       dvp_volume_bn,
       ofr_vintage,
       CASE
           WHEN coalesce(dvp_tri_bp, -1e9) >= 5 OR coalesce(gcf_tri_bp, -1e9) >= 5 THEN
               CASE WHEN coalesce(dvp_tri_bp, -1e9) >= coalesce(gcf_tri_bp, -1e9) THEN 'DVP (OFR)' ELSE 'GCF (OFR)' END
           WHEN bgcr_tgcr_bp >= 2 THEN 'GCF (NY Fed BGCR over TGCR)'
           WHEN sofr_tgcr_bp >= 5 THEN 'DVP/GCF (NY Fed SOFR over TGCR)'
           ELSE 'none clearly'
       END AS paying_up
FROM marts.repo_segments_daily, bounds
WHERE date BETWEEN bounds.lo AND bounds.hi AND sofr_pct IS NOT NULL
ORDER BY date;
