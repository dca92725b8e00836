-- Question: What did the warehouse know on a given date: for each FRED series, the latest observation held on
--   as_of, its value then, the value held now for the same date (was it revised), and how many came later?
-- Grain: one row per FRED series known on as_of (core.fred_observations_known_on).
-- Units: each series' native units (see the units column and ref.fred_series); counts of observations.
-- Parameters: as_of DATE (default 2025-06-30).
-- Note: the warehouse only knows dates on or after its first run's as-of. A warehouse built today in one run knows
--   nothing "as of 2025-06-30"; build history with `qtwatch run --replay --as-of 2025-06-30` then `qtwatch run
--   --replay` (or keep running the pipeline daily).
WITH known AS (
    SELECT series_id,
           max(date) AS latest_known_date,
           arg_max(value, date) AS value_then,
           arg_max(units, date) AS units
    FROM core.fred_observations_known_on(coalesce(getvariable('as_of')::DATE, DATE '2025-06-30'))
    WHERE value IS NOT NULL
    GROUP BY series_id
)
SELECT k.series_id,
       s.title,
       k.latest_known_date,
       k.value_then,
       c.value AS value_now,
       k.units,
       c.value IS DISTINCT FROM k.value_then AS is_revised,
       (SELECT count(*) FROM core.fred_observations o
        WHERE o.series_id = k.series_id AND o.date > k.latest_known_date AND o.value IS NOT NULL)
           AS observations_since
FROM known k
JOIN ref.fred_series s USING (series_id)
LEFT JOIN core.fred_observations c ON c.series_id = k.series_id AND c.date = k.latest_known_date
ORDER BY k.series_id;
