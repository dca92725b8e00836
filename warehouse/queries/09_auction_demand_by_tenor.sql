-- Question: How strong was demand at Treasury auctions by security kind and tenor: bid-to-cover, the share left
--   with primary dealers, the indirect (foreign/official) share, and the Fed's SOMA rollover add-ons?
-- Grain: one row per security_kind x tenor of completed auctions from start_date on.
-- Units: bid-to-cover ratios (times); shares fractions (averages of per-auction shares); amounts USD billions.
-- Parameters: start_date DATE (default 2025-01-01).
SELECT security_kind,
       tenor,
       count(*) AS auctions,
       round(avg(bid_to_cover), 2) AS avg_bid_to_cover,
       min(bid_to_cover) AS min_bid_to_cover,
       round(avg(primary_dealer_share), 3) AS avg_dealer_share,
       round(avg(indirect_share), 3) AS avg_indirect_share,
       round(sum(total_accepted_bn), 1) AS accepted_bn,
       round(sum(soma_addon_bn), 1) AS soma_addon_bn
FROM marts.auction_health
WHERE auction_date >= coalesce(getvariable('start_date')::DATE, DATE '2025-01-01')
GROUP BY ALL
ORDER BY security_kind, accepted_bn DESC;
