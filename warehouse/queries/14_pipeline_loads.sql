-- Question: Can I trust what I am querying: when did each source last load, with what outcome, how many rows,
--   how long did it take, and did anything fail validation?
-- Grain: one row per source load (meta.loads) of the latest `runs` runs, newest first; marts included.
-- Units: rows; seconds of wall time.
-- Parameters: runs INTEGER (default 3).
WITH recent AS (
    SELECT run_id, as_of, mode, status AS run_status
    FROM meta.runs
    ORDER BY started_at DESC
    LIMIT coalesce(getvariable('runs')::INTEGER, 3)
)
SELECT r.run_id,
       r.mode,
       r.as_of,
       r.run_status,
       l.source,
       l.dataset,
       l.status,
       l.rows_fetched,
       l.rows_landed,
       round(l.seconds, 2) AS seconds,
       l.error
FROM recent r
JOIN meta.loads l USING (run_id)
ORDER BY l.started_at DESC;
