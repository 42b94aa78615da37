-- Open-model downloads from the download feed, per month and origin country: downloads, the
-- country's share of the month's new downloads, and cumulative downloads to the month's end.
WITH monthly AS (
  SELECT trunc(date, 'month') AS month, origin_country, sum(downloads) AS downloads, max(date) AS last_day
  FROM silver_downloads_daily
  GROUP BY trunc(date, 'month'), origin_country)
SELECT month, last_day, origin_country, downloads,
       sum(downloads) OVER (PARTITION BY month) AS month_downloads,
       CAST(downloads AS DOUBLE) / sum(downloads) OVER (PARTITION BY month) AS share,
       sum(downloads) OVER (PARTITION BY origin_country ORDER BY month
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_downloads
FROM monthly
ORDER BY month, origin_country
