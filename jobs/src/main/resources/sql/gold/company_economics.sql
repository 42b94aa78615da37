-- Z.ai and Minimax side by side (each reported figure, with R&D and breakeven revenue in USD and
-- revenue growth also as a multiple), plus OpenAI's H1 2025 net margin and its valuation over
-- annualised revenue. Reported rows have no derivation; derived rows say how they were computed.
WITH reported AS (
  SELECT * FROM silver_facts
  WHERE is_preferred AND entity_id IN ('z_ai', 'minimax', 'z_ai_and_minimax')),
growth AS (
  SELECT entity_id, 'revenue_growth_multiple' AS metric, period_text, period_start, period_end,
         'multiple' AS unit, CAST(NULL AS STRING) AS currency, qualifier,
         low + 1 AS low, mid + 1 AS mid, high + 1 AS high,
         CAST(NULL AS DECIMAL(38,4)) AS usd_low, CAST(NULL AS DECIMAL(38,4)) AS usd_mid,
         CAST(NULL AS DECIMAL(38,4)) AS usd_high,
         '1 + year-on-year growth' AS derivation,
         array(fact_id) AS fact_ids, filter(array(citation), x -> x IS NOT NULL) AS citations,
         array(quote) AS quotes,
         filter(array(inferred_date_note(fact_id, date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons
  FROM reported WHERE metric = 'revenue_growth_yoy'),
rev AS (SELECT * FROM silver_facts WHERE is_preferred AND entity_id = 'openai' AND metric = 'revenue'
        ORDER BY period_end DESC LIMIT 1),
loss AS (SELECT * FROM silver_facts WHERE is_preferred AND entity_id = 'openai' AND metric = 'net_loss'),
val AS (SELECT * FROM silver_facts WHERE is_preferred AND entity_id = 'openai' AND metric = 'valuation'
        ORDER BY as_of_date DESC LIMIT 1),
openai AS (
  SELECT 'openai' AS entity_id, 'net_margin' AS metric, rev.period_text, rev.period_start, rev.period_end,
         'ratio' AS unit, CAST(NULL AS STRING) AS currency,
         CASE WHEN rev.qualifier = 'exact' AND loss.qualifier = 'exact' THEN 'exact' ELSE 'about' END AS qualifier,
         -loss.usd_high / rev.usd_low AS low, -loss.usd_mid / rev.usd_mid AS mid, -loss.usd_low / rev.usd_high AS high,
         CAST(NULL AS DECIMAL(38,4)) AS usd_low, CAST(NULL AS DECIMAL(38,4)) AS usd_mid,
         CAST(NULL AS DECIMAL(38,4)) AS usd_high,
         '-(net loss) / revenue, same period' AS derivation,
         array(loss.fact_id, rev.fact_id) AS fact_ids,
         filter(array(loss.citation, rev.citation), x -> x IS NOT NULL) AS citations,
         array(loss.quote, rev.quote) AS quotes,
         filter(array(inferred_date_note(loss.fact_id, loss.date_inference), inferred_date_note(rev.fact_id, rev.date_inference)),
                x -> x IS NOT NULL) AS inferred_date_reasons
  FROM rev JOIN loss ON rev.period_start = loss.period_start AND rev.period_end = loss.period_end
  UNION ALL
  SELECT 'openai', 'valuation_to_annualised_revenue', concat(rev.period_text, ' annualised'),
         rev.period_start, rev.period_end, 'multiple', CAST(NULL AS STRING),
         CASE WHEN rev.qualifier = 'exact' AND val.qualifier = 'exact' THEN 'exact' ELSE 'about' END,
         val.usd_low / (rev.usd_high / rev.period_months * 12), val.usd_mid / rev.usd_annualised,
         val.usd_high / (rev.usd_low / rev.period_months * 12),
         CAST(NULL AS DECIMAL(38,4)), CAST(NULL AS DECIMAL(38,4)), CAST(NULL AS DECIMAL(38,4)),
         concat('valuation (', CAST(val.as_of_date AS STRING), ') / (revenue / months x 12)'),
         array(val.fact_id, rev.fact_id),
         filter(array(val.citation, rev.citation), x -> x IS NOT NULL),
         array(val.quote, rev.quote),
         filter(array(inferred_date_note(val.fact_id, val.date_inference), inferred_date_note(rev.fact_id, rev.date_inference)),
                x -> x IS NOT NULL)
  FROM rev CROSS JOIN val)
SELECT *, size(inferred_date_reasons) > 0 AS rests_on_inferred_date FROM (
  SELECT entity_id, metric, period_text, period_start, period_end, unit, currency, qualifier,
         low, mid, high, usd_low, usd_mid, usd_high, CAST(NULL AS STRING) AS derivation,
         array(fact_id) AS fact_ids, filter(array(citation), x -> x IS NOT NULL) AS citations,
         array(quote) AS quotes,
         filter(array(inferred_date_note(fact_id, date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons
  FROM reported
  UNION ALL SELECT * FROM growth
  UNION ALL SELECT * FROM openai)
ORDER BY entity_id, metric
