-- Columns added to existing tables before warehouses recorded their schema version (meta.schema_version): the
-- ALTER ... ADD COLUMN IF NOT EXISTS lines that used to sit in warehouse/schema/*.sql. A warehouse built by an older
-- release (e.g. 162efbd) gains them here; a table it does not have yet is created whole by warehouse/schema/*.sql
-- after the migrations (hence ALTER TABLE IF EXISTS).
ALTER TABLE IF EXISTS ref.fred_series ADD COLUMN IF NOT EXISTS release VARCHAR;
ALTER TABLE IF EXISTS ref.fred_series ADD COLUMN IF NOT EXISTS required BOOLEAN;
ALTER TABLE IF EXISTS ref.qt_cap_regimes ADD COLUMN IF NOT EXISTS purchase_target_bn DOUBLE;
ALTER TABLE IF EXISTS raw.fred_observations ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
ALTER TABLE IF EXISTS raw.treasury_auctions ADD COLUMN IF NOT EXISTS inflation_index_security VARCHAR;
ALTER TABLE IF EXISTS raw.treasury_auctions ADD COLUMN IF NOT EXISTS floating_rate VARCHAR;
ALTER TABLE IF EXISTS raw.treasury_auctions ADD COLUMN IF NOT EXISTS ref_cpi_on_dated_date DOUBLE;
ALTER TABLE IF EXISTS raw.treasury_auctions ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS sofr_avg_30d_pct DOUBLE;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS sofr_avg_90d_pct DOUBLE;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS sofr_avg_180d_pct DOUBLE;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS sofr_index DOUBLE;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS extra VARCHAR;
ALTER TABLE IF EXISTS raw.nyfed_reference_rates ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
ALTER TABLE IF EXISTS raw.nyfed_rp_operations ADD COLUMN IF NOT EXISTS extra VARCHAR;
ALTER TABLE IF EXISTS raw.nyfed_rp_operations ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
ALTER TABLE IF EXISTS raw.dts_operating_cash_balance ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
ALTER TABLE IF EXISTS raw.cftc_tff ADD COLUMN IF NOT EXISTS published_at TIMESTAMPTZ;
