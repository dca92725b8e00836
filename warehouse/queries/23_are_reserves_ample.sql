-- Question: Are reserves ample: reserves as a share of bank assets against the 12% abundance threshold, the
--   spreads of EFFR and SOFR to IORB, the elasticity proxy and the regime, week by week?
-- Grain: one row per week ending Wednesday of marts.reserve_ampleness_weekly, the latest n weeks with a ratio
--   (H.8 bank assets held), newest first.
-- Units: reserves and bank assets USD billions (week averages); ratio percent; spreads basis points; elasticity bp of
--   EFFR-IORB per percentage point of the ratio. regime_basis cites the thresholds (SR 1019, Liberty Street
--   Economics 2024-10-17) or names the missing input.
-- Parameters: n INTEGER (default 12).
SELECT week,
       round(reserves_bn, 1) AS reserves_bn,
       round(bank_assets_bn, 1) AS bank_assets_bn,
       round(reserves_to_assets_pct, 2) AS reserves_to_assets_pct,
       round(reserves_to_assets_pct - 12.0, 2) AS pp_above_abundance_threshold,
       round(effr_iorb_bp, 2) AS effr_iorb_bp,
       round(sofr_iorb_bp, 2) AS sofr_iorb_bp,
       round(elasticity_bp_per_pp, 3) AS elasticity_bp_per_pp,
       round(elasticity_t, 2) AS elasticity_t,
       regime,
       regime_basis
FROM marts.reserve_ampleness_weekly
WHERE reserves_to_assets_pct IS NOT NULL
ORDER BY week DESC
LIMIT coalesce(getvariable('n')::INTEGER, 12);
