-- Question: Which Treasury auctions drew the weakest demand, measured as bid-to-cover against the six previous
--   auctions of the same class and tenor (TIPS against TIPS, never against nominal notes), and who was left holding
--   them?
-- Grain: one row per completed auction (cusip x auction_date), the n lowest btc_vs_prev6, optionally one
--   security_kind (Bill, CMB, Note, Bond, TIPS, FRN) or one security_class (bill, nominal, TIPS, FRN, CMB).
-- Units: bid-to-cover ratios (times); shares fractions of the competitive award; amounts USD billions; yields
--   percent (bills: discount rate, see rate_basis).
-- Parameters: n INTEGER (default 10), kind VARCHAR (default: every kind), class VARCHAR (default: every class).
SELECT auction_date,
       cusip,
       security_kind,
       security_class,
       tenor,
       security_term,
       offering_bn,
       bid_to_cover,
       round(btc_vs_prev6, 3) AS btc_vs_prev6,
       high_yield_pct,
       rate_basis,
       round(primary_dealer_share, 3) AS primary_dealer_share,
       round(indirect_share, 3) AS indirect_share
FROM marts.auction_health
WHERE btc_vs_prev6 IS NOT NULL
  AND (getvariable('kind') IS NULL OR security_kind = getvariable('kind'))
  AND (getvariable('class') IS NULL OR security_class = getvariable('class'))
ORDER BY btc_vs_prev6, auction_date
LIMIT coalesce(getvariable('n')::INTEGER, 10);
