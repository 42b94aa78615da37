-- China-US valuation pairs, both sides in USD with low/mid/high, and the ratio as low/mid/high. The
-- pairs are those the documents compare: every ratio claim between two amounts (among them China's
-- first-tier LLM companies' 约600亿 CNY against OpenAI's 约900亿 USD, both from the PE method of end
-- 2023), plus the current range for LLM companies in the Chinese market (200亿-600亿 CNY), a
-- different group, against OpenAI's latest valuation.
WITH claimed AS (
  SELECT DISTINCT left_fact_ids[0] AS cn_id, right_fact_ids[0] AS us_id
  FROM silver_claims
  WHERE check_type = 'ratio' AND size(left_fact_ids) = 1 AND size(right_fact_ids) = 1),
market_range AS (
  SELECT cn.fact_id AS cn_id,
         (SELECT max_by(fact_id, as_of_date) FROM silver_facts
          WHERE entity_id = 'openai' AND metric = 'valuation' AND is_preferred) AS us_id
  FROM silver_facts cn
  WHERE cn.entity_id = 'china_market_llm' AND cn.metric = 'valuation' AND cn.is_preferred),
pairs AS (SELECT * FROM claimed UNION SELECT * FROM market_range)
SELECT
  concat(cn.entity_id, '_vs_', us.entity_id) AS pair_id,
  cn.entity_id AS china_entity_id, cn.entity_name AS china_entity_name, cn.metric AS china_metric, cn.as_of_date AS china_as_of_date,
  cn.qualifier AS china_qualifier, cn.currency AS china_currency,
  cn.usd_per_unit AS china_usd_per_unit, cn.fx_rate_date AS china_fx_rate_date,
  cn.usd_low AS china_usd_low, cn.usd_mid AS china_usd_mid, cn.usd_high AS china_usd_high,
  us.entity_id AS us_entity_id, us.entity_name AS us_entity_name, us.metric AS us_metric, us.as_of_date AS us_as_of_date,
  us.qualifier AS us_qualifier, us.currency AS us_currency,
  us.usd_low AS us_usd_low, us.usd_mid AS us_usd_mid, us.usd_high AS us_usd_high,
  CAST(cn.usd_low AS DOUBLE) / CAST(us.usd_high AS DOUBLE) AS ratio_low,
  CAST(cn.usd_mid AS DOUBLE) / CAST(us.usd_mid AS DOUBLE) AS ratio_mid,
  CAST(cn.usd_high AS DOUBLE) / CAST(us.usd_low AS DOUBLE) AS ratio_high,
  CASE
    -- China / US is a lower bound when China's figure is one, or the US figure an upper bound.
    WHEN (cn.qualifier IN ('over', 'at_least') OR us.qualifier IN ('under', 'up_to'))
         AND cn.qualifier NOT IN ('under', 'up_to') AND us.qualifier NOT IN ('over', 'at_least') THEN 'over'
    WHEN (cn.qualifier IN ('under', 'up_to') OR us.qualifier IN ('over', 'at_least'))
         AND cn.qualifier NOT IN ('over', 'at_least') AND us.qualifier NOT IN ('under', 'up_to') THEN 'under'
    WHEN cn.qualifier = 'exact' AND us.qualifier = 'exact' THEN 'exact'
    WHEN cn.qualifier IN ('exact', 'about') AND us.qualifier IN ('exact', 'about') THEN 'about'
    ELSE 'indeterminate'
  END AS ratio_qualifier,
  concat_ws('; ',
    CASE WHEN cn.currency <> 'USD' THEN concat(cn.currency, ' at ', CAST(cn.usd_per_unit AS STRING),
      ' USD (ECB cross rate of ', CAST(cn.fx_rate_date AS STRING), ')') END,
    CASE WHEN us.currency <> 'USD' THEN concat(us.currency, ' at ', CAST(us.usd_per_unit AS STRING),
      ' USD (ECB cross rate of ', CAST(us.fx_rate_date AS STRING), ')') END) AS fx_used,
  array(cn.fact_id, us.fact_id) AS fact_ids,
  filter(array(cn.citation, us.citation), x -> x IS NOT NULL) AS citations,
  array(cn.quote, us.quote) AS quotes,
  filter(array(inferred_date_note(cn.fact_id, cn.date_inference), inferred_date_note(us.fact_id, us.date_inference)),
         x -> x IS NOT NULL) AS inferred_date_reasons,
  size(inferred_date_reasons) > 0 AS rests_on_inferred_date
FROM pairs
JOIN silver_facts cn ON cn.fact_id = pairs.cn_id
JOIN silver_facts us ON us.fact_id = pairs.us_id
WHERE cn.country = 'CN' AND us.country = 'US' AND cn.unit = 'currency' AND us.unit = 'currency'
ORDER BY pair_id
