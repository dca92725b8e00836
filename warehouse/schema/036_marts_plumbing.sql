-- Plumbing marts (issue 24): transforms/dealers.py, transforms/repo_segments.py, transforms/funding_events.py.
-- Column names and types mirror each module's SCHEMA (tests/plumbing_tests/test_plumbing_ddl.py). Amounts $ billions
-- (_bn), spreads basis points (_bp), rates percent (_pct).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE IF NOT EXISTS marts.dealer_positions_weekly (
    as_of_date DATE NOT NULL,
    series_break VARCHAR,
    net_total_bn DOUBLE,
    net_bills_bn DOUBLE,
    net_frn_bn DOUBLE,
    net_coupons_le2y_bn DOUBLE,
    net_coupons_2_3y_bn DOUBLE,
    net_coupons_3_6y_bn DOUBLE,
    net_coupons_6_7y_bn DOUBLE,
    net_coupons_7_11y_bn DOUBLE,
    net_coupons_gt11y_bn DOUBLE,
    net_coupons_bn DOUBLE,
    net_tips_bn DOUBLE,
    components_sum_bn DOUBLE,
    coverage VARCHAR,
    repo_bn DOUBLE,
    reverse_repo_bn DOUBLE,
    net_repo_financing_bn DOUBLE,
    securities_borrowed_bn DOUBLE,
    securities_lent_bn DOUBLE,
    fails_to_deliver_bn DOUBLE,
    fails_to_receive_bn DOUBLE,
    fails_total_bn DOUBLE,
    transactions_bn DOUBLE,
    net_total_wow_bn DOUBLE,
    repo_wow_bn DOUBLE,
    fails_total_wow_bn DOUBLE,
    suppressed_items VARCHAR
);
COMMENT ON TABLE marts.dealer_positions_weekly IS 'Primary dealers'' balance sheets (grain: as-of Wednesday of the FR 2004, from core.nyfed_pd): net Treasury positions by kind, repo financing, fails, week-over-week changes within an era. $ billions; net = long minus short at market value. Rules in transforms/dealers.py.';
COMMENT ON COLUMN marts.dealer_positions_weekly.as_of_date IS 'The Wednesday the dealers report as of (released the following Thursday ~16:15 ET).';
COMMENT ON COLUMN marts.dealer_positions_weekly.series_break IS 'FR 2004 series break (era): SBN2013, SBN2015, SBN2022 (from 2022-01-05), SBN2024 (from 2024-07-03). Items and key ids change at a break: compare eras only knowingly.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_total_bn IS 'Published total net position in Treasuries (PDPOSGST-TOT): bills + FRNs + coupons + TIPS, despite its name.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_bills_bn IS 'Net position in bills (PDPOSGS-B).';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_frn_bn IS 'Net position in floating-rate notes (PDPOSGS-BFRN, from 2015-01-07).';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_le2y_bn IS 'Net position in coupons due in 2 years or less.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_2_3y_bn IS 'Net position in coupons due in more than 2, at most 3 years.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_3_6y_bn IS 'Net position in coupons due in more than 3, at most 6 years.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_6_7y_bn IS 'Net position in coupons due in more than 6, at most 7 years.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_7_11y_bn IS 'Net position in coupons due in more than 7, at most 11 years.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_gt11y_bn IS 'Net position in coupons due in more than 11 years: PDPOSGSC-G11 before 2022, PDPOSGSC-G11L21 + PDPOSGSC-G21 from SBN2022.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_coupons_bn IS 'Net position in all coupon buckets of the era; NULL if one bucket is not held.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_tips_bn IS 'Net position in TIPS (4 maturity buckets); NULL if one is not held.';
COMMENT ON COLUMN marts.dealer_positions_weekly.components_sum_bn IS 'bills + FRNs + coupons + TIPS; NULL unless every part of the era is held. Equals net_total_bn in every complete week (the NY Fed total is that sum).';
COMMENT ON COLUMN marts.dealer_positions_weekly.coverage IS '''complete'', or ''partial: missing <buckets>'' naming the parts of the week''s era that are not held (then components_sum_bn is NULL).';
COMMENT ON COLUMN marts.dealer_positions_weekly.repo_bn IS 'Securities out under repurchase agreements, Treasuries excl. TIPS (PDSORA-UTSETTOT): dealers borrowing cash against Treasuries.';
COMMENT ON COLUMN marts.dealer_positions_weekly.reverse_repo_bn IS 'Securities in under reverse repurchase agreements, Treasuries excl. TIPS (PDSIRRA-UTSETTOT): dealers lending cash, e.g. to hedge funds.';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_repo_financing_bn IS 'repo_bn - reverse_repo_bn: net cash dealers raise in repo against Treasuries.';
COMMENT ON COLUMN marts.dealer_positions_weekly.securities_borrowed_bn IS 'Securities borrowed, Treasuries excl. TIPS (PDSIOSB-UTSETTOT).';
COMMENT ON COLUMN marts.dealer_positions_weekly.securities_lent_bn IS 'Securities lent, Treasuries excl. TIPS (PDSOOS-UTSETTOT); NULL in suppressed weeks.';
COMMENT ON COLUMN marts.dealer_positions_weekly.fails_to_deliver_bn IS 'Fails to deliver in Treasuries excl. TIPS (PDFTD-USTET), cumulative over the week.';
COMMENT ON COLUMN marts.dealer_positions_weekly.fails_to_receive_bn IS 'Fails to receive in Treasuries excl. TIPS (PDFTR-USTET), cumulative over the week.';
COMMENT ON COLUMN marts.dealer_positions_weekly.fails_total_bn IS 'fails_to_deliver_bn + fails_to_receive_bn.';
COMMENT ON COLUMN marts.dealer_positions_weekly.transactions_bn IS 'Dealer transactions in Treasuries excl. TIPS over the week (PDGSWOEXTTOT).';
COMMENT ON COLUMN marts.dealer_positions_weekly.net_total_wow_bn IS 'Change of net_total_bn from the week 7 days before in the same era; NULL across a series break or a missing week.';
COMMENT ON COLUMN marts.dealer_positions_weekly.repo_wow_bn IS 'Change of repo_bn from the week 7 days before in the same era; NULL across a break or gap.';
COMMENT ON COLUMN marts.dealer_positions_weekly.fails_total_wow_bn IS 'Change of fails_total_bn from the week 7 days before in the same era; NULL across a break or gap.';
COMMENT ON COLUMN marts.dealer_positions_weekly.suppressed_items IS 'Key ids the NY Fed suppressed ("*") that week, comma-separated; NULL if none.';

CREATE TABLE IF NOT EXISTS marts.repo_segments_daily (
    date DATE NOT NULL,
    iorb_pct DOUBLE,
    sofr_pct DOUBLE,
    bgcr_pct DOUBLE,
    tgcr_pct DOUBLE,
    sofr_tgcr_bp DOUBLE,
    bgcr_tgcr_bp DOUBLE,
    tgcr_iorb_bp DOUBLE,
    sofr_volume_bn DOUBLE,
    bgcr_volume_bn DOUBLE,
    tgcr_volume_bn DOUBLE,
    nyfed_dvp_volume_bn DOUBLE,
    nyfed_gcf_volume_bn DOUBLE,
    dvp_rate_pct DOUBLE,
    gcf_rate_pct DOUBLE,
    tri_rate_pct DOUBLE,
    dvp_volume_bn DOUBLE,
    gcf_volume_bn DOUBLE,
    tri_volume_bn DOUBLE,
    dvp_iorb_bp DOUBLE,
    gcf_iorb_bp DOUBLE,
    tri_iorb_bp DOUBLE,
    dvp_tgcr_bp DOUBLE,
    gcf_tgcr_bp DOUBLE,
    tri_tgcr_bp DOUBLE,
    gcf_tri_bp DOUBLE,
    dvp_tri_bp DOUBLE,
    dvp_rate_revision_bp DOUBLE,
    ofr_vintage VARCHAR
);
COMMENT ON TABLE marts.repo_segments_daily IS 'Repo by segment (grain: business day with NY Fed SOFR/BGCR/TGCR or OFR segment data): which segment pays up. NY Fed split: TGCR = tri-party, BGCR - TGCR volume = GCF, SOFR - BGCR volume = DVP trades SOFR keeps; OFR STFM segment rates and volumes, final where published else preliminary. Rates %, spreads bp, volumes $ billions. Rules in transforms/repo_segments.py.';
COMMENT ON COLUMN marts.repo_segments_daily.date IS 'Trade date.';
COMMENT ON COLUMN marts.repo_segments_daily.iorb_pct IS 'IORB in force (from marts.funding_daily).';
COMMENT ON COLUMN marts.repo_segments_daily.sofr_pct IS 'SOFR, percent (NY Fed).';
COMMENT ON COLUMN marts.repo_segments_daily.bgcr_pct IS 'BGCR, percent (NY Fed).';
COMMENT ON COLUMN marts.repo_segments_daily.tgcr_pct IS 'TGCR, percent (NY Fed).';
COMMENT ON COLUMN marts.repo_segments_daily.sofr_tgcr_bp IS 'SOFR - TGCR, bp: what the DVP/GCF part pays over tri-party.';
COMMENT ON COLUMN marts.repo_segments_daily.bgcr_tgcr_bp IS 'BGCR - TGCR, bp: what GCF adds over tri-party.';
COMMENT ON COLUMN marts.repo_segments_daily.tgcr_iorb_bp IS 'TGCR - IORB, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.sofr_volume_bn IS 'SOFR volume, $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.bgcr_volume_bn IS 'BGCR volume, $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.tgcr_volume_bn IS 'TGCR volume (tri-party), $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.nyfed_dvp_volume_bn IS 'SOFR volume - BGCR volume: the DVP (cleared bilateral) trades SOFR keeps, $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.nyfed_gcf_volume_bn IS 'BGCR volume - TGCR volume: GCF repo, $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_rate_pct IS 'OFR DVP overnight/open average rate (REPO-DVP_AR_OO), final else preliminary.';
COMMENT ON COLUMN marts.repo_segments_daily.gcf_rate_pct IS 'OFR GCF overnight/open average rate (REPO-GCF_AR_OO), final else preliminary.';
COMMENT ON COLUMN marts.repo_segments_daily.tri_rate_pct IS 'OFR tri-party overnight/open average rate (REPO-TRI_AR_OO), final else preliminary.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_volume_bn IS 'OFR DVP total transaction volume (REPO-DVP_TV_TOT), $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.gcf_volume_bn IS 'OFR GCF total transaction volume (REPO-GCF_TV_TOT), $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.tri_volume_bn IS 'OFR tri-party total transaction volume (REPO-TRI_TV_TOT), $ billions.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_iorb_bp IS 'OFR DVP rate - IORB, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.gcf_iorb_bp IS 'OFR GCF rate - IORB, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.tri_iorb_bp IS 'OFR tri-party rate - IORB, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_tgcr_bp IS 'OFR DVP rate - TGCR, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.gcf_tgcr_bp IS 'OFR GCF rate - TGCR, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.tri_tgcr_bp IS 'OFR tri-party rate - TGCR, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.gcf_tri_bp IS 'OFR GCF - tri-party rate, bp.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_tri_bp IS 'OFR DVP - tri-party rate, bp: the premium where hedge funds finance the basis trade.';
COMMENT ON COLUMN marts.repo_segments_daily.dvp_rate_revision_bp IS 'OFR DVP rate final - preliminary, bp (NULL until the final is published).';
COMMENT ON COLUMN marts.repo_segments_daily.ofr_vintage IS '''final'', ''preliminary'' or ''mixed'': the OFR vintage the day''s segment rates stand on; NULL without OFR data.';

CREATE TABLE IF NOT EXISTS marts.funding_events (
    date DATE NOT NULL,
    signals VARCHAR,
    n_signals BIGINT,
    severity VARCHAR,
    sofr_iorb_bp DOUBLE,
    sofr_p99_iorb_bp DOUBLE,
    srf_takeup_bn DOUBLE,
    sofr_tgcr_bp DOUBLE,
    dvp_tri_bp DOUBLE,
    gcf_tri_bp DOUBLE,
    fails_total_bn DOUBLE,
    fails_ratio DOUBLE,
    calendar_context VARCHAR
);
COMMENT ON TABLE marts.funding_events IS 'Funding stress events (grain: day on which at least one market signal fires): which signals fired together, their inputs, the severity and the calendar context. Thresholds documented and cited in transforms/funding_events.py; calendar flags describe a day, they never make an event.';
COMMENT ON COLUMN marts.funding_events.date IS 'The day (an FR 2004 as-of Wednesday for dealer fails).';
COMMENT ON COLUMN marts.funding_events.signals IS 'Signals that fired, comma-separated: sofr_iorb (SOFR-IORB >= 5 bp), sofr_p99_iorb (p99-IORB >= 20 bp), srf (SRF take-up >= $5bn), segment_spread (SOFR-TGCR >= 5 bp, or OFR DVP/GCF - tri-party >= 10 bp), dealer_fails (fails >= 1.5x their 26-week median).';
COMMENT ON COLUMN marts.funding_events.n_signals IS 'How many signals fired.';
COMMENT ON COLUMN marts.funding_events.severity IS '''high'' (SRF >= $25bn, SOFR-IORB >= 20 bp, or 3+ signals), ''medium'' (2 signals), ''low'' (1).';
COMMENT ON COLUMN marts.funding_events.sofr_iorb_bp IS 'SOFR - IORB, bp (marts.funding_daily).';
COMMENT ON COLUMN marts.funding_events.sofr_p99_iorb_bp IS 'SOFR''s 99th percentile - IORB, bp.';
COMMENT ON COLUMN marts.funding_events.srf_takeup_bn IS 'Standing repo take-up, $ billions.';
COMMENT ON COLUMN marts.funding_events.sofr_tgcr_bp IS 'SOFR - TGCR, bp (marts.repo_segments_daily).';
COMMENT ON COLUMN marts.funding_events.dvp_tri_bp IS 'OFR DVP - tri-party rate, bp.';
COMMENT ON COLUMN marts.funding_events.gcf_tri_bp IS 'OFR GCF - tri-party rate, bp.';
COMMENT ON COLUMN marts.funding_events.fails_total_bn IS 'Primary dealers'' Treasury fails (deliver + receive), $ billions, on as-of Wednesdays.';
COMMENT ON COLUMN marts.funding_events.fails_ratio IS 'fails_total_bn / its median over the previous 26 weeks (NULL with fewer than 13).';
COMMENT ON COLUMN marts.funding_events.calendar_context IS 'Calendar flags of the day from marts.funding_calendar (quarter end, month end, year end, mid-month coupon settlement, tax date, Treasury settlement); NULL on a plain day.';
-- basis_weekly gains the plumbing columns (transforms/basis_plumbing.py SCHEMA), appended after its own.
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS pd_net_total_bn DOUBLE;
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS pd_net_coupons_bn DOUBLE;
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS pd_series_break VARCHAR;
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS dvp_volume_avg_bn DOUBLE;
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS nyfed_dvp_volume_avg_bn DOUBLE;
COMMENT ON COLUMN marts.basis_weekly.pd_net_total_bn IS 'Primary dealers'' net Treasury position (FR 2004 PDPOSGST-TOT, $bn) as of the Wednesday after the report Tuesday; NULL where that dealer week is not held.';
COMMENT ON COLUMN marts.basis_weekly.pd_net_coupons_bn IS 'Primary dealers'' net position in Treasury coupons (all buckets of the era, $bn), same Wednesday; NULL unless every bucket is held.';
COMMENT ON COLUMN marts.basis_weekly.pd_series_break IS 'FR 2004 series break of that dealer week (SBN2015, SBN2022, SBN2024, ...): compare dealer columns across eras with care.';
COMMENT ON COLUMN marts.basis_weekly.dvp_volume_avg_bn IS 'OFR DVP repo total volume (final else preliminary), $bn, averaged over (report - 6 days, report]: the basis trade''s financing leg; NULL without OFR data.';
COMMENT ON COLUMN marts.basis_weekly.nyfed_dvp_volume_avg_bn IS 'SOFR volume - BGCR volume (the DVP trades SOFR keeps, NY Fed), $bn, averaged over (report - 6 days, report].';
