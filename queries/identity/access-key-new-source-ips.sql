-- Access keys used from a source address they were not used from during a lookback
-- period just before the window: a leaked key at work from somewhere new. By default
-- long-term keys (AKIA...) only: every temporary key is new by nature.
WITH recent AS (
  SELECT
    useridentity.accesskeyid AS access_key_id,
    {{> actor}} AS principal,
    sourceipaddress AS source_ip,
    recipientaccountid,
    eventsource,
    eventname,
    eventtime
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
    AND (({{key_kind}} = 'long_term' AND useridentity.accesskeyid LIKE 'AKIA%')
      OR ({{key_kind}} = 'temporary' AND useridentity.accesskeyid LIKE 'ASIA%')
      OR ({{key_kind}} = 'any' AND useridentity.accesskeyid <> ''))
),
-- The lookback period [since - lookback, since), partition-filtered like the window.
known AS (
  SELECT DISTINCT useridentity.accesskeyid AS access_key_id, sourceipaddress AS source_ip
  FROM cloudtrail
  WHERE day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
    AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
    AND eventtime < {{since.iso}}
    AND useridentity.accesskeyid IS NOT NULL
),
known_keys AS (SELECT DISTINCT access_key_id FROM known)
SELECT
  r.access_key_id,
  r.principal,
  r.source_ip,
  kk.access_key_id IS NOT NULL AS key_seen_before,
  count(*) AS calls,
  count(DISTINCT r.eventsource || ':' || r.eventname) AS distinct_actions,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(r.eventsource, '.', 1) || ':' || r.eventname)), 1, {{samples}}), ', ') AS sample_actions,
  array_join(array_sort(array_agg(DISTINCT r.recipientaccountid)), ', ') AS accounts,
  min(r.eventtime) AS first_seen,
  max(r.eventtime) AS last_seen
FROM recent r
LEFT JOIN known k ON k.access_key_id = r.access_key_id AND k.source_ip = r.source_ip
LEFT JOIN known_keys kk ON kk.access_key_id = r.access_key_id
WHERE k.access_key_id IS NULL
GROUP BY r.access_key_id, r.principal, r.source_ip, kk.access_key_id IS NOT NULL
ORDER BY first_seen, r.access_key_id, r.principal, r.source_ip
LIMIT {{limit}}
