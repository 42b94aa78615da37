-- China's domestic AI funding against the total value of the AI venture deals sovereign wealth
-- funds took part in ("参与了总价值464亿美元的AI风险投资交易": deal value, not the funds' own money),
-- those into US start-ups and in total, in USD and CNY. The periods differ (Jan to Nov 15 against Jan-Aug), so besides the raw
-- ratio the output gives the ratio of monthly run-rates.
WITH cn AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'ai_funding_total' AND country = 'CN'),
swf AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'ai_vc_deal_value'
        AND entity_id = 'global_sovereign_wealth_funds'),
us AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'ai_vc_deal_value'
       AND entity_id = 'us_ai_startups')
SELECT
  cn.usd_mid AS china_funding_usd, cn.cny_mid AS china_funding_cny, cn.qualifier AS china_qualifier,
  cn.period_start AS china_period_start, cn.period_end AS china_period_end,
  cn.period_months AS china_months, cn.usd_monthly_run_rate AS china_usd_monthly_run_rate,
  us.usd_mid AS sovereign_to_us_usd, us.cny_mid AS sovereign_to_us_cny,
  swf.usd_mid AS sovereign_total_usd, swf.cny_mid AS sovereign_total_cny,
  us.period_start AS sovereign_period_start, us.period_end AS sovereign_period_end,
  us.period_months AS sovereign_months, us.usd_monthly_run_rate AS sovereign_to_us_usd_monthly_run_rate,
  CAST(cn.usd_mid AS DOUBLE) / CAST(us.usd_mid AS DOUBLE) AS china_to_sovereign_us_ratio,
  CAST(cn.usd_monthly_run_rate AS DOUBLE) / CAST(us.usd_monthly_run_rate AS DOUBLE)
    AS china_to_sovereign_us_run_rate_ratio,
  CAST(us.usd_mid AS DOUBLE) / CAST(swf.usd_mid AS DOUBLE) AS us_share_of_sovereign,
  CAST(cn.usd_mid AS DOUBLE) / CAST(swf.usd_mid AS DOUBLE) AS china_to_sovereign_total_ratio,
  cn.cny_per_unit / cn.usd_per_unit AS cny_per_usd, cn.fx_rate_date AS fx_rate_date,
  array(cn.fact_id, us.fact_id, swf.fact_id) AS fact_ids,
  filter(array(cn.citation, us.citation, swf.citation), x -> x IS NOT NULL) AS citations,
  array(cn.quote, us.quote, swf.quote) AS quotes,
  filter(array(inferred_date_note(cn.fact_id, cn.date_inference), inferred_date_note(us.fact_id, us.date_inference),
               inferred_date_note(swf.fact_id, swf.date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons,
  size(inferred_date_reasons) > 0 AS rests_on_inferred_date
FROM cn CROSS JOIN us CROSS JOIN swf
