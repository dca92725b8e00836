-- Question: Over the latest weeks, how have Fed total assets, the TGA, ON RRP and "net liquidity" (total assets
--   - TGA - ON RRP) moved, week on week and over four weeks?
-- Grain: one row per H.4.1 Wednesday (marts.liquidity_weekly), the latest `weeks` weeks with a net liquidity value.
-- Units: USD billions, Wednesday levels (reserves_bn is a week average, shown for context only).
-- Parameters: weeks INTEGER (default 26).
SELECT week,
       total_assets_bn,
       tga_bn,
       on_rrp_bn,
       net_liquidity_bn,
       net_liquidity_bn_wow,
       net_liquidity_bn_4w,
       reserves_bn
FROM marts.liquidity_weekly
WHERE net_liquidity_bn IS NOT NULL
ORDER BY week DESC
LIMIT coalesce(getvariable('weeks')::INTEGER, 26);
