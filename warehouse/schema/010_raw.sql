-- Raw landing: append-only, one table per source dataset. A row is appended only when its key is new or its
-- values differ from the latest version held, so raw holds every distinct version (the revision history).
CREATE SCHEMA IF NOT EXISTS raw;
INSERT OR REPLACE INTO meta.schema_comments VALUES ('raw', 'Append-only landing of parsed source batches; every distinct version of every row, with lineage.');

CREATE TABLE IF NOT EXISTS raw.fred_observations (
    series_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    value DOUBLE,
    units VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.fred_observations IS 'FRED observations (grain: series_id x date x version). Values in the series'' native units.';
COMMENT ON COLUMN raw.fred_observations.series_id IS 'FRED series id (see ref.fred_series).';
COMMENT ON COLUMN raw.fred_observations.date IS 'Observation date as FRED stamps it (Wednesday for H.4.1 weekly series).';
COMMENT ON COLUMN raw.fred_observations.value IS 'Observed value in `units` (NULL where FRED has no value: blank or ".").';
COMMENT ON COLUMN raw.fred_observations.units IS 'Units of `value`: from the FRED series metadata (API) or the catalog (keyless CSV).';
COMMENT ON COLUMN raw.fred_observations.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.fred_observations.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.fred_observations.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.fred_observations.source_url IS 'Request URL (API key redacted).';
COMMENT ON COLUMN raw.fred_observations.published_at IS 'When this version became public (UTC): the release rule''s time for the observation (transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises; a FRED vintage: the start of its ALFRED real-time period. NULL for rows landed before it was recorded. core.fred_observations_history.valid_from is its New York date.';

CREATE TABLE IF NOT EXISTS raw.treasury_auctions (
    cusip VARCHAR NOT NULL,
    auction_date DATE NOT NULL,
    security_type VARCHAR,
    security_term VARCHAR,
    original_security_term VARCHAR,
    announcemt_date DATE,
    issue_date DATE,
    maturity_date DATE,
    reopening VARCHAR,
    cash_management_bill_cmb VARCHAR,
    offering_amt DOUBLE,
    total_tendered DOUBLE,
    total_accepted DOUBLE,
    bid_to_cover_ratio DOUBLE,
    high_yield DOUBLE,
    high_discnt_rate DOUBLE,
    high_investment_rate DOUBLE,
    int_rate DOUBLE,
    primary_dealer_accepted DOUBLE,
    direct_bidder_accepted DOUBLE,
    indirect_bidder_accepted DOUBLE,
    soma_accepted DOUBLE,
    soma_tendered DOUBLE,
    soma_holdings DOUBLE,
    soma_included VARCHAR,
    fima_noncomp_accepted DOUBLE,
    comp_accepted DOUBLE,
    noncomp_accepted DOUBLE,
    inflation_index_security VARCHAR,
    floating_rate VARCHAR,
    ref_cpi_on_dated_date DOUBLE,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.treasury_auctions IS 'Treasury auctions from Fiscal Data auctions_query (grain: cusip x auction_date x version). Rows appear at announcement with NULL results and get a new version when results arrive.';
COMMENT ON COLUMN raw.treasury_auctions.cusip IS 'CUSIP of the security auctioned.';
COMMENT ON COLUMN raw.treasury_auctions.auction_date IS 'Auction date.';
COMMENT ON COLUMN raw.treasury_auctions.security_type IS 'Bill, Note, Bond (TIPS/FRN/CMB flagged in other fields).';
COMMENT ON COLUMN raw.treasury_auctions.security_term IS 'Term as auctioned (remaining term for reopenings), e.g. 13-Week, 10-Year.';
COMMENT ON COLUMN raw.treasury_auctions.original_security_term IS 'Original term of the security (for reopenings).';
COMMENT ON COLUMN raw.treasury_auctions.announcemt_date IS 'Announcement date.';
COMMENT ON COLUMN raw.treasury_auctions.issue_date IS 'Issue (settlement) date.';
COMMENT ON COLUMN raw.treasury_auctions.maturity_date IS 'Maturity date.';
COMMENT ON COLUMN raw.treasury_auctions.reopening IS 'Yes when the auction reopens an existing security.';
COMMENT ON COLUMN raw.treasury_auctions.cash_management_bill_cmb IS 'Yes for cash management bills.';
COMMENT ON COLUMN raw.treasury_auctions.offering_amt IS 'Offering amount, USD.';
COMMENT ON COLUMN raw.treasury_auctions.total_tendered IS 'Total tendered, USD.';
COMMENT ON COLUMN raw.treasury_auctions.total_accepted IS 'Total accepted, USD.';
COMMENT ON COLUMN raw.treasury_auctions.bid_to_cover_ratio IS 'Bid-to-cover ratio (tendered / accepted, competitive+noncompetitive, excl. SOMA).';
COMMENT ON COLUMN raw.treasury_auctions.high_yield IS 'High (stop-out) yield, percent (notes/bonds; NULL for bills).';
COMMENT ON COLUMN raw.treasury_auctions.high_discnt_rate IS 'High discount rate, percent (bills).';
COMMENT ON COLUMN raw.treasury_auctions.high_investment_rate IS 'High investment (bond-equivalent) rate, percent (bills).';
COMMENT ON COLUMN raw.treasury_auctions.int_rate IS 'Coupon interest rate, percent.';
COMMENT ON COLUMN raw.treasury_auctions.primary_dealer_accepted IS 'Accepted from primary dealers, USD.';
COMMENT ON COLUMN raw.treasury_auctions.direct_bidder_accepted IS 'Accepted from direct bidders, USD.';
COMMENT ON COLUMN raw.treasury_auctions.indirect_bidder_accepted IS 'Accepted from indirect bidders (proxy for foreign/official demand), USD.';
COMMENT ON COLUMN raw.treasury_auctions.soma_accepted IS 'Federal Reserve SOMA add-on accepted (rollover of maturing holdings), USD.';
COMMENT ON COLUMN raw.treasury_auctions.soma_tendered IS 'SOMA tendered, USD.';
COMMENT ON COLUMN raw.treasury_auctions.soma_holdings IS 'SOMA holdings of the maturing securities, USD.';
COMMENT ON COLUMN raw.treasury_auctions.soma_included IS 'Yes when the SOMA add-on is included in the offering amount.';
COMMENT ON COLUMN raw.treasury_auctions.fima_noncomp_accepted IS 'FIMA noncompetitive accepted, USD.';
COMMENT ON COLUMN raw.treasury_auctions.comp_accepted IS 'Competitive accepted, USD.';
COMMENT ON COLUMN raw.treasury_auctions.noncomp_accepted IS 'Noncompetitive accepted, USD.';
COMMENT ON COLUMN raw.treasury_auctions.inflation_index_security IS 'Yes for Treasury Inflation-Protected Securities (TIPS); NULL where the record does not say (older records, and the bundled replay before 2025).';
COMMENT ON COLUMN raw.treasury_auctions.floating_rate IS 'Yes for Floating Rate Notes (FRN); NULL where the record does not say.';
COMMENT ON COLUMN raw.treasury_auctions.ref_cpi_on_dated_date IS 'Reference CPI on the dated date, index points (1982-1984 = 100): only TIPS have one.';
COMMENT ON COLUMN raw.treasury_auctions.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.treasury_auctions.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.treasury_auctions.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.treasury_auctions.source_url IS 'Request URL.';
COMMENT ON COLUMN raw.treasury_auctions.published_at IS 'When this version became public (UTC): the release rule''s time for the observation (transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises; a FRED vintage: the start of its ALFRED real-time period. NULL for rows landed before it was recorded. core.treasury_auctions_history.valid_from is its New York date.';

CREATE TABLE IF NOT EXISTS raw.nyfed_reference_rates (
    effective_date DATE NOT NULL,
    rate_type VARCHAR NOT NULL,
    rate_pct DOUBLE,
    percentile_1_pct DOUBLE,
    percentile_25_pct DOUBLE,
    percentile_75_pct DOUBLE,
    percentile_99_pct DOUBLE,
    volume_bn DOUBLE,
    target_rate_from_pct DOUBLE,
    target_rate_to_pct DOUBLE,
    revision_indicator VARCHAR,
    sofr_avg_30d_pct DOUBLE,
    sofr_avg_90d_pct DOUBLE,
    sofr_avg_180d_pct DOUBLE,
    sofr_index DOUBLE,
    extra VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.nyfed_reference_rates IS 'NY Fed reference rates (grain: rate_type x effective_date x version).';
COMMENT ON COLUMN raw.nyfed_reference_rates.effective_date IS 'Business day the rate applies to (published 8:00 ET the next business day).';
COMMENT ON COLUMN raw.nyfed_reference_rates.rate_type IS 'SOFR, TGCR, BGCR (secured), EFFR, OBFR (unsecured), SOFRAI (SOFR averages and index, in their own columns); a type the NY Fed adds is kept as sent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.rate_pct IS 'Published rate (volume-weighted median), percent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.percentile_1_pct IS '1st percentile of the transaction distribution, percent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.percentile_25_pct IS '25th percentile, percent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.percentile_75_pct IS '75th percentile, percent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.percentile_99_pct IS '99th percentile, percent.';
COMMENT ON COLUMN raw.nyfed_reference_rates.volume_bn IS 'Transaction volume underlying the rate, USD billions.';
COMMENT ON COLUMN raw.nyfed_reference_rates.target_rate_from_pct IS 'FOMC target range bottom, percent (EFFR/OBFR rows).';
COMMENT ON COLUMN raw.nyfed_reference_rates.target_rate_to_pct IS 'FOMC target range top, percent (EFFR/OBFR rows).';
COMMENT ON COLUMN raw.nyfed_reference_rates.revision_indicator IS 'Y when the NY Fed revised the published rate.';
COMMENT ON COLUMN raw.nyfed_reference_rates.sofr_avg_30d_pct IS '30-day average SOFR, percent; only on SOFRAI rows (SOFR Averages and Index, rate_pct NULL), which are dated the day they are published, one business day after the SOFR they include.';
COMMENT ON COLUMN raw.nyfed_reference_rates.sofr_avg_90d_pct IS '90-day average SOFR, percent; SOFRAI rows only.';
COMMENT ON COLUMN raw.nyfed_reference_rates.sofr_avg_180d_pct IS '180-day average SOFR, percent; SOFRAI rows only.';
COMMENT ON COLUMN raw.nyfed_reference_rates.sofr_index IS 'SOFR Index (compounded SOFR, 1.00000000 on 2018-04-02), unitless; SOFRAI rows only.';
COMMENT ON COLUMN raw.nyfed_reference_rates.extra IS 'JSON object of the non-empty fields of the row that qtwatch does not model (intraday low/high, standard deviation, footnote, or a column the NY Fed adds), kept as sent; NULL when none. New fields are logged once per run, never a reason to quarantine.';
COMMENT ON COLUMN raw.nyfed_reference_rates.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.nyfed_reference_rates.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.nyfed_reference_rates.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.nyfed_reference_rates.source_url IS 'Request URL.';
COMMENT ON COLUMN raw.nyfed_reference_rates.published_at IS 'When this version became public (UTC): the release rule''s time for the observation (transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises; a FRED vintage: the start of its ALFRED real-time period. NULL for rows landed before it was recorded. core.nyfed_reference_rates_history.valid_from is its New York date.';

CREATE TABLE IF NOT EXISTS raw.nyfed_rp_operations (
    operation_id VARCHAR NOT NULL,
    operation_date DATE NOT NULL,
    settlement_date DATE,
    maturity_date DATE,
    operation_type VARCHAR,
    operation_method VARCHAR,
    term VARCHAR,
    term_calendar_days BIGINT,
    release_time VARCHAR,
    close_time VARCHAR,
    participating_cpty BIGINT,
    accepted_cpty BIGINT,
    total_amt_submitted_usd DOUBLE,
    total_amt_accepted_usd DOUBLE,
    award_rate_pct DOUBLE,
    note VARCHAR,
    extra VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.nyfed_rp_operations IS 'NY Fed repo (standing repo facility) and reverse repo (ON RRP) operation results (grain: operation x version).';
COMMENT ON COLUMN raw.nyfed_rp_operations.operation_id IS 'NY Fed operation id, e.g. RP 103125 1 (in the bundled recording some days hold a day total whose id concatenates several).';
COMMENT ON COLUMN raw.nyfed_rp_operations.operation_date IS 'Operation (trade) date.';
COMMENT ON COLUMN raw.nyfed_rp_operations.settlement_date IS 'Settlement date.';
COMMENT ON COLUMN raw.nyfed_rp_operations.maturity_date IS 'Maturity date.';
COMMENT ON COLUMN raw.nyfed_rp_operations.operation_type IS 'Repo (liquidity provided: standing repo facility) or Reverse Repo (ON RRP, liquidity absorbed).';
COMMENT ON COLUMN raw.nyfed_rp_operations.operation_method IS 'Fixed Rate (ON RRP), Multiple Price / Full Allotment (repo).';
COMMENT ON COLUMN raw.nyfed_rp_operations.term IS 'Term, e.g. Overnight.';
COMMENT ON COLUMN raw.nyfed_rp_operations.term_calendar_days IS 'Term in calendar days.';
COMMENT ON COLUMN raw.nyfed_rp_operations.release_time IS 'Operation open time, ET (HH:MM).';
COMMENT ON COLUMN raw.nyfed_rp_operations.close_time IS 'Operation close time, ET (HH:MM).';
COMMENT ON COLUMN raw.nyfed_rp_operations.participating_cpty IS 'Counterparties that submitted.';
COMMENT ON COLUMN raw.nyfed_rp_operations.accepted_cpty IS 'Counterparties accepted.';
COMMENT ON COLUMN raw.nyfed_rp_operations.total_amt_submitted_usd IS 'Total submitted, USD (not millions).';
COMMENT ON COLUMN raw.nyfed_rp_operations.total_amt_accepted_usd IS 'Total accepted, USD (not millions).';
COMMENT ON COLUMN raw.nyfed_rp_operations.award_rate_pct IS 'Award rate (ON RRP) or weighted average rate (repo) of the Treasury tranche, percent.';
COMMENT ON COLUMN raw.nyfed_rp_operations.note IS 'NY Fed note on the operation (HTML text), e.g. small value exercise.';
COMMENT ON COLUMN raw.nyfed_rp_operations.extra IS 'JSON object of the operation''s non-empty fields that qtwatch does not model (auctionStatus, settlementType, lastUpdated, propositions, or a field the NY Fed adds), kept as sent; new fields are logged once per run, never a reason to quarantine.';
COMMENT ON COLUMN raw.nyfed_rp_operations.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.nyfed_rp_operations.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.nyfed_rp_operations.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.nyfed_rp_operations.source_url IS 'Request URL.';
COMMENT ON COLUMN raw.nyfed_rp_operations.published_at IS 'When this version became public (UTC): the release rule''s time for the observation (transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises; a FRED vintage: the start of its ALFRED real-time period. NULL for rows landed before it was recorded. core.nyfed_rp_operations_history.valid_from is its New York date.';

CREATE TABLE IF NOT EXISTS raw.dts_operating_cash_balance (
    record_date DATE NOT NULL,
    account_type VARCHAR NOT NULL,
    open_today_bal DOUBLE,
    close_today_bal DOUBLE,
    open_month_bal DOUBLE,
    open_fiscal_year_bal DOUBLE,
    sub_table_name VARCHAR,
    src_line_nbr BIGINT,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.dts_operating_cash_balance IS 'Daily Treasury Statement Table I, operating cash balance (grain: record_date x account_type x version). USD millions.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.record_date IS 'Statement date.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.account_type IS 'Row label; changed on 2022-04-18 (Federal Reserve Account / Treasury General Account (TGA) -> TGA Opening/Closing Balance rows).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.open_today_bal IS 'Opening balance today, USD millions (on the Closing Balance row it holds the closing balance).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.close_today_bal IS 'Closing balance today, USD millions (the API sends "null" on current rows).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.open_month_bal IS 'Opening balance this month, USD millions.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.open_fiscal_year_bal IS 'Opening balance this fiscal year, USD millions.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.sub_table_name IS 'Sub-table name (Type of account / Cash Balance Details).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.src_line_nbr IS 'Line number within the table.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.dts_operating_cash_balance.source_url IS 'Request URL.';
COMMENT ON COLUMN raw.dts_operating_cash_balance.published_at IS 'When this version became public (UTC): the release rule''s time for the observation (transforms/registry.py); a live run never stamps it after the fetch and stamps a revision at the fetch; a new version is never before the one it revises; a FRED vintage: the start of its ALFRED real-time period. NULL for rows landed before it was recorded. core.dts_operating_cash_balance_history.valid_from is its New York date.';
