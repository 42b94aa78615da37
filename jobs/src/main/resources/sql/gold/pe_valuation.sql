-- The PE method of late 2023: OpenAI's steady-state annual profit x a PE multiple, and the chain
-- to China's first-tier LLM companies (中国第一梯队大模型公司, the method's 约600亿 CNY; their
-- valuation as a fixed fraction of OpenAI's, the product of the method's adjustment coefficients),
-- not the current range for LLM companies in the Chinese market (china_market_llm). A sensitivity
-- grid varies the PE multiple and the profit around the document's values; each row also sets the
-- result against OpenAI's latest reported valuation.
WITH profit AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'steady_state_profit'
                AND entity_id = 'openai'),
pe AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'pe_multiple' AND entity_id = 'openai'),
method AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'valuation_method_result'
           AND entity_id = 'openai'),
chain AS (SELECT * FROM silver_facts WHERE is_preferred AND metric = 'valuation_method_result'
          AND entity_id = 'china_first_tier_llm'),
actual AS (SELECT * FROM silver_facts WHERE is_preferred AND entity_id = 'openai' AND metric = 'valuation'
           ORDER BY as_of_date DESC LIMIT 1),
grid AS (
  SELECT CAST(m AS DECIMAL(10,2)) AS pe_multiple, CAST(f AS DECIMAL(10,2)) AS profit_factor
  -- the grid: PE multiples, and factors applied to the document's steady-state profit
  FROM (SELECT explode(array(20, 25, 30, 35, 40)) AS m)
  CROSS JOIN (SELECT explode(array(0.50, 0.75, 1.00, 1.25, 1.50)) AS f))
SELECT
  concat('pe_', CAST(grid.pe_multiple AS STRING), '_profit_x', CAST(grid.profit_factor AS STRING)) AS scenario,
  grid.pe_multiple, grid.profit_factor,
  grid.pe_multiple = pe.mid AND grid.profit_factor = 1 AS is_document_case,
  CAST(profit.usd_mid * grid.profit_factor AS DECIMAL(38,4)) AS steady_state_profit_usd,
  CAST(profit.usd_mid * grid.profit_factor * grid.pe_multiple AS DECIMAL(38,4)) AS openai_valuation_usd,
  method.usd_mid AS document_openai_valuation_usd,
  chain.entity_id AS china_entity_id, chain.entity_name AS china_entity_name, chain.as_of_date AS china_as_of_date,
  CAST(chain.usd_mid AS DOUBLE) / CAST(method.usd_mid AS DOUBLE) AS china_to_openai_coefficient,
  CAST(profit.usd_mid * grid.profit_factor * grid.pe_multiple * chain.usd_mid / method.usd_mid
       AS DECIMAL(38,4)) AS china_first_tier_usd,
  CAST(chain.cny_mid * grid.profit_factor * grid.pe_multiple / pe.mid AS DECIMAL(38,4)) AS china_first_tier_cny,
  actual.usd_mid AS openai_reported_valuation_usd, actual.as_of_date AS openai_reported_as_of,
  CAST(actual.usd_mid AS DOUBLE) / CAST(profit.usd_mid * grid.profit_factor * grid.pe_multiple AS DOUBLE)
    AS reported_over_method,
  CAST(actual.usd_mid AS DOUBLE) / CAST(profit.usd_mid * grid.profit_factor AS DOUBLE) AS implied_pe_at_reported,
  chain.fx_rate_date AS fx_rate_date,
  array(profit.fact_id, pe.fact_id, method.fact_id, chain.fact_id, actual.fact_id) AS fact_ids,
  filter(array(profit.citation, pe.citation, method.citation, chain.citation, actual.citation),
         x -> x IS NOT NULL) AS citations,
  array_distinct(array(profit.quote, pe.quote, method.quote, chain.quote, actual.quote)) AS quotes,
  filter(array(inferred_date_note(profit.fact_id, profit.date_inference), inferred_date_note(pe.fact_id, pe.date_inference),
               inferred_date_note(method.fact_id, method.date_inference), inferred_date_note(chain.fact_id, chain.date_inference),
               inferred_date_note(actual.fact_id, actual.date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons,
  size(inferred_date_reasons) > 0 AS rests_on_inferred_date
FROM grid CROSS JOIN profit CROSS JOIN pe CROSS JOIN method CROSS JOIN chain CROSS JOIN actual
ORDER BY grid.pe_multiple, grid.profit_factor
