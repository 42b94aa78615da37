-- Every comparison the documents state, recomputed from the facts at market FX rates, and judged
-- against the interval its stated value stands for (sql/functions.sql): consistent,
-- approximate or inconsistent, with the reason. kind tells the documents' own claims
-- (stated_claim) from checks of ours that no document states (consistency_check).
WITH legs AS (
  SELECT l.claim_id, l.stated_currency, 'left' AS side, f.*
  FROM (SELECT claim_id, stated_currency, explode(left_fact_ids) AS fid FROM silver_claims) l
  JOIN silver_facts f ON f.fact_id = l.fid
  UNION ALL
  SELECT r.claim_id, r.stated_currency, 'right' AS side, f.*
  FROM (SELECT claim_id, stated_currency, explode(right_fact_ids) AS fid FROM silver_claims) r
  JOIN silver_facts f ON f.fact_id = r.fid),
sides AS (
  SELECT claim_id AS leg_claim_id,
    -- Amounts are summed as the exact decimals they are, then turned into doubles for the
    -- comparison with the stated interval (whose open ends are infinities).
    CAST(sum(CASE WHEN side = 'left' THEN coalesce(usd_low, low) END) AS DOUBLE) AS left_low,
    CAST(sum(CASE WHEN side = 'left' THEN coalesce(usd_high, high) END) AS DOUBLE) AS left_high,
    CAST(sum(CASE WHEN side = 'right' THEN coalesce(usd_low, low) END) AS DOUBLE) AS right_low,
    CAST(sum(CASE WHEN side = 'right' THEN coalesce(usd_high, high) END) AS DOUBLE) AS right_high,
    -- the tops of the ranges in the facts' own unit and currency (range_top_ratio, one currency only)
    CAST(sum(CASE WHEN side = 'left' THEN high END) AS DOUBLE) AS left_native_high,
    CAST(sum(CASE WHEN side = 'right' THEN low END) AS DOUBLE) AS right_native_low,
    CAST(sum(CASE WHEN side = 'right' THEN high END) AS DOUBLE) AS right_native_high,
    size(collect_set(currency)) AS leg_currencies,
    -- monthly run-rates in USD: each amount over the months its period covers (run_rate_ratio)
    CAST(sum(CASE WHEN side = 'left' THEN usd_low / period_months END) AS DOUBLE) AS left_rr_low,
    CAST(sum(CASE WHEN side = 'left' THEN usd_high / period_months END) AS DOUBLE) AS left_rr_high,
    CAST(sum(CASE WHEN side = 'right' THEN usd_low / period_months END) AS DOUBLE) AS right_rr_low,
    CAST(sum(CASE WHEN side = 'right' THEN usd_high / period_months END) AS DOUBLE) AS right_rr_high,
    -- a year's profit in the stated currency: a net loss counts negative, an amount over a period is
    -- annualised (x 12, then over its months) (annualised_profit)
    CAST(sum(CASE WHEN side = 'left' THEN (CASE WHEN metric = 'net_loss'
          THEN -(CASE stated_currency WHEN 'CNY' THEN cny_high ELSE usd_high END)
          ELSE CASE stated_currency WHEN 'CNY' THEN cny_low ELSE usd_low END END)
        * CASE WHEN period_months IS NULL THEN 1 ELSE 12 END / coalesce(period_months, 1) END) AS DOUBLE)
      AS annual_profit_low,
    CAST(sum(CASE WHEN side = 'left' THEN (CASE WHEN metric = 'net_loss'
          THEN -(CASE stated_currency WHEN 'CNY' THEN cny_low ELSE usd_low END)
          ELSE CASE stated_currency WHEN 'CNY' THEN cny_high ELSE usd_high END END)
        * CASE WHEN period_months IS NULL THEN 1 ELSE 12 END / coalesce(period_months, 1) END) AS DOUBLE)
      AS annual_profit_high,
    -- a product's amounts in the stated currency; plain values (multiples, fractions) as they are;
    -- multiplied as doubles: a chain of 38-digit decimal products would be rounded to 6 places
    aggregate(collect_list(CASE WHEN side = 'left' THEN CAST(CASE stated_currency
      WHEN 'CNY' THEN coalesce(cny_low, low) ELSE coalesce(usd_low, low) END AS DOUBLE) END), 1D, (a, x) -> a * x) AS product_low,
    aggregate(collect_list(CASE WHEN side = 'left' THEN CAST(CASE stated_currency
      WHEN 'CNY' THEN coalesce(cny_high, high) ELSE coalesce(usd_high, high) END AS DOUBLE) END), 1D, (a, x) -> a * x) AS product_high,
    max(CASE WHEN side = 'left' THEN CAST(cny_low AS DOUBLE) END) AS left_cny_low,
    max(CASE WHEN side = 'left' THEN CAST(cny_high AS DOUBLE) END) AS left_cny_high,
    max(CASE WHEN side = 'left' THEN CAST(cny_per_unit / usd_per_unit AS DOUBLE) END) AS left_cny_per_usd,
    max(CASE WHEN side = 'left' THEN fx_rate_date END) AS left_fx_date,
    concat_ws('; ', array_sort(collect_list(CASE WHEN currency IS NOT NULL AND currency <> 'USD' THEN
      concat(fact_id, ': 1 ', currency, ' = ', CAST(round(usd_per_unit, 6) AS STRING), ' USD (',
             coalesce(CAST(fx_rate_date AS STRING), concat('average of ', CAST(fx_days AS STRING), ' days')), ')')
      END))) AS fx_used,
    concat_ws('; ', array_sort(collect_list(CASE WHEN period_months IS NOT NULL THEN
      concat(fact_id, ': ', CAST(CAST(period_months AS DOUBLE) AS STRING), ' months') END))) AS months_used,
    -- sorted: collect_list after a shuffle has no fixed order, and outputs must be reproducible
    array_sort(collect_list(fact_id)) AS fact_ids,
    array_sort(array_distinct(filter(collect_list(citation), x -> x IS NOT NULL))) AS citations,
    array_sort(array_distinct(collect_list(quote))) AS fact_quotes,
    array_sort(collect_set(inferred_date_note(fact_id, date_inference))) AS fact_inference_reasons
  FROM legs GROUP BY claim_id),
recomputed AS (
  SELECT c.*, s.*,
    CASE c.check_type
      WHEN 'ratio' THEN s.left_low / s.right_high * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'change_multiple' THEN s.left_low / s.right_high
      WHEN 'range_top_ratio' THEN CASE WHEN s.leg_currencies <= 1 THEN s.left_native_high / s.right_native_high
                                       ELSE s.left_high / s.right_high END
                                  * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'run_rate_ratio' THEN s.left_rr_low / s.right_rr_high * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'annualised_profit' THEN s.annual_profit_low / CAST(c.stated_scale AS DOUBLE)
      WHEN 'fx_conversion' THEN CASE c.stated_currency WHEN 'CNY' THEN s.left_cny_low ELSE s.left_low END
                                 / CAST(c.stated_scale AS DOUBLE)
      WHEN 'product' THEN s.product_low / CAST(c.stated_scale AS DOUBLE)
      WHEN 'share_sum' THEN s.left_low * 100 END AS recomputed_low,
    CASE c.check_type
      WHEN 'ratio' THEN s.left_high / s.right_low * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'change_multiple' THEN s.left_high / s.right_low
      WHEN 'range_top_ratio' THEN CASE WHEN s.leg_currencies <= 1 THEN s.left_native_high / s.right_native_low
                                       ELSE s.left_high / s.right_low END
                                  * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'run_rate_ratio' THEN s.left_rr_high / s.right_rr_low * CASE c.stated_unit WHEN 'percent' THEN 100 ELSE 1 END
      WHEN 'annualised_profit' THEN s.annual_profit_high / CAST(c.stated_scale AS DOUBLE)
      WHEN 'fx_conversion' THEN CASE c.stated_currency WHEN 'CNY' THEN s.left_cny_high ELSE s.left_high END
                                 / CAST(c.stated_scale AS DOUBLE)
      WHEN 'product' THEN s.product_high / CAST(c.stated_scale AS DOUBLE)
      WHEN 'share_sum' THEN s.left_high * 100 END AS recomputed_high
  FROM silver_claims c JOIN sides s ON s.leg_claim_id = c.claim_id),
bounds AS (
  SELECT *,
    -- change_multiple: the multiple the quote's own from (stated_low) and to (stated_high) figures
    -- imply, each within half its last written digit
    CASE WHEN check_type = 'change_multiple'
         THEN stated_min(stated_high, qualifier) / stated_max(stated_low, stated_low, qualifier)
         ELSE stated_min(stated_low, qualifier) END AS stated_min,
    CASE WHEN check_type = 'change_multiple'
         THEN stated_max(stated_high, stated_high, qualifier) / stated_min(stated_low, qualifier)
         ELSE stated_max(stated_low, stated_high, qualifier) END AS stated_max,
    CASE WHEN check_type = 'change_multiple' THEN CAST(stated_high AS DOUBLE) / CAST(stated_low AS DOUBLE) END
      AS stated_multiple
  FROM recomputed),
judged AS (
  SELECT *,
    relative_miss(stated_min, stated_max, recomputed_low, recomputed_high,
                  coalesce(CAST(stated_multiple AS DECIMAL(38,12)), stated_low),
                  coalesce(CAST(stated_multiple AS DECIMAL(38,12)), stated_high)) AS relative_miss
  FROM bounds)
SELECT claim_id, kind, check_type, quote, qualifier, stated_low, stated_high, stated_unit, stated_currency,
  stated_scale, stated_min, stated_max, recomputed_low, recomputed_high, verdict_tolerance() AS tolerance, relative_miss,
  verdict(relative_miss) AS verdict,
  concat(
    'recomputed ', format_number(recomputed_low, 4), ' to ', format_number(recomputed_high, 4),
    CASE WHEN check_type = 'change_multiple'
         THEN concat(' (times) against the ', format_number(stated_multiple, 4), ' times the figures of the quote imply (',
                     CAST(CAST(stated_high AS DOUBLE) AS STRING), ' / ', CAST(CAST(stated_low AS DOUBLE) AS STRING),
                     ' as written: ', format_number(stated_min, 4), ' to ', format_number(stated_max, 4), ')')
         ELSE concat(' against stated ', qualifier, ' ', CAST(CAST(stated_low AS DOUBLE) AS STRING),
                     CASE WHEN stated_high <> stated_low THEN concat('-', CAST(CAST(stated_high AS DOUBLE) AS STRING)) ELSE '' END)
    END,
    CASE WHEN relative_miss > 0 THEN concat(', missing by ', format_number(relative_miss * 100, 1), '%') ELSE '' END,
    CASE WHEN check_type = 'fx_conversion' AND stated_currency = 'CNY' THEN concat('; the document implies ',
           format_number(CAST(stated_low * stated_scale AS DOUBLE) / left_low, 4), ' CNY per USD, the ECB cross rate on ',
           CAST(left_fx_date AS STRING), ' is ', format_number(left_cny_per_usd, 4)) ELSE '' END,
    CASE WHEN check_type = 'range_top_ratio' AND leg_currencies <= 1 THEN '; tops of the ranges compared as written, no FX' ELSE '' END,
    CASE WHEN check_type IN ('run_rate_ratio', 'annualised_profit') THEN concat('; months: ', months_used) ELSE '' END,
    CASE WHEN fx_used <> '' AND NOT (check_type = 'range_top_ratio' AND leg_currencies <= 1)
         THEN concat('; FX used: ', fx_used) ELSE '' END) AS reason,
  -- the facts' inferred periods or dates, and the claim's own reading of an undated figure
  array_sort(concat(filter(array(inferred_date_note(claim_id, date_inference)), x -> x IS NOT NULL),
                    fact_inference_reasons)) AS inferred_date_reasons,
  size(inferred_date_reasons) > 0 AS rests_on_inferred_date,
  fact_ids, citations, fact_quotes
FROM judged
ORDER BY claim_id
