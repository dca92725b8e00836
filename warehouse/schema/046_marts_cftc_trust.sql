-- Issue 22: columns added to the CFTC marts of 035_marts_cftc.sql (idempotent: ADD COLUMN IF NOT EXISTS).
-- ---------------------------------------------------------------------------------------------------------------
-- marts.basis_weekly: the rank since 2017 says how many weeks it could not see
ALTER TABLE marts.basis_weekly ADD COLUMN IF NOT EXISTS pctile_weeks_missing BIGINT;
COMMENT ON COLUMN marts.basis_weekly.pctile_weeks_missing IS 'Report weeks from 2017 up to this one that the loaded CFTC data lacks for the tenor (the rows whose positions are NULL; the CFTC publishes every week): lev_net_pctile_since_2017 ranks without them, so above 0 a "largest since 2017" read from it may miss the real extreme.';
