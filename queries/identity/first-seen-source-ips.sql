-- Source addresses seen in the window that made no call at all in a lookback period
-- just before it, with who used them and for what. Service host names and
-- "AWS Internal" are not addresses and are left out.
WITH recent AS (
  SELECT
    sourceipaddress AS source_ip,
    {{> actor}} AS principal,
    recipientaccountid,
    eventsource,
    eventname,
    eventtime
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
),
-- The lookback period [since - lookback, since), partition-filtered like the window.
known AS (
  SELECT DISTINCT sourceipaddress AS source_ip
  FROM cloudtrail
  WHERE day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
    AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
    AND eventtime < {{since.iso}}
    AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
)
SELECT
  r.source_ip,
  count(*) AS calls,
  count(DISTINCT r.principal) AS principals,
  array_join(slice(array_sort(array_agg(DISTINCT r.principal)), 1, {{samples}}), ', ') AS sample_principals,
  array_join(array_sort(array_agg(DISTINCT r.recipientaccountid)), ', ') AS accounts,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(r.eventsource, '.', 1) || ':' || r.eventname)), 1, {{samples}}), ', ') AS sample_actions,
  min(r.eventtime) AS first_seen,
  max(r.eventtime) AS last_seen
FROM recent r
LEFT JOIN known k ON k.source_ip = r.source_ip
WHERE k.source_ip IS NULL
GROUP BY r.source_ip
ORDER BY first_seen, r.source_ip
LIMIT {{limit}}
