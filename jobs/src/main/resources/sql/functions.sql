-- What a figure as written bounds, shared by every output that judges a recomputed value against a
-- stated one (claim_checks, feed_reconciliation). Created as temporary SQL functions in the session
-- before any gold SQL runs.

-- Half a unit of the last significant written digit of low: "1.8" is +-0.05; "about 2700" is
-- +-50, the trailing zeros of a round number not being significant.
CREATE OR REPLACE TEMPORARY FUNCTION stated_half_unit(low DECIMAL(38,12), qualifier STRING)
RETURNS DOUBLE
RETURN CASE WHEN qualifier = 'about' AND low = floor(low)
            THEN 0.5 * power(10, length(regexp_extract(CAST(CAST(low AS BIGINT) AS STRING), '(0*)$', 1)))
            ELSE 0.5 * power(10, -length(regexp_extract(CAST(low AS STRING), '\\.([0-9]*?)0*$', 1)))
       END;

-- The least value the written figure allows: "over 93%" is 93 and up; "under" has no floor.
CREATE OR REPLACE TEMPORARY FUNCTION stated_min(low DECIMAL(38,12), qualifier STRING)
RETURNS DOUBLE
RETURN CASE WHEN qualifier IN ('under', 'up_to') THEN CAST('-Infinity' AS DOUBLE)
            WHEN qualifier IN ('over', 'at_least') THEN CAST(low AS DOUBLE)
            ELSE CAST(low AS DOUBLE) - stated_half_unit(low, qualifier) END;

-- The greatest value it allows; the precision is the low end's, as written.
CREATE OR REPLACE TEMPORARY FUNCTION stated_max(low DECIMAL(38,12), high DECIMAL(38,12), qualifier STRING)
RETURNS DOUBLE
RETURN CASE WHEN qualifier IN ('over', 'at_least') THEN CAST('Infinity' AS DOUBLE)
            WHEN qualifier IN ('under', 'up_to') THEN CAST(high AS DOUBLE)
            ELSE CAST(high AS DOUBLE) + stated_half_unit(low, qualifier) END;

-- How far a recomputed range lies outside the stated interval, relative to the stated midpoint.
CREATE OR REPLACE TEMPORARY FUNCTION relative_miss(
    stated_min DOUBLE, stated_max DOUBLE, recomputed_low DOUBLE, recomputed_high DOUBLE,
    low DECIMAL(38,12), high DECIMAL(38,12))
RETURNS DOUBLE
RETURN greatest(stated_min - recomputed_high, recomputed_low - stated_max, 0D) / abs(CAST((low + high) / 2 AS DOUBLE));

-- How far off a recomputed value may be, relative to the stated value, and still be approximate.
CREATE OR REPLACE TEMPORARY FUNCTION verdict_tolerance()
RETURNS DOUBLE
RETURN 0.10D;

-- consistent when the recomputed range meets the interval, approximate when it misses by at most
-- the tolerance, else inconsistent.
CREATE OR REPLACE TEMPORARY FUNCTION verdict(relative_miss DOUBLE)
RETURNS STRING
RETURN CASE WHEN relative_miss = 0 THEN 'consistent'
            WHEN relative_miss <= verdict_tolerance() THEN 'approximate'
            ELSE 'inconsistent' END;

-- A fact's period or date as the pipeline reads it where the document does not write it out
-- (facts.date_inference), as 'fact_id: reason'; null when the document writes them. Every output
-- built from facts lists these for the facts of each row (inferred_date_reasons).
CREATE OR REPLACE TEMPORARY FUNCTION inferred_date_note(fact_id STRING, date_inference STRING)
RETURNS STRING
RETURN CASE WHEN date_inference IS NOT NULL THEN concat(fact_id, ': ', date_inference) END;
