-- Raw landing of the CFTC Traders in Financial Futures (futures only) Treasury rows: transforms/cftc.py SCHEMA +
-- lineage. Every column of the yearly file is kept under its CFTC name lower-cased (the two date headers renamed);
-- positions in contracts. tests/warehouse_tests/test_cftc_ddl.py keeps this file and the parser's SCHEMA in step.
CREATE TABLE IF NOT EXISTS raw.cftc_tff (
    market_and_exchange_names VARCHAR,
    as_of_date_yymmdd VARCHAR,
    report_date DATE NOT NULL,
    cftc_contract_market_code VARCHAR NOT NULL,
    cftc_market_code VARCHAR,
    cftc_region_code VARCHAR,
    cftc_commodity_code VARCHAR,
    open_interest_all BIGINT,
    dealer_positions_long_all BIGINT,
    dealer_positions_short_all BIGINT,
    dealer_positions_spread_all BIGINT,
    asset_mgr_positions_long_all BIGINT,
    asset_mgr_positions_short_all BIGINT,
    asset_mgr_positions_spread_all BIGINT,
    lev_money_positions_long_all BIGINT,
    lev_money_positions_short_all BIGINT,
    lev_money_positions_spread_all BIGINT,
    other_rept_positions_long_all BIGINT,
    other_rept_positions_short_all BIGINT,
    other_rept_positions_spread_all BIGINT,
    tot_rept_positions_long_all BIGINT,
    tot_rept_positions_short_all BIGINT,
    nonrept_positions_long_all BIGINT,
    nonrept_positions_short_all BIGINT,
    change_in_open_interest_all BIGINT,
    change_in_dealer_long_all BIGINT,
    change_in_dealer_short_all BIGINT,
    change_in_dealer_spread_all BIGINT,
    change_in_asset_mgr_long_all BIGINT,
    change_in_asset_mgr_short_all BIGINT,
    change_in_asset_mgr_spread_all BIGINT,
    change_in_lev_money_long_all BIGINT,
    change_in_lev_money_short_all BIGINT,
    change_in_lev_money_spread_all BIGINT,
    change_in_other_rept_long_all BIGINT,
    change_in_other_rept_short_all BIGINT,
    change_in_other_rept_spread_all BIGINT,
    change_in_tot_rept_long_all BIGINT,
    change_in_tot_rept_short_all BIGINT,
    change_in_nonrept_long_all BIGINT,
    change_in_nonrept_short_all BIGINT,
    pct_of_open_interest_all DOUBLE,
    pct_of_oi_dealer_long_all DOUBLE,
    pct_of_oi_dealer_short_all DOUBLE,
    pct_of_oi_dealer_spread_all DOUBLE,
    pct_of_oi_asset_mgr_long_all DOUBLE,
    pct_of_oi_asset_mgr_short_all DOUBLE,
    pct_of_oi_asset_mgr_spread_all DOUBLE,
    pct_of_oi_lev_money_long_all DOUBLE,
    pct_of_oi_lev_money_short_all DOUBLE,
    pct_of_oi_lev_money_spread_all DOUBLE,
    pct_of_oi_other_rept_long_all DOUBLE,
    pct_of_oi_other_rept_short_all DOUBLE,
    pct_of_oi_other_rept_spread_all DOUBLE,
    pct_of_oi_tot_rept_long_all DOUBLE,
    pct_of_oi_tot_rept_short_all DOUBLE,
    pct_of_oi_nonrept_long_all DOUBLE,
    pct_of_oi_nonrept_short_all DOUBLE,
    traders_tot_all BIGINT,
    traders_dealer_long_all BIGINT,
    traders_dealer_short_all BIGINT,
    traders_dealer_spread_all BIGINT,
    traders_asset_mgr_long_all BIGINT,
    traders_asset_mgr_short_all BIGINT,
    traders_asset_mgr_spread_all BIGINT,
    traders_lev_money_long_all BIGINT,
    traders_lev_money_short_all BIGINT,
    traders_lev_money_spread_all BIGINT,
    traders_other_rept_long_all BIGINT,
    traders_other_rept_short_all BIGINT,
    traders_other_rept_spread_all BIGINT,
    traders_tot_rept_long_all BIGINT,
    traders_tot_rept_short_all BIGINT,
    conc_gross_le_4_tdr_long_all DOUBLE,
    conc_gross_le_4_tdr_short_all DOUBLE,
    conc_gross_le_8_tdr_long_all DOUBLE,
    conc_gross_le_8_tdr_short_all DOUBLE,
    conc_net_le_4_tdr_long_all DOUBLE,
    conc_net_le_4_tdr_short_all DOUBLE,
    conc_net_le_8_tdr_long_all DOUBLE,
    conc_net_le_8_tdr_short_all DOUBLE,
    contract_units VARCHAR,
    cftc_contract_market_code_quotes VARCHAR,
    cftc_market_code_quotes VARCHAR,
    cftc_commodity_code_quotes VARCHAR,
    cftc_subgroup_code VARCHAR,
    futonly_or_combined VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.cftc_tff IS 'CFTC Traders in Financial Futures, futures only, CBOT Treasury contracts (grain: cftc_contract_market_code x report_date x version), from the yearly history file fut_fin_txt_<YYYY>.zip. Positions in contracts; notional = contracts x face value (contract_units).';
COMMENT ON COLUMN raw.cftc_tff.market_and_exchange_names IS 'Market name as the CFTC printed it that week (the Treasury names changed on 2022-02-08, e.g. 10-YEAR U.S. TREASURY NOTES -> UST 10Y NOTE; join on cftc_contract_market_code).';
COMMENT ON COLUMN raw.cftc_tff.as_of_date_yymmdd IS 'Report date as the file''s YYMMDD text (As_of_Date_In_Form_YYMMDD), kept as printed.';
COMMENT ON COLUMN raw.cftc_tff.report_date IS 'Date of the positions (Report_Date_as_YYYY-MM-DD): a Tuesday, or the Monday before a Tuesday federal holiday (2017-07-03, 2018-12-24, 2018-12-31, 2023-07-03). Published the Friday after at 3:30 pm ET.';
COMMENT ON COLUMN raw.cftc_tff.cftc_contract_market_code IS 'CFTC contract market code, 6 characters with leading zeros: 042601 2-year, 044601 5-year, 043602 10-year, 043607 Ultra 10-year, 020601 Bond, 020604 Ultra Bond (CBOT Treasury futures).';
COMMENT ON COLUMN raw.cftc_tff.cftc_market_code IS 'Exchange code (CBT = Chicago Board of Trade), padding stripped.';
COMMENT ON COLUMN raw.cftc_tff.cftc_region_code IS 'CFTC region code (00).';
COMMENT ON COLUMN raw.cftc_tff.cftc_commodity_code IS 'CFTC commodity code (first three digits of the contract code), padding stripped.';
COMMENT ON COLUMN raw.cftc_tff.open_interest_all IS 'Open interest, contracts: every long position = every short position. Equals the sum of the four reportable groups'' long (or short) plus their spreading plus non-reportable long (or short).';
COMMENT ON COLUMN raw.cftc_tff.dealer_positions_long_all IS 'Dealers/intermediaries (sell-side: banks and dealers): long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.dealer_positions_short_all IS 'Dealers/intermediaries (sell-side: banks and dealers): short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.dealer_positions_spread_all IS 'Dealers/intermediaries (sell-side: banks and dealers): spreading (equal long and short positions held by the same trader; counted once on each side of open interest) positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.asset_mgr_positions_long_all IS 'Asset managers/institutional (pension funds, endowments, insurers, mutual funds): long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.asset_mgr_positions_short_all IS 'Asset managers/institutional (pension funds, endowments, insurers, mutual funds): short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.asset_mgr_positions_spread_all IS 'Asset managers/institutional (pension funds, endowments, insurers, mutual funds): spreading (equal long and short positions held by the same trader; counted once on each side of open interest) positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.lev_money_positions_long_all IS 'Leveraged funds (hedge funds, CTAs, money managers: the basis-trade shorts): long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.lev_money_positions_short_all IS 'Leveraged funds (hedge funds, CTAs, money managers: the basis-trade shorts): short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.lev_money_positions_spread_all IS 'Leveraged funds (hedge funds, CTAs, money managers: the basis-trade shorts): spreading (equal long and short positions held by the same trader; counted once on each side of open interest) positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.other_rept_positions_long_all IS 'Other reportables (reportable traders in none of the other groups): long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.other_rept_positions_short_all IS 'Other reportables (reportable traders in none of the other groups): short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.other_rept_positions_spread_all IS 'Other reportables (reportable traders in none of the other groups): spreading (equal long and short positions held by the same trader; counted once on each side of open interest) positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.tot_rept_positions_long_all IS 'All reportable traders: long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.tot_rept_positions_short_all IS 'All reportable traders: short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.nonrept_positions_long_all IS 'Non-reportable (small) positions: open interest minus reportable positions: long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.nonrept_positions_short_all IS 'Non-reportable (small) positions: open interest minus reportable positions: short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_open_interest_all IS 'Change in open interest from the previous report, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_dealer_long_all IS 'Change from the previous report of dealers/intermediaries long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_dealer_short_all IS 'Change from the previous report of dealers/intermediaries short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_dealer_spread_all IS 'Change from the previous report of dealers/intermediaries spread positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_asset_mgr_long_all IS 'Change from the previous report of asset managers/institutional long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_asset_mgr_short_all IS 'Change from the previous report of asset managers/institutional short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_asset_mgr_spread_all IS 'Change from the previous report of asset managers/institutional spread positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_lev_money_long_all IS 'Change from the previous report of leveraged funds long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_lev_money_short_all IS 'Change from the previous report of leveraged funds short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_lev_money_spread_all IS 'Change from the previous report of leveraged funds spread positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_other_rept_long_all IS 'Change from the previous report of other reportables long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_other_rept_short_all IS 'Change from the previous report of other reportables short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_other_rept_spread_all IS 'Change from the previous report of other reportables spread positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_tot_rept_long_all IS 'Change from the previous report of all reportable traders long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_tot_rept_short_all IS 'Change from the previous report of all reportable traders short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_nonrept_long_all IS 'Change from the previous report of non-reportable long positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.change_in_nonrept_short_all IS 'Change from the previous report of non-reportable short positions, contracts.';
COMMENT ON COLUMN raw.cftc_tff.pct_of_open_interest_all IS 'Open interest as percent of itself (100.0).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_dealer_long_all IS 'Dealers/intermediaries long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_dealer_short_all IS 'Dealers/intermediaries short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_dealer_spread_all IS 'Dealers/intermediaries spread positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_asset_mgr_long_all IS 'Asset managers/institutional long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_asset_mgr_short_all IS 'Asset managers/institutional short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_asset_mgr_spread_all IS 'Asset managers/institutional spread positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_lev_money_long_all IS 'Leveraged funds long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_lev_money_short_all IS 'Leveraged funds short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_lev_money_spread_all IS 'Leveraged funds spread positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_other_rept_long_all IS 'Other reportables long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_other_rept_short_all IS 'Other reportables short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_other_rept_spread_all IS 'Other reportables spread positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_tot_rept_long_all IS 'All reportable traders long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_tot_rept_short_all IS 'All reportable traders short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_nonrept_long_all IS 'Non-reportable long positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.pct_of_oi_nonrept_short_all IS 'Non-reportable short positions as percent of open interest (one decimal, as printed).';
COMMENT ON COLUMN raw.cftc_tff.traders_tot_all IS 'Number of reportable traders in the market (NULL where the CFTC suppresses a count below 4 traders, printed as ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_dealer_long_all IS 'Number of traders with long positions among dealers/intermediaries; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_dealer_short_all IS 'Number of traders with short positions among dealers/intermediaries; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_dealer_spread_all IS 'Number of traders with spread positions among dealers/intermediaries; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_asset_mgr_long_all IS 'Number of traders with long positions among asset managers/institutional; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_asset_mgr_short_all IS 'Number of traders with short positions among asset managers/institutional; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_asset_mgr_spread_all IS 'Number of traders with spread positions among asset managers/institutional; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_lev_money_long_all IS 'Number of traders with long positions among leveraged funds; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_lev_money_short_all IS 'Number of traders with short positions among leveraged funds; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_lev_money_spread_all IS 'Number of traders with spread positions among leveraged funds; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_other_rept_long_all IS 'Number of traders with long positions among other reportables; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_other_rept_short_all IS 'Number of traders with short positions among other reportables; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_other_rept_spread_all IS 'Number of traders with spread positions among other reportables; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_tot_rept_long_all IS 'Number of traders with long positions among all reportable traders; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.traders_tot_rept_short_all IS 'Number of traders with short positions among all reportable traders; NULL where the CFTC suppresses a count below 4 (printed ''.'').';
COMMENT ON COLUMN raw.cftc_tff.conc_gross_le_4_tdr_long_all IS 'Percent of open interest held long by the 4 largest traders, gross positions (before netting).';
COMMENT ON COLUMN raw.cftc_tff.conc_gross_le_4_tdr_short_all IS 'Percent of open interest held short by the 4 largest traders, gross positions (before netting).';
COMMENT ON COLUMN raw.cftc_tff.conc_gross_le_8_tdr_long_all IS 'Percent of open interest held long by the 8 largest traders, gross positions (before netting).';
COMMENT ON COLUMN raw.cftc_tff.conc_gross_le_8_tdr_short_all IS 'Percent of open interest held short by the 8 largest traders, gross positions (before netting).';
COMMENT ON COLUMN raw.cftc_tff.conc_net_le_4_tdr_long_all IS 'Percent of open interest held long by the 4 largest traders, net positions (net of each trader''s opposite side).';
COMMENT ON COLUMN raw.cftc_tff.conc_net_le_4_tdr_short_all IS 'Percent of open interest held short by the 4 largest traders, net positions (net of each trader''s opposite side).';
COMMENT ON COLUMN raw.cftc_tff.conc_net_le_8_tdr_long_all IS 'Percent of open interest held long by the 8 largest traders, net positions (net of each trader''s opposite side).';
COMMENT ON COLUMN raw.cftc_tff.conc_net_le_8_tdr_short_all IS 'Percent of open interest held short by the 8 largest traders, net positions (net of each trader''s opposite side).';
COMMENT ON COLUMN raw.cftc_tff.contract_units IS 'Contract size text, e.g. (CONTRACTS OF $100,000 FACE VALUE); $200,000 for the 2-year note.';
COMMENT ON COLUMN raw.cftc_tff.cftc_contract_market_code_quotes IS 'The contract code again, as the file''s quoted trailer column carries it.';
COMMENT ON COLUMN raw.cftc_tff.cftc_market_code_quotes IS 'The exchange code again (quoted trailer column), padding stripped.';
COMMENT ON COLUMN raw.cftc_tff.cftc_commodity_code_quotes IS 'The commodity code again (quoted trailer column), padding stripped.';
COMMENT ON COLUMN raw.cftc_tff.cftc_subgroup_code IS 'CFTC subgroup code of the market (F30 = interest rates, U.S. Treasury).';
COMMENT ON COLUMN raw.cftc_tff.futonly_or_combined IS 'FutOnly: futures-only positions (this file never mixes in options).';
COMMENT ON COLUMN raw.cftc_tff.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.cftc_tff.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.cftc_tff.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.cftc_tff.source_url IS 'URL of the yearly file the row came from.';
COMMENT ON COLUMN raw.cftc_tff.published_at IS 'When this version became public (UTC): the release rule''s time for the report (Friday 15:30 ET after the report date, the next federal business day after a holiday; transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises. NULL for rows landed before it was recorded. core.cftc_tff_history.valid_from is its New York date.';
