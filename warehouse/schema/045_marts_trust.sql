-- Issue 22 "Answers an analyst can trust": columns added to existing marts (idempotent: ADD COLUMN IF NOT EXISTS),
-- and the comments whose meaning changed. Marts are rebuilt every run, so a new column is filled on the next run.

-- ---------------------------------------------------------------------------------------------------------------
-- marts.funding_daily: one row per Fed business day; stress thresholds that mean stress; where the averages came from
ALTER TABLE marts.funding_daily ADD COLUMN IF NOT EXISTS stress_reasons VARCHAR;
ALTER TABLE marts.funding_daily ADD COLUMN IF NOT EXISTS stress_inputs_missing VARCHAR;
ALTER TABLE marts.funding_daily ADD COLUMN IF NOT EXISTS sofr_avg_source VARCHAR;
COMMENT ON TABLE marts.funding_daily IS 'One row per Federal Reserve business day from the first SOFR fixing (2018-04-03) to the newest day of any input: repo and fed funds rates against IORB, ON RRP and Standing Repo Facility take-up, period-end and stress flags. SOFR-derived columns are NULL on the newest day until SOFR is published (08:00 ET the next business day) while that day''s ON RRP (13:15) and SRF take-up (13:45) are already there. Rates percent, spreads basis points (rounded to 0.01 bp), amounts $ billions.';
COMMENT ON COLUMN marts.funding_daily.date IS 'Federal Reserve business day the row describes (SOFR for day T is published T+1 08:00 ET and dated T).';
COMMENT ON COLUMN marts.funding_daily.sofr_pct IS 'Secured Overnight Financing Rate, percent; FRED SOFR (longer history), NY Fed reference rates where FRED has no value; NULL until published (next business day 08:00 ET) and on Fed business days that are SIFMA closes (Good Friday).';
COMMENT ON COLUMN marts.funding_daily.stress_flag IS 'Funding stress in today''s regime (SOFR trading at IORB is ordinary since mid-2025): TRUE when any test of stress_reasons fires; FALSE when none does, which on a row with stress_inputs_missing only means the tests that could run did not fire. Thresholds and sources in transforms/funding.py (SOFR_AT_SRF_RATE_BP, SOFR_JUMP_*, SRF_STRESS_BN, SOFR_P99_STRESS_BP).';
COMMENT ON COLUMN marts.funding_daily.stress_reasons IS 'Comma-separated stress tests that fired, NULL when none: sofr_at_srf_rate (sofr_iorb_bp >= 10: SOFR at or above the top of the target range = SRF minimum bid rate, IORB being set 10 bp below it since 2021-07-29), sofr_jump (sofr_iorb_bp >= 5 and >= 8 bp above its median over the previous 60 SOFR fixings), srf_takeup (srf_takeup_bn >= 5), sofr_p99_tail (sofr_p99_iorb_bp >= 25).';
COMMENT ON COLUMN marts.funding_daily.stress_inputs_missing IS 'Comma-separated inputs of the stress tests missing on the row (SOFR or IORB, SRF take-up, SOFR p99), NULL when all are there: a FALSE stress_flag beside it is not an all-clear.';
COMMENT ON COLUMN marts.funding_daily.sofr_avg_source IS 'Where sofr_avg_30d_pct, sofr_avg_90d_pct, sofr_avg_180d_pct and sofr_index of the row come from: nyfed (the NY Fed SOFRAI row, preferred) or fred (FRED SOFR30DAYAVG, SOFR90DAYAVG, SOFR180DAYAVG, SOFRINDEX, used only when the NY Fed sent no SOFRAI row for the date); NULL when neither has the date.';
COMMENT ON COLUMN marts.funding_daily.sofr_avg_30d_pct IS '30-day average SOFR, percent (compounded), as the NY Fed dates it: published that morning from SOFR up to the previous business day; NY Fed SOFRAI row, else FRED SOFR30DAYAVG (sofr_avg_source says which).';
COMMENT ON COLUMN marts.funding_daily.sofr_avg_90d_pct IS '90-day average SOFR, percent; NY Fed SOFRAI row, else FRED SOFR90DAYAVG, dated as sofr_avg_30d_pct.';
COMMENT ON COLUMN marts.funding_daily.sofr_avg_180d_pct IS '180-day average SOFR, percent; NY Fed SOFRAI row, else FRED SOFR180DAYAVG, dated as sofr_avg_30d_pct.';
COMMENT ON COLUMN marts.funding_daily.sofr_index IS 'SOFR Index (compounded SOFR since 2018-04-02 = 1.00000000), unitless; NY Fed SOFRAI row, else FRED SOFRINDEX, dated as sofr_avg_30d_pct.';

-- ---------------------------------------------------------------------------------------------------------------
-- marts.auction_health: the tenor of cross-term reopenings; baselines only over complete previous auctions
ALTER TABLE marts.auction_health ADD COLUMN IF NOT EXISTS baseline_auctions INTEGER;
ALTER TABLE marts.auction_health ADD COLUMN IF NOT EXISTS baseline_coverage VARCHAR;
COMMENT ON COLUMN marts.auction_health.tenor IS 'Comparison tenor: security_term for bills (a 13-week bill is a reopening of a 26-week bill and carries original_security_term 26-Week); for coupons the whole-year term announced for this auction (the 2-year auction of 2026-01-26 reopened the 2023 5-year note 91282CGH8: tenor 2-Year), else, for a reopening announced by its remaining term (9-Year 11-Month), the original term of the security (from the record, else from its first whole-year auction in the data), else the standard tenor nearest its life.';
COMMENT ON COLUMN marts.auction_health.btc_vs_prev6 IS 'bid_to_cover minus the mean bid-to-cover of the 6 previous auctions with the same security_class and tenor, counted over every auction the data knows (announced ones too); NULL unless baseline_coverage is complete (all 6 have results and, for a regular bill, no calendar week is missing between them), so an incomplete history never gives a number.';
COMMENT ON COLUMN marts.auction_health.baseline_auctions IS 'How many of the 6 previous auctions of the same security_class and tenor (announced ones included) have results: the coverage behind btc_vs_prev6.';
COMMENT ON COLUMN marts.auction_health.baseline_coverage IS 'complete, or why btc_vs_prev6 is NULL: ''incomplete: k of the 6 previous auctions have results'', or for a regular bill ''incomplete: the 6 previous auctions span N days; auctions missing from the data'' (Treasury auctions those weekly, the 52-week every 4 weeks).';

-- ---------------------------------------------------------------------------------------------------------------
-- marts.bill_share_monthly: coverage against Treasury's bill calendar and the data's announcements
ALTER TABLE marts.bill_share_monthly ADD COLUMN IF NOT EXISTS auctions_expected INTEGER;
ALTER TABLE marts.bill_share_monthly ADD COLUMN IF NOT EXISTS bill_auctions_expected INTEGER;
ALTER TABLE marts.bill_share_monthly ADD COLUMN IF NOT EXISTS coverage VARCHAR;
COMMENT ON TABLE marts.bill_share_monthly IS 'One row per issue month (issue_date, auction_date when missing) with completed Treasury auctions: gross issuance and the share of bills, $ billions; the sums are NULL unless every auction that should settle in the month has results (auctions_expected, coverage).';
COMMENT ON COLUMN marts.bill_share_monthly.gross_issuance_bn IS 'Sum of total_accepted of auctions settling in the month (incl. SOMA and FIMA add-ons), $ billions; gross, before maturing debt. NULL when auctions < auctions_expected (see coverage).';
COMMENT ON COLUMN marts.bill_share_monthly.bills_bn IS 'Part of gross_issuance_bn in bills (security_kind Bill or CMB), $ billions; NULL when auctions < auctions_expected.';
COMMENT ON COLUMN marts.bill_share_monthly.bill_share IS 'bills_bn / gross_issuance_bn (fraction); NULL when auctions < auctions_expected: a share of incomplete inputs is not printed.';
COMMENT ON COLUMN marts.bill_share_monthly.soma_addon_bn IS 'SOMA rollover add-ons included in gross_issuance_bn, $ billions; NULL when auctions < auctions_expected.';
COMMENT ON COLUMN marts.bill_share_monthly.auctions_expected IS 'Auctions that should settle in the month: per regular bill (4-, 8-, 17-week on Tuesdays, 6-, 13-, 26-week on Thursdays, 52-week every 4th Thursday; transforms/auction_coverage.py, from 2019) the larger of Treasury''s calendar and the announcements in the data, plus every other announced auction (coupons, CMBs).';
COMMENT ON COLUMN marts.bill_share_monthly.bill_auctions_expected IS 'The bill and CMB part of auctions_expected.';
COMMENT ON COLUMN marts.bill_share_monthly.coverage IS '''complete: n of N auctions have results (bills b of B)'' or ''incomplete: …'': the counts behind the sums, in the same row.';
COMMENT ON COLUMN marts.funding_daily.srf_takeup_bn IS 'Accepted amount of the NY Fed repo operations of the date (Standing Repo Facility morning + afternoon; in 2019-2021 the temporary repo operations), Small Value Exercises (token test operations, named so in their note) left out, $ billions (NY Fed USD / 1e9). 0 on days whose operations lent nothing and on days without scheduled operations (not a U.S. government securities business day, e.g. Good Friday); NULL on a scheduled day the loaded operations lack (a hole) and outside their date range: known the same day (results ~13:45 ET).';

-- ---------------------------------------------------------------------------------------------------------------
-- marts.basis_weekly: the rank since 2017 says how many weeks it could not see
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS pctile_weeks_missing BIGINT;
COMMENT ON COLUMN marts.basis_weekly.pctile_weeks_missing IS 'Report weeks from 2017 up to this one that the loaded CFTC data lacks for the tenor (the rows whose positions are NULL; the CFTC publishes every week): lev_net_pctile_since_2017 ranks without them, so above 0 a "largest since 2017" read from it may miss the real extreme.';
