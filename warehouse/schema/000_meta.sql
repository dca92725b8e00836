-- Run bookkeeping: one row per run, per source load, per validation; quarantined batches. Idempotent.
CREATE SCHEMA IF NOT EXISTS meta;
-- DuckDB has no COMMENT ON SCHEMA: schema descriptions live here (qtwatch docs reads them).
-- The CHECK refuses the row every release before schema versions writes first (warehouse/migrations/002_*.sql): such a
-- release fails in its own staging copy instead of publishing a half-downgraded warehouse.
CREATE TABLE IF NOT EXISTS meta.schema_comments (
    schema_name VARCHAR PRIMARY KEY,
    comment VARCHAR CHECK (comment <> 'Pipeline bookkeeping: runs, per-source loads, validation results and quarantined batches.'
                           OR 'this warehouse was written by a newer qtwatch (see meta.schema_version): upgrade qtwatch to run it' IS NULL)
);
COMMENT ON TABLE meta.schema_comments IS 'One row per warehouse schema: what it holds (DuckDB cannot comment schemas).';
COMMENT ON COLUMN meta.schema_comments.schema_name IS 'Schema name.';
COMMENT ON COLUMN meta.schema_comments.comment IS 'What the schema holds.';
-- The fingerprint of the DDL and seeds the file was last built with: an unchanged build is not applied again.
CREATE TABLE IF NOT EXISTS meta.schema_build (fingerprint VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL);
COMMENT ON TABLE meta.schema_build IS 'One row: the SHA-256 of warehouse/schema/*.sql, warehouse/migrations/*.sql and warehouse/seeds/*.csv this file was last built with; a run re-applies the DDL and reloads the seeds only when it differs or the schema version (meta.schema_version) is not this qtwatch''s.';
COMMENT ON COLUMN meta.schema_build.fingerprint IS 'SHA-256 (hex) over the schema, migration and seed files, names and contents.';
COMMENT ON COLUMN meta.schema_build.applied_at IS 'When that build was applied.';
-- The schema version of the file: one row per numbered migration (warehouse/migrations/NNN_*.sql) it has.
CREATE TABLE IF NOT EXISTS meta.schema_version (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL,
    how VARCHAR NOT NULL
);
COMMENT ON TABLE meta.schema_version IS 'One row per numbered migration (warehouse/migrations/NNN_*.sql) this file has; its schema version is max(version). A qtwatch that knows fewer migrations refuses to write the file; a newer one applies the missing ones in place, in one transaction, before anything else.';
COMMENT ON COLUMN meta.schema_version.version IS 'Migration number (NNN of warehouse/migrations/NNN_name.sql).';
COMMENT ON COLUMN meta.schema_version.name IS 'Migration file name.';
COMMENT ON COLUMN meta.schema_version.applied_at IS 'When it was applied (UTC).';
COMMENT ON COLUMN meta.schema_version.how IS 'migrated (its SQL ran on this file) or created (the file was created by a release that has it: warehouse/schema/*.sql already gave that shape).';
-- Columns a migration added to a table that already held rows: those rows never recorded them.
CREATE TABLE IF NOT EXISTS meta.schema_columns (
    table_name VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    added_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.schema_columns IS 'One row per column a migration added to an existing raw table (grain: table x column). Rows landed before added_at never recorded it: a later batch that brings a value there fills it in (in raw and core) instead of landing a revision.';
COMMENT ON COLUMN meta.schema_columns.table_name IS 'Table, as schema.table (e.g. raw.nyfed_rp_operations).';
COMMENT ON COLUMN meta.schema_columns.column_name IS 'The column added.';
COMMENT ON COLUMN meta.schema_columns.version IS 'The migration that added it (meta.schema_version).';
COMMENT ON COLUMN meta.schema_columns.added_at IS 'When it was added (UTC): loads finished before then did not record it.';
INSERT OR REPLACE INTO meta.schema_comments VALUES ('meta', 'Pipeline bookkeeping: runs, per-source loads, validation results, quarantined batches and the schema version (meta.schema_version).');

CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY,
    flow_run_id VARCHAR,
    mode VARCHAR,
    as_of DATE,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    status VARCHAR,
    sources VARCHAR[]
);
COMMENT ON TABLE meta.runs IS 'One row per pipeline run (grain: run).';
COMMENT ON COLUMN meta.runs.run_id IS 'qtwatch run id (also the prefix of every load_id of the run).';
COMMENT ON COLUMN meta.runs.flow_run_id IS 'Prefect flow run id, to find the run in the Prefect UI.';
COMMENT ON COLUMN meta.runs.mode IS 'live (real HTTP), replay (recorded snapshot) or vintages (FRED ALFRED vintages, qtwatch run --source fred --vintages).';
COMMENT ON COLUMN meta.runs.as_of IS 'The date the run treated as today: no observation after it was fetched.';
COMMENT ON COLUMN meta.runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN meta.runs.finished_at IS 'When the run published (UTC).';
COMMENT ON COLUMN meta.runs.status IS 'Completed when every source published, Failed when any source failed or was quarantined.';
COMMENT ON COLUMN meta.runs.sources IS 'Sources the run was asked to load.';

CREATE TABLE IF NOT EXISTS meta.loads (
    load_id VARCHAR PRIMARY KEY,
    run_id VARCHAR,
    source VARCHAR,
    dataset VARCHAR,
    status VARCHAR,
    rows_fetched BIGINT,
    rows_landed BIGINT,
    window_start DATE,
    window_end DATE,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    seconds DOUBLE,
    error VARCHAR
);
COMMENT ON TABLE meta.loads IS 'One row per source per run (grain: load). status: published, unchanged, partial, quarantined, failed, skipped.';
COMMENT ON COLUMN meta.loads.load_id IS 'Id of this source load; raw rows it landed carry the same load_id.';
COMMENT ON COLUMN meta.loads.run_id IS 'The run this load belongs to (meta.runs).';
COMMENT ON COLUMN meta.loads.source IS 'Source name as given to --source (fred, auctions, nyfed_rates, nyfed_repo, dts).';
COMMENT ON COLUMN meta.loads.dataset IS 'Raw dataset the source lands in (raw.<dataset>).';
COMMENT ON COLUMN meta.loads.status IS 'published (new rows landed), unchanged (nothing new: the batch or the rebuilt mart equals what is held), partial (landed, but some groups failed alone: FRED series named in error), quarantined (failed validation), failed (fetch/parse error), skipped (a mart not rebuilt: a source it is computed from failed this run, or none of them landed new rows; the previous one is kept).';
COMMENT ON COLUMN meta.loads.rows_fetched IS 'Rows the source returned for the requested window.';
COMMENT ON COLUMN meta.loads.rows_landed IS 'Rows appended to raw (new observations or revised values only).';
COMMENT ON COLUMN meta.loads.window_start IS 'Earliest date requested (NULL = full history).';
COMMENT ON COLUMN meta.loads.window_end IS 'Latest date requested (the run as-of date, or later for announced auctions).';
COMMENT ON COLUMN meta.loads.started_at IS 'When the fetch started (UTC).';
COMMENT ON COLUMN meta.loads.finished_at IS 'When the load finished (UTC).';
COMMENT ON COLUMN meta.loads.seconds IS 'Wall time of fetch + parse + validate + land, seconds.';
COMMENT ON COLUMN meta.loads.error IS 'One-line error for failed or quarantined loads, or why a mart was skipped (secrets redacted).';

CREATE TABLE IF NOT EXISTS meta.validations (
    load_id VARCHAR,
    dataset VARCHAR,
    success BOOLEAN,
    evaluated INTEGER,
    failed INTEGER,
    failed_rules VARCHAR[],
    seconds DOUBLE,
    validated_at TIMESTAMPTZ
);
COMMENT ON TABLE meta.validations IS 'One row per validated batch (grain: load x dataset): great-expectations suite outcome.';
COMMENT ON COLUMN meta.validations.load_id IS 'Load (or run, for marts) whose batch was validated.';
COMMENT ON COLUMN meta.validations.dataset IS 'Dataset whose suite ran (raw dataset or mart name).';
COMMENT ON COLUMN meta.validations.success IS 'True when every expectation of the suite passed.';
COMMENT ON COLUMN meta.validations.evaluated IS 'Expectations evaluated.';
COMMENT ON COLUMN meta.validations.failed IS 'Expectations that failed.';
COMMENT ON COLUMN meta.validations.failed_rules IS 'Human-readable names of the failed rules.';
COMMENT ON COLUMN meta.validations.seconds IS 'Validation wall time, seconds.';
COMMENT ON COLUMN meta.validations.validated_at IS 'When the suite ran (UTC).';

CREATE TABLE IF NOT EXISTS meta.quarantine (
    load_id VARCHAR,
    dataset VARCHAR,
    quarantined_at TIMESTAMPTZ,
    failed_rules VARCHAR[],
    result_json JSON,
    row_count BIGINT,
    payload JSON
);
COMMENT ON TABLE meta.quarantine IS 'Batches that failed validation (grain: load x dataset); never merged into raw/core/marts.';
COMMENT ON COLUMN meta.quarantine.load_id IS 'Load whose batch was quarantined.';
COMMENT ON COLUMN meta.quarantine.dataset IS 'Dataset of the batch.';
COMMENT ON COLUMN meta.quarantine.quarantined_at IS 'When the batch was quarantined (UTC).';
COMMENT ON COLUMN meta.quarantine.failed_rules IS 'Human-readable names of the failed rules.';
COMMENT ON COLUMN meta.quarantine.result_json IS 'The great-expectations validation result, as JSON.';
COMMENT ON COLUMN meta.quarantine.row_count IS 'Rows in the quarantined batch.';
COMMENT ON COLUMN meta.quarantine.payload IS 'The quarantined rows themselves, as a JSON array of records.';

-- Incremental marts (issue 27): what a run needs to rebuild a mart from its first changed row only.
CREATE TABLE IF NOT EXISTS meta.mart_builds (
    mart VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    code VARCHAR NOT NULL,
    cut DATE
);
COMMENT ON TABLE meta.mart_builds IS 'One row per mart (grain: mart): when its published rows were last computed and by which code. A run rebuilds a mart from its first changed row (its Reach in transforms/marts_registry.py) only when the rows it keeps were computed by the same code and seeds; else whole.';
COMMENT ON COLUMN meta.mart_builds.mart IS 'Mart name (marts.<mart>).';
COMMENT ON COLUMN meta.mart_builds.run_id IS 'The run that computed them (meta.runs): its own loads are in them.';
COMMENT ON COLUMN meta.mart_builds.built_at IS 'When the published rows were last computed (UTC): input rows that other runs landed after it (less 10 minutes for clock skew between hosts) are the changes the next build reads.';
COMMENT ON COLUMN meta.mart_builds.code IS 'SHA-256 of the transforms, schema and seed files that computed them: a release that changes any rebuilds every mart whole once.';
COMMENT ON COLUMN meta.mart_builds.cut IS 'First row date that build recomputed (NULL: every row, a whole build).';
