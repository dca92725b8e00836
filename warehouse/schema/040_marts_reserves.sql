-- Reserves the way the Fed reads them (issue 23): H.4.1 Wednesday levels and factors (transforms/reserves.py),
-- plus the Wednesday-level columns liquidity_weekly gains (transforms/liquidity.py). Column names and types mirror
-- each module's SCHEMA (tests/transforms_tests/test_marts_ddl.py). Amounts $ billions (_bn).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE IF NOT EXISTS marts.reserves_weekly (
    week DATE PRIMARY KEY,
    reserves_bn DOUBLE,
    factors_supplying_bn DOUBLE,
    factors_absorbing_bn DOUBLE,
    securities_bn DOUBLE,
    bills_bn DOUBLE,
    notes_bonds_bn DOUBLE,
    tips_bn DOUBLE,
    tips_inflation_comp_bn DOUBLE,
    mbs_bn DOUBLE,
    repo_bn DOUBLE,
    loans_bn DOUBLE,
    currency_bn DOUBLE,
    reverse_repo_foreign_bn DOUBLE,
    reverse_repo_others_bn DOUBLE,
    tga_bn DOUBLE,
    other_supplying_bn DOUBLE,
    other_absorbing_bn DOUBLE,
    identity_residual_bn DOUBLE,
    reserves_change_bn DOUBLE,
    securities_contrib_bn DOUBLE,
    repo_contrib_bn DOUBLE,
    loans_contrib_bn DOUBLE,
    other_supplying_contrib_bn DOUBLE,
    currency_contrib_bn DOUBLE,
    reverse_repo_foreign_contrib_bn DOUBLE,
    reverse_repo_others_contrib_bn DOUBLE,
    tga_contrib_bn DOUBLE,
    other_absorbing_contrib_bn DOUBLE,
    missing_inputs VARCHAR
);
COMMENT ON TABLE marts.reserves_weekly IS 'Reserves the way the H.4.1 reads them (grain: H.4.1 Wednesday, the dates of FRED WALCL): the Wednesday levels of table 1 "Factors Affecting Reserve Balances" from FRED, the identity reserves = factors supplying - factors absorbing (to FRED''s rounding), and the week''s change of reserves attributed to each factor. $ billions. A week whose inputs (or the previous week''s) are missing keeps NULLs and names them in missing_inputs.';
COMMENT ON COLUMN marts.reserves_weekly.week IS 'The H.4.1 Wednesday (levels are as of the close of that day); published Thursday 4:30 pm ET.';
COMMENT ON COLUMN marts.reserves_weekly.reserves_bn IS 'Reserve balances with Federal Reserve Banks, Wednesday level (FRED WRBWFRBL): the H.4.1 headline. marts.liquidity_weekly.reserves_bn is the week average (WRESBAL), a different number.';
COMMENT ON COLUMN marts.reserves_weekly.factors_supplying_bn IS 'Total factors supplying reserve funds, Wednesday level (FRED WTFSRFL).';
COMMENT ON COLUMN marts.reserves_weekly.factors_absorbing_bn IS 'Total factors, other than reserve balances, absorbing reserve funds, Wednesday level (FRED WTFORBAFL).';
COMMENT ON COLUMN marts.reserves_weekly.securities_bn IS 'Securities held outright (FRED WSHOSHO): Treasuries, agency debt and MBS at face value.';
COMMENT ON COLUMN marts.reserves_weekly.bills_bn IS 'Treasury bills held outright (FRED WSHOBL): where reserve-management purchases land.';
COMMENT ON COLUMN marts.reserves_weekly.notes_bonds_bn IS 'Nominal Treasury notes and bonds held outright (FRED WSHONBNL).';
COMMENT ON COLUMN marts.reserves_weekly.tips_bn IS 'Inflation-indexed Treasury notes and bonds held outright, face value (FRED WSHONBIIL).';
COMMENT ON COLUMN marts.reserves_weekly.tips_inflation_comp_bn IS 'Inflation compensation on the TIPS held (FRED WSHOICL).';
COMMENT ON COLUMN marts.reserves_weekly.mbs_bn IS 'Agency mortgage-backed securities held outright, remaining principal (FRED WSHOMCB).';
COMMENT ON COLUMN marts.reserves_weekly.repo_bn IS 'Repurchase agreements (FRED WORAL): Standing Repo Facility and foreign official repo take-up outstanding.';
COMMENT ON COLUMN marts.reserves_weekly.loans_bn IS 'Loans (FRED WLCFLL): discount window and other credit facilities.';
COMMENT ON COLUMN marts.reserves_weekly.currency_bn IS 'Currency in circulation, Wednesday level (FRED WCICL; WCURCIR is the week average).';
COMMENT ON COLUMN marts.reserves_weekly.reverse_repo_foreign_bn IS 'Reverse repurchase agreements with foreign official and international accounts (FRED WLRRAFOIAL).';
COMMENT ON COLUMN marts.reserves_weekly.reverse_repo_others_bn IS 'Reverse repurchase agreements with others (FRED WLRRAOL): mostly the ON RRP facility.';
COMMENT ON COLUMN marts.reserves_weekly.tga_bn IS 'U.S. Treasury General Account, Wednesday level (FRED WDTGAL).';
COMMENT ON COLUMN marts.reserves_weekly.other_supplying_bn IS 'factors_supplying_bn - securities_bn - repo_bn - loans_bn: unamortized premiums and discounts, float, central bank liquidity swaps, other assets, gold, SDRs, Treasury currency (a residual of the published total).';
COMMENT ON COLUMN marts.reserves_weekly.other_absorbing_bn IS 'factors_absorbing_bn - currency_bn - reverse repos - tga_bn: other deposits, Treasury cash holdings, other liabilities and capital (a residual of the published total).';
COMMENT ON COLUMN marts.reserves_weekly.identity_residual_bn IS 'reserves_bn - (factors_supplying_bn - factors_absorbing_bn): within +-0.005 ($5 million) when the published lines agree (FRED rounds each to $1 million).';
COMMENT ON COLUMN marts.reserves_weekly.reserves_change_bn IS 'reserves_bn minus its value on the Wednesday 7 days earlier (NULL when that week is not held).';
COMMENT ON COLUMN marts.reserves_weekly.securities_contrib_bn IS 'Contribution of securities held outright to reserves_change_bn: their change (purchases add reserves, runoff drains them).';
COMMENT ON COLUMN marts.reserves_weekly.repo_contrib_bn IS 'Contribution of repo (SRF) to reserves_change_bn: its change.';
COMMENT ON COLUMN marts.reserves_weekly.loans_contrib_bn IS 'Contribution of loans to reserves_change_bn: their change.';
COMMENT ON COLUMN marts.reserves_weekly.other_supplying_contrib_bn IS 'Contribution of the other supplying factors to reserves_change_bn: their change.';
COMMENT ON COLUMN marts.reserves_weekly.currency_contrib_bn IS 'Contribution of currency to reserves_change_bn: minus its change (more currency drains reserves).';
COMMENT ON COLUMN marts.reserves_weekly.reverse_repo_foreign_contrib_bn IS 'Contribution of the foreign official reverse repo pool: minus its change.';
COMMENT ON COLUMN marts.reserves_weekly.reverse_repo_others_contrib_bn IS 'Contribution of reverse repos with others (ON RRP): minus their change.';
COMMENT ON COLUMN marts.reserves_weekly.tga_contrib_bn IS 'Contribution of the TGA: minus its change (Treasury cash build-ups drain reserves).';
COMMENT ON COLUMN marts.reserves_weekly.other_absorbing_contrib_bn IS 'Contribution of the other absorbing factors: minus their change. The nine *_contrib_bn add up to reserves_change_bn (to rounding).';
COMMENT ON COLUMN marts.reserves_weekly.missing_inputs IS 'FRED series lacking this week or the previous one (the attribution is then NULL, never computed from part of its inputs); NULL when complete.';

-- marts.liquidity_weekly gains the Wednesday-level reserves and a net liquidity on one basis (all H.4.1 Wednesday).
ALTER TABLE marts.liquidity_weekly ADD COLUMN IF NOT EXISTS reserves_wed_bn DOUBLE;
ALTER TABLE marts.liquidity_weekly ADD COLUMN IF NOT EXISTS net_liquidity_h41_bn DOUBLE;
COMMENT ON COLUMN marts.liquidity_weekly.reserves_wed_bn IS 'Reserve balances, Wednesday level (FRED WRBWFRBL): the H.4.1 headline, on the same basis as total_assets_bn and tga_bn (reserves_bn is the week average).';
COMMENT ON COLUMN marts.liquidity_weekly.net_liquidity_h41_bn IS 'total_assets_bn - tga_bn - reverse repos with others (FRED WLRRAOL), all Wednesday levels of the one H.4.1 table; net_liquidity_bn takes ON RRP from the NY Fed operation (RRPONTSYD) instead. NULL when a part is missing.';

CREATE TABLE IF NOT EXISTS marts.rmp_rounds (
    round VARCHAR PRIMARY KEY,
    announced_on DATE,
    window_from DATE,
    window_to DATE,
    amount_bn DOUBLE,
    amount_basis VARCHAR,
    start_wednesday DATE,
    end_wednesday DATE,
    status VARCHAR,
    securities_growth_bn DOUBLE,
    treasury_growth_bn DOUBLE,
    mbs_change_bn DOUBLE,
    bills_growth_bn DOUBLE,
    attainment DOUBLE,
    citation_url VARCHAR
);
COMMENT ON TABLE marts.rmp_rounds IS 'Reserve-management purchases per announced round (grain: round of ref.rmp_rounds), measured over the round''s own window with H.4.1 Wednesday levels, never over a calendar month. $ billions.';
COMMENT ON COLUMN marts.rmp_rounds.round IS 'Round label (ref.rmp_rounds.round).';
COMMENT ON COLUMN marts.rmp_rounds.announced_on IS 'Day the round was announced (ref.rmp_rounds).';
COMMENT ON COLUMN marts.rmp_rounds.window_from IS 'First day of the purchase window.';
COMMENT ON COLUMN marts.rmp_rounds.window_to IS 'Last day of the purchase window (the next announcement).';
COMMENT ON COLUMN marts.rmp_rounds.amount_bn IS 'Announced RMP amount, USD billions (NULL: not reviewed, not compared).';
COMMENT ON COLUMN marts.rmp_rounds.amount_basis IS 'announced, approximate (secondary) or not reviewed (ref.rmp_rounds.amount_basis).';
COMMENT ON COLUMN marts.rmp_rounds.start_wednesday IS 'H.4.1 Wednesday the measure starts from: the last Wednesday before window_from.';
COMMENT ON COLUMN marts.rmp_rounds.end_wednesday IS 'H.4.1 Wednesday the measure ends on: the last Wednesday on or before window_to, or the latest held Wednesday while the round runs (NULL before it starts).';
COMMENT ON COLUMN marts.rmp_rounds.status IS 'complete, in_progress (measured to the latest held Wednesday, against the whole round''s amount) or not_started.';
COMMENT ON COLUMN marts.rmp_rounds.securities_growth_bn IS 'Change of securities held outright (FRED WSHOSHO) over the measure: the net purchase (agency principal reinvested in bills offsets the MBS paydowns).';
COMMENT ON COLUMN marts.rmp_rounds.treasury_growth_bn IS 'Change of Treasury securities held (FRED TREAST): RMPs plus the reinvestment of agency principal.';
COMMENT ON COLUMN marts.rmp_rounds.mbs_change_bn IS 'Change of MBS held (FRED WSHOMCB): the paydowns (negative).';
COMMENT ON COLUMN marts.rmp_rounds.bills_growth_bn IS 'Change of Treasury bills held (FRED WSHOBL), the cleanest RMP tracker (also carries the reinvestments); NULL where WSHOBL is not held.';
COMMENT ON COLUMN marts.rmp_rounds.attainment IS 'securities_growth_bn / amount_bn (NULL where no amount is reviewed). Purchases settle a day or two after trade: a window''s last days may land in the next round.';
COMMENT ON COLUMN marts.rmp_rounds.citation_url IS 'Where the amount or pace is published (ref.rmp_rounds).';

CREATE TABLE IF NOT EXISTS marts.treasury_cash_daily (
    date DATE PRIMARY KEY,
    tga_bn DOUBLE,
    debt_limit_regime VARCHAR,
    debt_limit_since DATE,
    quarter_end DATE,
    assumed_cash_bn DOUBLE,
    is_quarter_end BOOLEAN,
    gap_to_assumption_bn DOUBLE,
    reported_cash_bn DOUBLE
);
COMMENT ON TABLE marts.treasury_cash_daily IS 'Treasury cash in context (grain: DTS business day of marts.tga_daily): the TGA closing balance beside the debt-limit regime in force (ref.debt_limit_events) and the end-of-quarter cash balance Treasury assumed in its refunding estimate (ref.treasury_cash_assumptions). $ billions. The debt limit headroom (DTS table IIIC) is not loaded.';
COMMENT ON COLUMN marts.treasury_cash_daily.date IS 'DTS record date.';
COMMENT ON COLUMN marts.treasury_cash_daily.tga_bn IS 'TGA closing balance (marts.tga_daily.tga_bn).';
COMMENT ON COLUMN marts.treasury_cash_daily.debt_limit_regime IS 'suspended, limit_in_force or extraordinary_measures: the regime of the latest reviewed event on or before the day (NULL before the first).';
COMMENT ON COLUMN marts.treasury_cash_daily.debt_limit_since IS 'Date of that event (join ref.debt_limit_events for its citation).';
COMMENT ON COLUMN marts.treasury_cash_daily.quarter_end IS 'Last day of the calendar quarter containing the day.';
COMMENT ON COLUMN marts.treasury_cash_daily.assumed_cash_bn IS 'End-of-quarter cash Treasury assumed for that quarter (latest reviewed estimate), from the day it was announced; NULL before that and where none is reviewed.';
COMMENT ON COLUMN marts.treasury_cash_daily.is_quarter_end IS 'True on the quarter''s last DTS day (only when the data reach the quarter''s end).';
COMMENT ON COLUMN marts.treasury_cash_daily.gap_to_assumption_bn IS 'On the quarter''s last DTS day: tga_bn - assumed_cash_bn (above + / below - the assumption); NULL on other days.';
COMMENT ON COLUMN marts.treasury_cash_daily.reported_cash_bn IS 'On the quarter''s last DTS day: the end-of-quarter cash Treasury later reported (ref.treasury_cash_assumptions; rounded to $1bn), a cross-check of tga_bn.';

CREATE TABLE IF NOT EXISTS marts.reserve_ampleness_weekly (
    week DATE PRIMARY KEY,
    reserves_bn DOUBLE,
    bank_assets_bn DOUBLE,
    reserves_to_assets_pct DOUBLE,
    effr_iorb_bp DOUBLE,
    sofr_iorb_bp DOUBLE,
    elasticity_bp_per_pp DOUBLE,
    elasticity_t DOUBLE,
    elasticity_weeks INTEGER,
    regime VARCHAR,
    regime_basis VARCHAR
);
COMMENT ON TABLE marts.reserve_ampleness_weekly IS 'Are reserves ample? (grain: week ending Wednesday with H.4.1 week-average reserves): reserves as a share of commercial banks'' total assets (H.8), EFFR-IORB and SOFR-IORB, a rolling public proxy of the NY Fed''s Reserve Demand Elasticity and a regime label whose thresholds are cited (transforms/ampleness.py: Afonso, Giannone, La Spada and Williams, NY Fed Staff Report 1019; Liberty Street Economics 2024-10-17).';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.week IS 'The Wednesday ending the week (H.4.1 and H.8 weeks end on Wednesday).';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.reserves_bn IS 'Reserve balances, week average (FRED WRESBAL), $ billions: the same basis as the H.8 week average below.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.bank_assets_bn IS 'Total assets of all commercial banks, week average, seasonally adjusted (H.8, FRED TLAACBW027SBOG), $ billions; NULL where not held.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.reserves_to_assets_pct IS '100 x reserves_bn / bank_assets_bn.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.effr_iorb_bp IS 'Mean of (EFFR - IORB) x 100 over the business days of the seven days ending the Wednesday, basis points; NULL before IORB (2021-07-29).';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.sofr_iorb_bp IS 'Mean of (SOFR - IORB) x 100 over the same days, basis points.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.elasticity_bp_per_pp IS 'Public proxy of the reserve demand elasticity: OLS slope of effr_iorb_bp on reserves_to_assets_pct over the trailing 52 weeks (at least 26 with both), bp per percentage point; no instruments, so a rough gauge, not the NY Fed''s estimate.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.elasticity_t IS 'OLS t-statistic of that slope.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.elasticity_weeks IS 'Weeks of the trailing window with both inputs.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.regime IS 'abundant (ratio >= 12%, SR 1019''s satiation threshold), approaching_scarce (ratio below it and the slope significantly negative, t <= -2), ample (ratio below it, slope not significantly negative: LSE 2024-10-17 "only modestly negative"); NULL when an input is missing.';
COMMENT ON COLUMN marts.reserve_ampleness_weekly.regime_basis IS 'What the label rests on, with its citation, or which input is missing.';
