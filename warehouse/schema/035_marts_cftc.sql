-- Basis-trade and funding-calendar marts (transforms/basis.py, transforms/funding_calendar.py). Column names and
-- types mirror each module's SCHEMA (tests/cftc_tests/test_cftc_ddl.py). Amounts $ billions (_bn), spreads basis
-- points (_bp), positions contracts (_contracts), shares fractions 0..1.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE IF NOT EXISTS marts.basis_weekly (
    report_date DATE NOT NULL,
    tenor VARCHAR NOT NULL,
    cftc_contract_market_code VARCHAR,
    lev_long_contracts BIGINT,
    lev_short_contracts BIGINT,
    lev_net_contracts BIGINT,
    lev_net_notional_bn DOUBLE,
    am_net_contracts BIGINT,
    am_net_notional_bn DOUBLE,
    dealer_net_contracts BIGINT,
    open_interest BIGINT,
    lev_short_share_oi DOUBLE,
    lev_net_contracts_wow BIGINT,
    lev_net_notional_wow_bn DOUBLE,
    lev_net_pctile_since_2017 DOUBLE,
    sofr_iorb_avg_bp DOUBLE,
    sofr_iorb_max_bp DOUBLE,
    srf_takeup_sum_bn DOUBLE,
    on_rrp_wed_bn DOUBLE,
    stress_flag BOOLEAN,
    coverage VARCHAR,
    PRIMARY KEY (report_date, tenor)
);
COMMENT ON TABLE marts.basis_weekly IS 'The basis trade in Treasury futures, weekly (grain: report week x tenor, plus a total row per week): CFTC Traders in Financial Futures positions of leveraged funds (hedge funds: short futures against long cash bonds financed in repo), asset managers and dealers in the six CBOT Treasury contracts, beside the same week''s repo gauges. Weeks run every 7 days from the first to the last report held; a week without a report is a row with NULL positions and coverage saying so.';
COMMENT ON COLUMN marts.basis_weekly.report_date IS 'Date of the positions: the CFTC report Tuesday (the Monday before a Tuesday holiday); for a week without a report, that week''s Tuesday. Published the Friday after, 3:30 pm ET.';
COMMENT ON COLUMN marts.basis_weekly.tenor IS '2y, 5y, 10y, ultra_10y, bond, ultra_bond (CFTC codes 042601, 044601, 043602, 043607, 020601, 020604), or total (the sum of the six).';
COMMENT ON COLUMN marts.basis_weekly.cftc_contract_market_code IS 'CFTC contract code of the tenor (join key: market names changed on 2022-02-08, codes did not); NULL on total rows.';
COMMENT ON COLUMN marts.basis_weekly.lev_long_contracts IS 'Leveraged funds long positions, contracts (raw.cftc_tff lev_money_positions_long_all); summed over tenors on total rows.';
COMMENT ON COLUMN marts.basis_weekly.lev_short_contracts IS 'Leveraged funds short positions, contracts (lev_money_positions_short_all).';
COMMENT ON COLUMN marts.basis_weekly.lev_net_contracts IS 'Leveraged funds long - short, contracts; negative = net short (the basis trade''s futures leg). Total rows add contracts of different face values: compare totals by lev_net_notional_bn.';
COMMENT ON COLUMN marts.basis_weekly.lev_net_notional_bn IS 'lev_net_contracts x face value per contract ($200,000 for the 2-year note, $100,000 for the others), $ billions; total rows sum the tenors'' notionals.';
COMMENT ON COLUMN marts.basis_weekly.am_net_contracts IS 'Asset managers long - short, contracts (the other side of the basis trade: they hold futures instead of bonds).';
COMMENT ON COLUMN marts.basis_weekly.am_net_notional_bn IS 'am_net_contracts x face value, $ billions.';
COMMENT ON COLUMN marts.basis_weekly.dealer_net_contracts IS 'Dealers/intermediaries long - short, contracts.';
COMMENT ON COLUMN marts.basis_weekly.open_interest IS 'Open interest, contracts (open_interest_all; summed on total rows).';
COMMENT ON COLUMN marts.basis_weekly.lev_short_share_oi IS 'lev_short_contracts / open_interest (fraction): how much of the market the leveraged shorts are.';
COMMENT ON COLUMN marts.basis_weekly.lev_net_contracts_wow IS 'Change of lev_net_contracts from the previous week of the same tenor, contracts; positive = net short cut (bought back). NULL when either week has no report.';
COMMENT ON COLUMN marts.basis_weekly.lev_net_notional_wow_bn IS 'Change of lev_net_notional_bn from the previous week, $ billions; positive = net short cut. NULL when either week has no report.';
COMMENT ON COLUMN marts.basis_weekly.lev_net_pctile_since_2017 IS 'Share (0..1) of the tenor''s reported weeks from 2017-01-01 up to this one (no look-ahead) whose lev_net_notional_bn was at or below this week''s: near 0 = the largest net short since 2017. Weeks the recording misses do not count.';
COMMENT ON COLUMN marts.basis_weekly.sofr_iorb_avg_bp IS 'Average of marts.funding_daily.sofr_iorb_bp over the days (report_date - 6, report_date], basis points.';
COMMENT ON COLUMN marts.basis_weekly.sofr_iorb_max_bp IS 'Largest sofr_iorb_bp over the same days, basis points.';
COMMENT ON COLUMN marts.basis_weekly.srf_takeup_sum_bn IS 'Standing Repo Facility take-up summed over the same days, $ billions (NULL outside the loaded operations data).';
COMMENT ON COLUMN marts.basis_weekly.on_rrp_wed_bn IS 'ON RRP take-up on the last Wednesday on or before report_date, $ billions (FRED RRPONTSYD via marts.funding_daily).';
COMMENT ON COLUMN marts.basis_weekly.stress_flag IS 'Basis-trade stress: leveraged funds cut their net short by at least 5% of the previous week''s (lev_net_notional_wow_bn >= 0.05 x previous net short) in a week when SOFR printed above IORB (sofr_iorb_max_bp > 0) or SRF take-up exceeded $5bn; constants UNWIND_SHARE, SOFR_IORB_STRESS_BP, SRF_STRESS_BN in transforms/basis.py. Missing inputs never raise it.';
COMMENT ON COLUMN marts.basis_weekly.coverage IS 'reported; tenor missing from the week''s report; gap: no TFF report loaded for this week (the recording''s holes: 2020-12, 2023-10-17..12-26, 2024-06-18..12-31, 2025-05-06..12-30); on total rows partial: missing <tenors>.';

CREATE TABLE IF NOT EXISTS marts.funding_calendar (
    date DATE PRIMARY KEY,
    is_month_end BOOLEAN,
    is_quarter_end BOOLEAN,
    is_year_end BOOLEAN,
    is_mid_month_settlement BOOLEAN,
    is_tax_date BOOLEAN,
    is_treasury_settlement BOOLEAN,
    settlement_gross_bn DOUBLE,
    settlement_net_bn DOUBLE,
    sofr_iorb_bp DOUBLE,
    sofr_p99_iorb_bp DOUBLE,
    srf_takeup_bn DOUBLE,
    on_rrp_bn DOUBLE,
    tga_change_bn DOUBLE
);
COMMENT ON TABLE marts.funding_calendar IS 'The funding calendar (grain: Federal Reserve business day = a weekday that is not a Fedwire holiday, holidays package XFED calendar): the days repo pressure concentrates on (period ends, coupon settlements, estimated-tax dates, Treasury settlements with their size) beside that day''s SOFR-IORB, SRF take-up, ON RRP and TGA change. From the first funding/TGA day to the last day of any input (upcoming announced settlements included). Rules cited in transforms/funding_calendar.py.';
COMMENT ON COLUMN marts.funding_calendar.date IS 'Fed business day.';
COMMENT ON COLUMN marts.funding_calendar.is_month_end IS 'Last business day of the calendar month (by the calendar, not by the data).';
COMMENT ON COLUMN marts.funding_calendar.is_quarter_end IS 'Last business day of March, June, September or December.';
COMMENT ON COLUMN marts.funding_calendar.is_year_end IS 'Last business day of the year.';
COMMENT ON COLUMN marts.funding_calendar.is_mid_month_settlement IS 'The 15th, or the next business day when the 15th is not one: mid-month coupon settlement and coupon payment date (10-, 20-, 30-year and TIPS issue on the 15th).';
COMMENT ON COLUMN marts.funding_calendar.is_tax_date IS 'Estimated-tax due date: corporations April/June/September/December 15 (IRS Publication 509, Form 1120-W), individuals January/April/June/September 15 (IRS Publication 505, Form 1040-ES), moved past weekends and federal or DC legal holidays (26 U.S.C. 7503). Postponements (disasters, 2020) not modelled.';
COMMENT ON COLUMN marts.funding_calendar.is_treasury_settlement IS 'A Treasury note or bond auction settles (issue date) on this day (core.treasury_auctions, announced auctions included).';
COMMENT ON COLUMN marts.funding_calendar.settlement_gross_bn IS 'Every Treasury security settling that day (bills, notes, bonds), Fiscal Data total_accepted, $ billions; 0 on a day with none; NULL outside the span of auctions carrying amounts or when a settling auction has none yet (in the bundled recording amounts exist from 2025).';
COMMENT ON COLUMN marts.funding_calendar.settlement_net_bn IS 'settlement_gross_bn - securities maturing that day (their issued amounts over the original auction and reopenings), $ billions; positive = cash leaves reserves for the TGA. NULL when any maturing security''s amount is unknown (its original auction not in the data or without amounts).';
COMMENT ON COLUMN marts.funding_calendar.sofr_iorb_bp IS 'SOFR - IORB that day, basis points (marts.funding_daily; NULL on days without a SOFR fixing, e.g. Good Friday, or before IORB existed).';
COMMENT ON COLUMN marts.funding_calendar.sofr_p99_iorb_bp IS 'SOFR 99th percentile - IORB, basis points, where NY Fed percentiles are loaded.';
COMMENT ON COLUMN marts.funding_calendar.srf_takeup_bn IS 'Standing Repo Facility take-up that day, $ billions (0 on covered days without take-up).';
COMMENT ON COLUMN marts.funding_calendar.on_rrp_bn IS 'ON RRP take-up that day, $ billions.';
COMMENT ON COLUMN marts.funding_calendar.tga_change_bn IS 'Change of the Treasury General Account closing balance from the previous statement day, $ billions (marts.tga_daily); a rise drains reserves.';
