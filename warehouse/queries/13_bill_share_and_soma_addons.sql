-- Question: How much did the Treasury finance with bills each month, and how much did the Fed roll over at
--   auctions as SOMA add-ons?
-- Grain: one row per issue month (marts.bill_share_monthly) from start_month on.
-- Units: USD billions; bill_share and soma_share_of_issuance are fractions of gross issuance.
-- Parameters: start_month DATE (default 2025-01-01).
-- Caveat: the sums are NULL in a month where auctions that should settle in it (Treasury's regular bill calendar and
--   the announcements in the data) lack results; coverage says how many have them. The bundled snapshot has no
--   complete month (1-2 bill results a month in July-December 2025), so every share there is NULL, not a guess.
WITH bills AS (
    SELECT date_trunc('month', coalesce(issue_date, auction_date))::DATE AS month,
           count(*) AS bill_auctions,
           count(bid_to_cover_ratio) AS bill_auctions_with_results
    FROM core.treasury_auctions
    WHERE security_type = 'Bill'
    GROUP BY 1
)
SELECT m.month,
       m.gross_issuance_bn,
       m.bills_bn,
       round(m.bill_share, 3) AS bill_share,
       m.soma_addon_bn,
       round(m.soma_addon_bn / nullif(m.gross_issuance_bn, 0), 3) AS soma_share_of_issuance,
       coalesce(b.bill_auctions, 0) AS bill_auctions,
       coalesce(b.bill_auctions_with_results, 0) AS bill_auctions_with_results,
       m.auctions_expected,
       m.coverage
FROM marts.bill_share_monthly m
LEFT JOIN bills b USING (month)
WHERE m.month >= coalesce(getvariable('start_month')::DATE, DATE '2025-01-01')
ORDER BY m.month;
