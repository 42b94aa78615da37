-- Open-model downloads: each country's share of new downloads per period with the change in
-- percentage points since its previous period, cumulative downloads per country, and the China/US
-- ratio of cumulative downloads.
WITH shares AS (
  SELECT * FROM silver_facts WHERE is_preferred AND metric = 'new_download_share'),
cumulative AS (
  SELECT * FROM silver_facts WHERE is_preferred AND metric = 'cumulative_downloads'),
ratio AS (
  SELECT cn.as_of_date, cn.qualifier AS cn_q, us.qualifier AS us_q,
         CAST(cn.low AS DOUBLE) / CAST(us.high AS DOUBLE) AS low,
         CAST(cn.mid AS DOUBLE) / CAST(us.mid AS DOUBLE) AS mid,
         CAST(cn.high AS DOUBLE) / CAST(us.low AS DOUBLE) AS high,
         array(cn.fact_id, us.fact_id) AS fact_ids,
         filter(array(cn.citation, us.citation), x -> x IS NOT NULL) AS citations,
         array(cn.quote, us.quote) AS quotes,
         filter(array(inferred_date_note(cn.fact_id, cn.date_inference), inferred_date_note(us.fact_id, us.date_inference)),
                x -> x IS NOT NULL) AS inferred_date_reasons
  FROM cumulative cn JOIN cumulative us
    ON cn.country = 'CN' AND us.country = 'US' AND cn.as_of_date = us.as_of_date)
SELECT *, size(inferred_date_reasons) > 0 AS rests_on_inferred_date FROM (
SELECT 'new_download_share' AS measure, country, period_start, period_end, as_of_date, qualifier,
       CAST(low AS DOUBLE) AS low, CAST(mid AS DOUBLE) AS mid, CAST(high AS DOUBLE) AS high,
       (CAST(mid AS DOUBLE) - lag(CAST(mid AS DOUBLE)) OVER (PARTITION BY country ORDER BY as_of_date)) * 100
         AS change_pp,
       array(fact_id) AS fact_ids, filter(array(citation), x -> x IS NOT NULL) AS citations,
       array(quote) AS quotes,
       filter(array(inferred_date_note(fact_id, date_inference)), x -> x IS NOT NULL) AS inferred_date_reasons
FROM shares
UNION ALL
SELECT 'cumulative_downloads', country, period_start, period_end, as_of_date, qualifier,
       CAST(low AS DOUBLE), CAST(mid AS DOUBLE), CAST(high AS DOUBLE), CAST(NULL AS DOUBLE),
       array(fact_id), filter(array(citation), x -> x IS NOT NULL), array(quote),
       filter(array(inferred_date_note(fact_id, date_inference)), x -> x IS NOT NULL)
FROM cumulative
UNION ALL
SELECT 'cumulative_ratio_cn_to_us', 'CN/US', CAST(NULL AS DATE), CAST(NULL AS DATE), as_of_date,
       CASE WHEN cn_q = 'exact' AND us_q = 'exact' THEN 'exact' ELSE 'about' END,
       low, mid, high, CAST(NULL AS DOUBLE), fact_ids, citations, quotes, inferred_date_reasons
FROM ratio)
ORDER BY measure, country, as_of_date
