-- Raw landing of the plumbing sources (issue 24): NY Fed Primary Dealer Statistics (transforms/nyfed_pd.py SCHEMA)
-- and the OFR Short-term Funding Monitor repo series (transforms/ofr_stfm.py SCHEMA), + lineage.
CREATE TABLE IF NOT EXISTS raw.nyfed_pd (
    as_of_date DATE NOT NULL,
    keyid VARCHAR NOT NULL,
    value_mn DOUBLE,
    suppressed BOOLEAN,
    series_break VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.nyfed_pd IS 'NY Fed Primary Dealer Statistics (FR 2004), weekly as of Wednesday (grain: keyid x as-of date x version). $ millions; positions net (long minus short) at market value.';
COMMENT ON COLUMN raw.nyfed_pd.as_of_date IS 'The Wednesday the dealers report as of (close of business); released the following Thursday ~16:15 ET.';
COMMENT ON COLUMN raw.nyfed_pd.keyid IS 'NY Fed key id, e.g. PDPOSGS-B (net bills), PDSORA-UTSETTOT (securities out, repo), PDFTD-USTET (fails to deliver); the modelled ones are transforms/nyfed_pd.py KEYIDS.';
COMMENT ON COLUMN raw.nyfed_pd.value_mn IS 'Value in $ millions as published; NULL where the NY Fed suppressed the week (sent "*"), never 0.';
COMMENT ON COLUMN raw.nyfed_pd.suppressed IS 'True where the NY Fed sent "*" (a suppressed cell): value_mn is NULL.';
COMMENT ON COLUMN raw.nyfed_pd.series_break IS 'FR 2004 series break (era) in force on the as-of date: SBN2013, SBN2015, SBN2022 (from 2022-01-05), SBN2024 (from 2024-07-03); NULL before 2013-04. Key ids and items change at a break: never compare two eras without saying so.';
COMMENT ON COLUMN raw.nyfed_pd.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.nyfed_pd.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.nyfed_pd.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.nyfed_pd.source_url IS 'Request URL (pd/get/{keyids}.json).';
COMMENT ON COLUMN raw.nyfed_pd.published_at IS 'When this version became public (UTC): the release rule''s time for the week (Thursday 16:15 ET, 8 days after the as-of Wednesday, the next business day after a holiday; transforms/registry.py); a revision is stamped at the fetch.';

CREATE TABLE IF NOT EXISTS raw.ofr_stfm (
    date DATE NOT NULL,
    mnemonic VARCHAR NOT NULL,
    value DOUBLE,
    segment VARCHAR,
    measure VARCHAR,
    tenor VARCHAR,
    vintage VARCHAR,
    load_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    as_of DATE,
    source_url VARCHAR,
    published_at TIMESTAMPTZ
);
COMMENT ON TABLE raw.ofr_stfm IS 'OFR Short-term Funding Monitor, U.S. repo markets (grain: mnemonic x date x version): average rates (percent) and transaction volumes (USD) by segment, preliminary and final vintages as separate mnemonics.';
COMMENT ON COLUMN raw.ofr_stfm.date IS 'Trade date.';
COMMENT ON COLUMN raw.ofr_stfm.mnemonic IS 'OFR mnemonic, REPO-<segment>_<measure>_<tenor>-<vintage>, e.g. REPO-DVP_AR_OO-P.';
COMMENT ON COLUMN raw.ofr_stfm.value IS 'Value as sent: percent for AR (average rate), USD for TV (transaction volume); NULL where the OFR sent null.';
COMMENT ON COLUMN raw.ofr_stfm.segment IS 'DVP (FICC cleared bilateral, incl. sponsored), GCF (FICC general collateral finance) or TRI (tri-party).';
COMMENT ON COLUMN raw.ofr_stfm.measure IS 'AR (average rate, percent) or TV (transaction volume, USD).';
COMMENT ON COLUMN raw.ofr_stfm.tenor IS 'OO (overnight/open) or TOT (all tenors).';
COMMENT ON COLUMN raw.ofr_stfm.vintage IS 'P (preliminary, about one business day after the trade date) or F (final, about 3.5 months later).';
COMMENT ON COLUMN raw.ofr_stfm.load_id IS 'Load that landed this version (meta.loads).';
COMMENT ON COLUMN raw.ofr_stfm.fetched_at IS 'When the batch was fetched (UTC).';
COMMENT ON COLUMN raw.ofr_stfm.as_of IS 'The as-of date of the run that landed this version (the day the run treated as today).';
COMMENT ON COLUMN raw.ofr_stfm.source_url IS 'Request URL (series/timeseries?mnemonic=...).';
COMMENT ON COLUMN raw.ofr_stfm.published_at IS 'When this version became public (UTC): preliminary a business day after the trade date, final ~107 days after, 18:00 ET (the OFR states no hour; transforms/registry.py).';
