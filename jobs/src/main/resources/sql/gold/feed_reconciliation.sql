-- The reported totals recomputed from the granular feeds, one row per reported fact: sovereign
-- wealth funds' AI deal value (deals a sovereign fund took part in, in the fact's period, in its
-- target country or all countries for a GLOBAL figure), domestic AI funding (every deal of the
-- fact's country from its period start to its as-of date), each country's share of new downloads
-- in the fact's month, and cumulative downloads up to its as-of date. Amounts sum each deal at its
-- own day's FX rate, in the fact's currency. The difference is exact (decimal); the verdict judges
-- the computed value against the interval the written figure stands for (sql/functions.sql).
WITH reported AS (
  SELECT * FROM silver_facts WHERE is_preferred AND metric IN ('ai_vc_deal_value', 'ai_funding_total', 'new_download_share', 'cumulative_downloads')),
money AS (
  SELECT f.fact_id,
         -- silver carries amounts in USD and CNY; a figure in another currency stays uncomputed
         CAST(sum(CASE f.currency WHEN 'USD' THEN d.amount_usd WHEN 'CNY' THEN d.amount_cny END) AS DECIMAL(38,6)) AS computed,
         count(*) AS feed_rows
  FROM reported f JOIN silver_funding_rounds d
    -- the deals of the fact's period, up to the day it counts until (conform's counted_until)
    ON d.announced_date BETWEEN f.period_start AND f.counted_until
   AND (f.country = 'GLOBAL' OR d.target_country = f.country)
   AND (f.metric = 'ai_funding_total' OR d.sovereign)
  WHERE f.metric IN ('ai_vc_deal_value', 'ai_funding_total')
  GROUP BY f.fact_id),
shares AS (
  SELECT f.fact_id,
         CAST(CAST(sum(CASE WHEN d.origin_country = f.country THEN d.downloads ELSE 0 END) AS DECIMAL(38,6)) * 100
              / nullif(sum(d.downloads), 0) AS DECIMAL(38,6)) AS computed,
         sum(d.model_days) AS feed_rows
  FROM reported f JOIN silver_downloads_daily d ON d.date BETWEEN f.period_start AND f.counted_until
  WHERE f.metric = 'new_download_share'
  GROUP BY f.fact_id),
cumulative AS (
  SELECT f.fact_id, CAST(sum(d.downloads) AS DECIMAL(38,6)) AS computed, sum(d.model_days) AS feed_rows
  FROM reported f JOIN silver_downloads_daily d ON d.date <= f.counted_until AND d.origin_country = f.country
  WHERE f.metric = 'cumulative_downloads'
  GROUP BY f.fact_id),
computed AS (
  SELECT * FROM money UNION ALL SELECT * FROM shares UNION ALL SELECT * FROM cumulative),
joined AS (
  SELECT f.*,
         -- no matching deal or download: a total of zero (a share of nothing stays unknown)
         CASE WHEN f.metric = 'new_download_share' THEN c.computed ELSE coalesce(c.computed, CAST(0 AS DECIMAL(38,6))) END AS computed,
         coalesce(c.feed_rows, 0) AS feed_rows,
         CAST(CASE WHEN f.unit = 'percent' THEN (f.value_low + f.value_high) / 2 ELSE f.mid END AS DECIMAL(38,6)) AS reported
  FROM reported f LEFT JOIN computed c ON c.fact_id = f.fact_id),
written AS (
  SELECT *,
         CASE WHEN unit = 'percent' THEN CAST(computed AS DOUBLE) ELSE CAST(computed AS DOUBLE) / CAST(scale AS DOUBLE) END
           AS computed_as_written,
         stated_min(value_low, qualifier) AS stated_min,
         stated_max(value_low, value_high, qualifier) AS stated_max
  FROM joined),
judged AS (
  SELECT *, relative_miss(stated_min, stated_max, computed_as_written, computed_as_written, value_low, value_high) AS relative_miss FROM written)
SELECT fact_id, metric, entity_id, country, period_start, period_end, as_of_date, qualifier, unit, currency,
       value_low AS reported_low, value_high AS reported_high, scale AS reported_scale,
       reported, computed, CAST(computed - reported AS DECIMAL(38,6)) AS difference,
       CAST(computed - reported AS DOUBLE) / nullif(CAST(reported AS DOUBLE), 0D) AS relative_difference,
       stated_min, stated_max, computed_as_written, relative_miss,
       CASE WHEN computed IS NULL THEN 'no_feed_data' ELSE verdict(relative_miss) END AS verdict,
       concat('computed ', coalesce(format_number(computed_as_written, 4), 'nothing'),
              ' (as written) from ', CAST(feed_rows AS STRING),
              CASE WHEN metric IN ('ai_vc_deal_value', 'ai_funding_total') THEN ' deals of silver/funding_rounds' ELSE ' model-days of silver/downloads_daily' END,
              ' against reported ', qualifier, ' ', CAST(CAST(value_low AS DOUBLE) AS STRING),
              CASE WHEN value_high <> value_low THEN concat('-', CAST(CAST(value_high AS DOUBLE) AS STRING)) ELSE '' END,
              CASE WHEN relative_miss > 0 THEN concat(', missing by ', format_number(relative_miss * 100, 2), '%') ELSE '' END)
         AS reason,
       CASE WHEN metric IN ('ai_vc_deal_value', 'ai_funding_total') THEN 'silver/funding_rounds' ELSE 'silver/downloads_daily' END AS feed_table,
       feed_rows,
       array(fact_id) AS fact_ids, filter(array(citation), x -> x IS NOT NULL) AS citations, array(quote) AS quotes,
       filter(array(inferred_date_note(fact_id, date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons,
  size(inferred_date_reasons) > 0 AS rests_on_inferred_date
FROM judged
ORDER BY metric, fact_id
