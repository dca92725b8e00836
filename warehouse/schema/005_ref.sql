-- Reference data kept as reviewed seeds in warehouse/seeds/*.csv (reloaded on every run).
CREATE SCHEMA IF NOT EXISTS ref;
INSERT OR REPLACE INTO meta.schema_comments VALUES ('ref', 'Reviewed reference data from warehouse/seeds/: the FRED series catalog and the QT cap regimes.');

CREATE TABLE IF NOT EXISTS ref.fred_series (
    series_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    units VARCHAR,
    unit_scale_bn DOUBLE,
    frequency VARCHAR,
    stamp VARCHAR,
    release VARCHAR,
    role VARCHAR,
    start_date DATE,
    required BOOLEAN
);
COMMENT ON TABLE ref.fred_series IS 'FRED series catalog (grain: series): what qtwatch loads and in which units FRED publishes it.';
COMMENT ON COLUMN ref.fred_series.series_id IS 'FRED series id.';
COMMENT ON COLUMN ref.fred_series.title IS 'FRED series title.';
COMMENT ON COLUMN ref.fred_series.units IS 'Declared units of the published values (FRED series metadata).';
COMMENT ON COLUMN ref.fred_series.unit_scale_bn IS 'Multiply a value in `units` by this to get USD billions (NULL for rates).';
COMMENT ON COLUMN ref.fred_series.frequency IS 'daily or weekly.';
COMMENT ON COLUMN ref.fred_series.stamp IS 'How observations are dated: wednesday_level, week_average, business_day, calendar_day.';
COMMENT ON COLUMN ref.fred_series.release IS 'Release rule of the series (transforms/registry.py, FRED group_releases): h41 (Thursday 16:30 ET after the Wednesday), nyfed_secured (08:00 ET next SIFMA business day), nyfed_unsecured (09:00 ET next business day), on_rrp (same day 13:15 ET), h15 (same day 16:15 ET), administered (known ahead).';
COMMENT ON COLUMN ref.fred_series.role IS 'What the series stands for in the marts (e.g. reserves, tga, on_rrp).';
COMMENT ON COLUMN ref.fred_series.start_date IS 'First observation date; a first load fetches from here.';
COMMENT ON COLUMN ref.fred_series.required IS 'True when a mart cannot be built without it (the H.4.1 balance-sheet series): if it fails, FRED fails as a whole; otherwise one failing series fails alone (meta.loads status partial).';

CREATE TABLE IF NOT EXISTS ref.qt_cap_regimes (
    regime VARCHAR,
    episode VARCHAR,
    effective_from DATE,
    effective_to DATE,
    ust_cap_bn DOUBLE,
    mbs_cap_bn DOUBLE,
    mbs_excess_to VARCHAR,
    decided_on DATE,
    citation_url VARCHAR,
    note VARCHAR,
    purchase_target_bn DOUBLE
);
COMMENT ON TABLE ref.qt_cap_regimes IS 'FOMC balance-sheet runoff cap regimes (grain: regime period), QT1 2017-2019 and QT2 2022-2025, reviewed data with citations.';
COMMENT ON COLUMN ref.qt_cap_regimes.regime IS 'Label of the cap regime, as shown in marts.qt_runoff_monthly.regime.';
COMMENT ON COLUMN ref.qt_cap_regimes.episode IS 'QT1, QT2 or end (runoff over).';
COMMENT ON COLUMN ref.qt_cap_regimes.effective_from IS 'First day the caps applied.';
COMMENT ON COLUMN ref.qt_cap_regimes.effective_to IS 'Last day the caps applied (NULL = still in force).';
COMMENT ON COLUMN ref.qt_cap_regimes.ust_cap_bn IS 'Monthly cap on Treasury redemptions, USD billions (NULL = no runoff).';
COMMENT ON COLUMN ref.qt_cap_regimes.mbs_cap_bn IS 'Monthly cap on agency debt + MBS principal runoff, USD billions (NULL = no runoff).';
COMMENT ON COLUMN ref.qt_cap_regimes.mbs_excess_to IS 'Where agency principal above the cap is reinvested (MBS, Treasuries, Treasury bills).';
COMMENT ON COLUMN ref.qt_cap_regimes.decided_on IS 'FOMC decision date.';
COMMENT ON COLUMN ref.qt_cap_regimes.citation_url IS 'Where the decision is published.';
COMMENT ON COLUMN ref.qt_cap_regimes.note IS 'Reviewer note (e.g. derived from the step rule).';
