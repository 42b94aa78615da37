-- AI funding from the deal feed, per month, target country and whether a sovereign wealth fund
-- took part: deals, amounts in USD and CNY (each deal at its own day's rate), and the largest deal;
-- of deals equally large, the first by deal id (max_by alone takes whichever it meets first, which
-- differs between runs: two deals of the 10M-row feed tie at USD 16,504,890,134.18).
SELECT month, target_country, sovereign,
       count(*) AS deals,
       CAST(sum(amount_usd) AS DECIMAL(38,4)) AS amount_usd,
       CAST(sum(amount_cny) AS DECIMAL(38,4)) AS amount_cny,
       CAST(max(amount_usd) AS DECIMAL(38,4)) AS largest_deal_usd,
       min_by(deal_id, struct(-amount_usd, deal_id)) AS largest_deal_id
FROM silver_funding_rounds
GROUP BY month, target_country, sovereign
ORDER BY month, target_country, sovereign
