-- Analyst marts built by the pure polars transforms in transforms/{runoff,liquidity,funding,auction_health,tga}.py.
-- Column names and types mirror each module's SCHEMA dict (tests/transforms_tests/test_marts_ddl.py checks it).
-- Amounts are $ billions (suffix _bn), rates percent (_pct), spreads basis points (_bp), shares fractions 0..1.
CREATE SCHEMA IF NOT EXISTS marts;
INSERT OR REPLACE INTO meta.schema_comments VALUES ('marts', 'Analyst marts rebuilt from core on every run: QT runoff vs caps, weekly liquidity, daily funding stress, auction health, bill share, daily TGA.');

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.qt_runoff_monthly (
    month DATE PRIMARY KEY,
    ust_holdings_bn DOUBLE,
    ust_runoff_bn DOUBLE,
    ust_cap_bn DOUBLE,
    mbs_holdings_bn DOUBLE,
    mbs_runoff_bn DOUBLE,
    mbs_cap_bn DOUBLE,
    total_runoff_bn DOUBLE,
    ust_cap_attainment DOUBLE,
    cumulative_runoff_bn DOUBLE,
    regime VARCHAR,
    episode VARCHAR,
    mbs_cap_attainment DOUBLE,
    start_wednesday DATE,
    end_wednesday DATE,
    purchase_target_bn DOUBLE,
    purchase_attainment DOUBLE
);
COMMENT ON TABLE marts.qt_runoff_monthly IS 'One row per calendar month whose closing H.4.1 Wednesday is loaded: SOMA Treasury (FRED TREAST) and agency MBS (FRED WSHOMCB) holdings, their monthly runoff and the FOMC cap in force (seed qt_cap_regimes). Month m runs from the first Wednesday on/after the last day of m-1 to the first Wednesday on/after the last day of m, so both the mid-month (15th) and month-end coupon redemptions fall in m, even when month-end settles the next business day. $ billions.';
COMMENT ON COLUMN marts.qt_runoff_monthly.month IS 'First day of the calendar month measured.';
COMMENT ON COLUMN marts.qt_runoff_monthly.ust_holdings_bn IS 'Treasury securities held outright at the month''s closing Wednesday (end_wednesday), $ billions; FRED TREAST (Wednesday level, $ millions / 1000). Includes TIPS inflation compensation.';
COMMENT ON COLUMN marts.qt_runoff_monthly.ust_runoff_bn IS 'Fall in TREAST from start_wednesday to end_wednesday, $ billions, positive = holdings shrank. Approximates redemptions under the cap but misses: TIPS inflation accretion (adds to holdings, so runoff reads ~$1B/month below redemptions, e.g. ~$3.8B vs $5B in mid-2025); bills maturing in the 0-6 days between month-end and end_wednesday (counted in this month, belong to the next); purchases (negative runoff outside QT).';
COMMENT ON COLUMN marts.qt_runoff_monthly.ust_cap_bn IS 'Monthly Treasury redemption cap in force on the first day of the month, $ billions; null when no runoff programme applies (seed qt_cap_regimes, FOMC/NY Fed citations there).';
COMMENT ON COLUMN marts.qt_runoff_monthly.mbs_holdings_bn IS 'Agency mortgage-backed securities held outright at end_wednesday, $ billions; FRED WSHOMCB (Wednesday level, $ millions / 1000), principal balance.';
COMMENT ON COLUMN marts.qt_runoff_monthly.mbs_runoff_bn IS 'Fall in WSHOMCB from start_wednesday to end_wednesday, $ billions, positive = shrank. Paydowns (amortisation + prepayments) arrive mid-month and reinvestment purchases settle up to ~1.5 months later, so single months are lumpy: reconcile with a one-month lag. Excludes agency debt.';
COMMENT ON COLUMN marts.qt_runoff_monthly.mbs_cap_bn IS 'Monthly agency (MBS) runoff cap in force, $ billions; null outside runoff (seed qt_cap_regimes). In QT2 paydowns stayed well below it: low attainment is a finding, not a bug.';
COMMENT ON COLUMN marts.qt_runoff_monthly.total_runoff_bn IS 'ust_runoff_bn + mbs_runoff_bn, $ billions.';
COMMENT ON COLUMN marts.qt_runoff_monthly.ust_cap_attainment IS 'ust_runoff_bn / ust_cap_bn (fraction, 1.0 = cap met); slightly below 1 is normal (TIPS accretion), above 1 comes from bill-maturity timing at the month boundary; null without a cap.';
COMMENT ON COLUMN marts.qt_runoff_monthly.cumulative_runoff_bn IS 'Running sum of total_runoff_bn over the capped months of the same QT episode (from its first month), $ billions; null in months without a cap. A month with a missing runoff adds nothing.';
COMMENT ON COLUMN marts.qt_runoff_monthly.regime IS 'Cap regime in force on the first day of the month (seed qt_cap_regimes.regime, e.g. QT2-slow2); null outside every regime.';
COMMENT ON COLUMN marts.qt_runoff_monthly.episode IS 'QT episode of the regime (QT1, QT2); null outside every regime.';
COMMENT ON COLUMN marts.qt_runoff_monthly.mbs_cap_attainment IS 'mbs_runoff_bn / mbs_cap_bn (fraction); null without a cap.';
COMMENT ON COLUMN marts.qt_runoff_monthly.start_wednesday IS 'Opening H.4.1 Wednesday: first Wednesday on or after the last day of the previous month.';
COMMENT ON COLUMN marts.qt_runoff_monthly.end_wednesday IS 'Closing H.4.1 Wednesday: first Wednesday on or after the last day of the month.';
COMMENT ON COLUMN marts.qt_runoff_monthly.purchase_target_bn IS 'Announced amount of the reserve-management purchase round in force on the 15th of the month (rounds run from one mid-month announcement to the next; seed qt_cap_regimes.purchase_target_bn, e.g. about $40B for the round from 2025-12-12), $ billions; NULL where the seed cites no amount.';
COMMENT ON COLUMN marts.qt_runoff_monthly.purchase_attainment IS '-total_runoff_bn / purchase_target_bn: growth of Treasury + MBS holdings over the month (agency paydowns are reinvested in bills, so the sum grows by the net purchases) against the announced amount; NULL without a target. Month boundaries are H.4.1 Wednesdays, not the round''s own dates: read it as approximate.';

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.liquidity_weekly (
    week DATE PRIMARY KEY,
    total_assets_bn DOUBLE,
    reserves_bn DOUBLE,
    on_rrp_bn DOUBLE,
    on_rrp_date DATE,
    tga_bn DOUBLE,
    net_liquidity_bn DOUBLE,
    total_assets_bn_wow DOUBLE,
    reserves_bn_wow DOUBLE,
    on_rrp_bn_wow DOUBLE,
    tga_bn_wow DOUBLE,
    net_liquidity_bn_wow DOUBLE,
    total_assets_bn_4w DOUBLE,
    reserves_bn_4w DOUBLE,
    on_rrp_bn_4w DOUBLE,
    tga_bn_4w DOUBLE,
    net_liquidity_bn_4w DOUBLE
);
COMMENT ON TABLE marts.liquidity_weekly IS 'One row per H.4.1 Wednesday (the dates of FRED WALCL): Fed total assets, reserves, ON RRP, TGA and net liquidity = total assets - TGA - ON RRP, all Wednesday levels except reserves (week average). $ billions; _wow = change from 7 days earlier, _4w = from 28 days earlier (null when that week is absent).';
COMMENT ON COLUMN marts.liquidity_weekly.week IS 'H.4.1 as-of Wednesday.';
COMMENT ON COLUMN marts.liquidity_weekly.total_assets_bn IS 'Fed total assets, Wednesday level, $ billions; FRED WALCL ($ millions / 1000).';
COMMENT ON COLUMN marts.liquidity_weekly.reserves_bn IS 'Reserve balances with Federal Reserve Banks, WEEK AVERAGE of the week ending this Wednesday (not a Wednesday level, so not part of the net-liquidity identity), $ billions; FRED WRESBAL.';
COMMENT ON COLUMN marts.liquidity_weekly.on_rrp_bn IS 'Overnight reverse repo (Treasury collateral) take-up on the Wednesday, $ billions; FRED RRPONTSYD. When the Wednesday is a holiday or has no value, the last operation day on or before it (at most 6 days earlier, see on_rrp_date).';
COMMENT ON COLUMN marts.liquidity_weekly.on_rrp_date IS 'Operation date the on_rrp_bn value comes from (differs from week on holiday Wednesdays, e.g. Juneteenth 2024-06-19 -> 2024-06-18).';
COMMENT ON COLUMN marts.liquidity_weekly.tga_bn IS 'Treasury General Account, Wednesday level, $ billions; FRED WDTGAL ($ millions / 1000).';
COMMENT ON COLUMN marts.liquidity_weekly.net_liquidity_bn IS 'total_assets_bn - tga_bn - on_rrp_bn (analyst convention, Wednesday levels), $ billions; null when a part is missing.';
COMMENT ON COLUMN marts.liquidity_weekly.total_assets_bn_wow IS 'total_assets_bn minus its value 7 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.reserves_bn_wow IS 'reserves_bn (week average) minus its value 7 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.on_rrp_bn_wow IS 'on_rrp_bn minus its value 7 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.tga_bn_wow IS 'tga_bn minus its value 7 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.net_liquidity_bn_wow IS 'net_liquidity_bn minus its value 7 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.total_assets_bn_4w IS 'total_assets_bn minus its value 28 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.reserves_bn_4w IS 'reserves_bn (week average) minus its value 28 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.on_rrp_bn_4w IS 'on_rrp_bn minus its value 28 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.tga_bn_4w IS 'tga_bn minus its value 28 days earlier, $ billions.';
COMMENT ON COLUMN marts.liquidity_weekly.net_liquidity_bn_4w IS 'net_liquidity_bn minus its value 28 days earlier, $ billions.';

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.funding_daily (
    date DATE PRIMARY KEY,
    sofr_pct DOUBLE,
    iorb_pct DOUBLE,
    sofr_iorb_bp DOUBLE,
    effr_pct DOUBLE,
    effr_iorb_bp DOUBLE,
    sofr_p1_pct DOUBLE,
    sofr_p99_pct DOUBLE,
    sofr_p1_iorb_bp DOUBLE,
    sofr_p99_iorb_bp DOUBLE,
    tgcr_pct DOUBLE,
    tgcr_iorb_bp DOUBLE,
    bgcr_pct DOUBLE,
    bgcr_iorb_bp DOUBLE,
    sofr_volume_bn DOUBLE,
    on_rrp_bn DOUBLE,
    srf_takeup_bn DOUBLE,
    is_month_end BOOLEAN,
    is_quarter_end BOOLEAN,
    stress_flag BOOLEAN
);
COMMENT ON TABLE marts.funding_daily IS 'One row per business day with a SOFR fixing (FRED SOFR, completed by NY Fed SOFR where FRED lacks the day): repo and fed funds rates against IORB, ON RRP and Standing Repo Facility take-up, period-end and stress flags. Rates percent, spreads basis points (rounded to 0.01 bp), amounts $ billions.';
COMMENT ON COLUMN marts.funding_daily.date IS 'Business day the rates apply to (SOFR for day T is published T+1 08:00 ET and dated T).';
COMMENT ON COLUMN marts.funding_daily.sofr_pct IS 'Secured Overnight Financing Rate, percent; FRED SOFR (longer history), NY Fed reference rates where FRED has no value.';
COMMENT ON COLUMN marts.funding_daily.iorb_pct IS 'Interest rate on reserve balances in force on the date, percent; FRED IORB joined as-of (latest value dated on or before), never equi-joined; null before IORB existed (2021-07-29).';
COMMENT ON COLUMN marts.funding_daily.sofr_iorb_bp IS '(sofr_pct - iorb_pct) x 100, basis points: the headline repo-pressure gauge (above 0 = repo pays more than reserves).';
COMMENT ON COLUMN marts.funding_daily.effr_pct IS 'Effective federal funds rate, percent; FRED EFFR, NY Fed EFFR where FRED has no value.';
COMMENT ON COLUMN marts.funding_daily.effr_iorb_bp IS '(effr_pct - iorb_pct) x 100, basis points.';
COMMENT ON COLUMN marts.funding_daily.sofr_p1_pct IS 'SOFR 1st volume-weighted percentile, percent; NY Fed reference rates (null where that data is not loaded).';
COMMENT ON COLUMN marts.funding_daily.sofr_p99_pct IS 'SOFR 99th volume-weighted percentile, percent; NY Fed reference rates (null where not loaded).';
COMMENT ON COLUMN marts.funding_daily.sofr_p1_iorb_bp IS '(sofr_p1_pct - iorb_pct) x 100, basis points: the low tail.';
COMMENT ON COLUMN marts.funding_daily.sofr_p99_iorb_bp IS '(sofr_p99_pct - iorb_pct) x 100, basis points: the stressed tail of repo trades.';
COMMENT ON COLUMN marts.funding_daily.tgcr_pct IS 'Tri-party general collateral rate, percent; NY Fed reference rates (null where not loaded).';
COMMENT ON COLUMN marts.funding_daily.tgcr_iorb_bp IS '(tgcr_pct - iorb_pct) x 100, basis points.';
COMMENT ON COLUMN marts.funding_daily.bgcr_pct IS 'Broad general collateral rate, percent; NY Fed reference rates (null where not loaded).';
COMMENT ON COLUMN marts.funding_daily.bgcr_iorb_bp IS '(bgcr_pct - iorb_pct) x 100, basis points.';
COMMENT ON COLUMN marts.funding_daily.sofr_volume_bn IS 'Volume of transactions underlying SOFR, $ billions; NY Fed reference rates.';
COMMENT ON COLUMN marts.funding_daily.on_rrp_bn IS 'ON RRP take-up on the date, $ billions; FRED RRPONTSYD (same business date, null on days without a value).';
COMMENT ON COLUMN marts.funding_daily.srf_takeup_bn IS 'Accepted amount of all NY Fed repo operations of the date (Standing Repo Facility morning + afternoon; in 2019-2021 the temporary repo operations), $ billions (NY Fed USD / 1e9). 0 on covered days without take-up; null outside the date range of the loaded operations.';
COMMENT ON COLUMN marts.funding_daily.is_month_end IS 'True on the last business day of its month present in the data; for the data''s latest month only when the date is the month''s last weekday (so a partial month is not flagged).';
COMMENT ON COLUMN marts.funding_daily.is_quarter_end IS 'is_month_end in March, June, September or December.';
COMMENT ON COLUMN marts.funding_daily.stress_flag IS 'sofr_iorb_bp > 0 (SOFR above IORB: reserves no longer ample enough to arbitrage repo) OR srf_takeup_bn > 5 (SRF use beyond routine test/odd-lot size); constants SOFR_IORB_STRESS_BP, SRF_STRESS_BN in transforms/funding.py. Missing inputs never raise it.';

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.auction_health (
    auction_date DATE,
    cusip VARCHAR,
    security_type VARCHAR,
    security_term VARCHAR,
    security_kind VARCHAR,
    tenor VARCHAR,
    is_cmb BOOLEAN,
    is_reopening BOOLEAN,
    offering_bn DOUBLE,
    total_accepted_bn DOUBLE,
    bid_to_cover DOUBLE,
    high_yield_pct DOUBLE,
    rate_basis VARCHAR,
    primary_dealer_share DOUBLE,
    direct_share DOUBLE,
    indirect_share DOUBLE,
    soma_addon_bn DOUBLE,
    btc_vs_prev6 DOUBLE,
    PRIMARY KEY (cusip, auction_date)
);
COMMENT ON TABLE marts.auction_health IS 'One row per completed Treasury auction (cusip, auction_date) from Fiscal Data auctions_query; announced auctions without results are excluded. Amounts $ billions, rates percent, shares fractions.';
COMMENT ON COLUMN marts.auction_health.auction_date IS 'Auction date (auctions_query.auction_date).';
COMMENT ON COLUMN marts.auction_health.cusip IS 'CUSIP of the security auctioned (reopenings share the original CUSIP).';
COMMENT ON COLUMN marts.auction_health.security_type IS 'auctions_query.security_type (Bill, Note, Bond, CMB, TIPS, FRN as sent).';
COMMENT ON COLUMN marts.auction_health.security_term IS 'Term as auctioned (auctions_query.security_term; reopened coupons show the remaining term, e.g. 9-Year 11-Month).';
COMMENT ON COLUMN marts.auction_health.security_kind IS 'Comparison class: CMB, Bill, TIPS, FRN, or Note/Bond for nominal fixed-rate coupons. TIPS from auctions_query.inflation_index_security = Yes or a reference CPI (ref_cpi_on_dated_date), FRN from floating_rate = Yes or a missing high_yield; when core lacks those optional fields a TIPS shows as Note/Bond.';
COMMENT ON COLUMN marts.auction_health.tenor IS 'Comparison tenor: security_term for bills (a 13-week bill is a reopening of a 26-week bill and carries original_security_term 26-Week), original_security_term for coupons.';
COMMENT ON COLUMN marts.auction_health.is_cmb IS 'Cash management bill (auctions_query.cash_management_bill_cmb = Yes, or security_type CMB).';
COMMENT ON COLUMN marts.auction_health.is_reopening IS 'Reopening of an outstanding CUSIP (auctions_query.reopening = Yes).';
COMMENT ON COLUMN marts.auction_health.offering_bn IS 'Offering amount, $ billions (offering_amt USD / 1e9).';
COMMENT ON COLUMN marts.auction_health.total_accepted_bn IS 'Total accepted incl. non-competitive, SOMA and FIMA add-ons, $ billions (total_accepted USD / 1e9).';
COMMENT ON COLUMN marts.auction_health.bid_to_cover IS 'Bid-to-cover ratio as published (auctions_query.bid_to_cover_ratio).';
COMMENT ON COLUMN marts.auction_health.high_yield_pct IS 'Stop-out rate, percent: high_yield for notes/bonds/TIPS, high_discnt_rate (discount basis) for bills; see rate_basis. Null for FRNs (priced on a discount margin).';
COMMENT ON COLUMN marts.auction_health.rate_basis IS 'Which field high_yield_pct holds: high_yield or high_discount_rate.';
COMMENT ON COLUMN marts.auction_health.primary_dealer_share IS 'primary_dealer_accepted / (primary dealer + direct + indirect accepted): share of the competitive award left with dealers (high = weak end demand).';
COMMENT ON COLUMN marts.auction_health.direct_share IS 'direct_bidder_accepted / (primary dealer + direct + indirect accepted).';
COMMENT ON COLUMN marts.auction_health.indirect_share IS 'indirect_bidder_accepted / (primary dealer + direct + indirect accepted): proxy for foreign/official and fund demand.';
COMMENT ON COLUMN marts.auction_health.soma_addon_bn IS 'SOMA (Fed) non-competitive rollover add-on, $ billions (soma_accepted USD / 1e9): the maturing principal not redeemed under the QT cap.';
COMMENT ON COLUMN marts.auction_health.btc_vs_prev6 IS 'bid_to_cover minus the mean bid-to-cover of the 6 previous completed auctions with the same security_kind and tenor (so TIPS, FRNs and CMBs are not compared with nominal securities); null until 6 exist.';

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.bill_share_monthly (
    month DATE PRIMARY KEY,
    gross_issuance_bn DOUBLE,
    bills_bn DOUBLE,
    bill_share DOUBLE,
    soma_addon_bn DOUBLE,
    auctions INTEGER,
    bill_auctions INTEGER
);
COMMENT ON TABLE marts.bill_share_monthly IS 'One row per issue month (issue_date, auction_date when missing) of completed Treasury auctions: gross issuance and the share of bills. $ billions.';
COMMENT ON COLUMN marts.bill_share_monthly.month IS 'First day of the month of settlement (issue_date; auction_date when issue_date is missing).';
COMMENT ON COLUMN marts.bill_share_monthly.gross_issuance_bn IS 'Sum of total_accepted of auctions settling in the month (incl. SOMA and FIMA add-ons), $ billions; gross, before maturing debt.';
COMMENT ON COLUMN marts.bill_share_monthly.bills_bn IS 'Part of gross_issuance_bn in bills (security_kind Bill or CMB), $ billions; NULL when no bill auction result of the month is loaded (Treasury auctions bills every week, so that is missing data, not zero bills).';
COMMENT ON COLUMN marts.bill_share_monthly.bill_share IS 'bills_bn / gross_issuance_bn (fraction); NULL when bills_bn is. Only meaningful for months whose auctions are all loaded: compare auctions with the Treasury calendar.';
COMMENT ON COLUMN marts.bill_share_monthly.soma_addon_bn IS 'SOMA rollover add-ons included in gross_issuance_bn, $ billions.';
COMMENT ON COLUMN marts.bill_share_monthly.auctions IS 'Completed auctions (with results) loaded for the month: the coverage behind the sums.';
COMMENT ON COLUMN marts.bill_share_monthly.bill_auctions IS 'Completed bill and CMB auctions loaded for the month.';

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS marts.tga_daily (
    date DATE PRIMARY KEY,
    tga_bn DOUBLE,
    tga_change_bn DOUBLE
);
COMMENT ON TABLE marts.tga_daily IS 'One row per Daily Treasury Statement day: Treasury General Account closing balance. $ billions.';
COMMENT ON COLUMN marts.tga_daily.date IS 'DTS record date (business day).';
COMMENT ON COLUMN marts.tga_daily.tga_bn IS 'TGA closing balance, $ billions (DTS operating cash balance, $ millions / 1000).';
COMMENT ON COLUMN marts.tga_daily.tga_change_bn IS 'tga_bn minus the previous DTS day in the data, $ billions; null on the first day.';
