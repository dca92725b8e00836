-- Releases before schema versions (162efbd and older) do not check a warehouse's version: they would drop the marts
-- they do not know, reload their own seeds and land rows without the newer columns. Every one of them starts its
-- build by writing its old description of the meta schema into meta.schema_comments; from this version on that row
-- is refused, so such a release fails inside its private staging copy and publishes nothing.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.schema_comments (schema_name VARCHAR PRIMARY KEY, comment VARCHAR);
CREATE TABLE meta.schema_comments_v2 (
    schema_name VARCHAR PRIMARY KEY,
    comment VARCHAR CHECK (comment <> 'Pipeline bookkeeping: runs, per-source loads, validation results and quarantined batches.'
                           OR 'this warehouse was written by a newer qtwatch (see meta.schema_version): upgrade qtwatch to run it' IS NULL)
);
INSERT INTO meta.schema_comments_v2
SELECT schema_name, comment FROM meta.schema_comments
WHERE comment <> 'Pipeline bookkeeping: runs, per-source loads, validation results and quarantined batches.';
DROP TABLE meta.schema_comments;
ALTER TABLE meta.schema_comments_v2 RENAME TO schema_comments;
