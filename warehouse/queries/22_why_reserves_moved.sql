-- Question: Why did reserves (the H.4.1 Wednesday level) move in a week: which factors added reserves and which
--   drained them?
-- Grain: one row per factor of the chosen H.4.1 week (marts.reserves_weekly), the largest move first.
-- Units: USD billions; a positive contribution added reserves, a negative one drained them; the contributions add up
--   to reserves_change_bn. A week whose inputs are incomplete shows NULLs and names them in missing_inputs.
-- Parameters: week DATE (default: the latest week with complete inputs, else the latest week held).
WITH chosen AS (
    SELECT coalesce(getvariable('week')::DATE,
                    (SELECT max(week) FROM marts.reserves_weekly WHERE missing_inputs IS NULL),
                    (SELECT max(week) FROM marts.reserves_weekly)) AS week
),
factors AS (
    SELECT *
    FROM (
        SELECT r.week, r.reserves_bn, r.reserves_change_bn, r.missing_inputs,
               r.securities_contrib_bn AS "securities held outright",
               r.repo_contrib_bn AS "repo (SRF, foreign official)",
               r.loans_contrib_bn AS "loans",
               r.other_supplying_contrib_bn AS "other supplying factors",
               r.currency_contrib_bn AS "currency in circulation",
               r.reverse_repo_foreign_contrib_bn AS "reverse repo: foreign official",
               r.reverse_repo_others_contrib_bn AS "reverse repo: others (ON RRP)",
               r.tga_contrib_bn AS "Treasury General Account",
               r.other_absorbing_contrib_bn AS "other absorbing factors"
        FROM marts.reserves_weekly r JOIN chosen USING (week)
    ) UNPIVOT INCLUDE NULLS (contribution_bn FOR factor IN (
        "securities held outright", "repo (SRF, foreign official)", "loans", "other supplying factors",
        "currency in circulation", "reverse repo: foreign official", "reverse repo: others (ON RRP)",
        "Treasury General Account", "other absorbing factors"))
)
SELECT week, factor, round(contribution_bn, 3) AS contribution_bn, reserves_bn, reserves_change_bn, missing_inputs
FROM factors
ORDER BY abs(contribution_bn) DESC NULLS LAST, factor;
