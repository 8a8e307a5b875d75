-- Principals active in the window that made no call at all in a lookback period just
-- before it: new users, new roles, stolen credentials used for the first time. Role
-- sessions count as their role unless --sessions.
WITH recent AS (
  SELECT
    {{#if sessions}}{{> actor}}{{else}}COALESCE(useridentity.sessioncontext.sessionissuer.arn, {{> actor}}){{/if}} AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventsource,
    eventname,
    sourceipaddress,
    eventtime
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
),
-- The lookback period [since - lookback, since), partition-filtered like the window.
known AS (
  SELECT DISTINCT
    {{#if sessions}}{{> actor}}{{else}}COALESCE(useridentity.sessioncontext.sessionissuer.arn, {{> actor}}){{/if}} AS principal
  FROM cloudtrail
  WHERE day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
    AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
    AND eventtime < {{since.iso}}
)
SELECT
  r.principal,
  r.principal_type,
  array_join(array_sort(array_agg(DISTINCT r.recipientaccountid)), ', ') AS accounts,
  count(*) AS calls,
  count(DISTINCT r.eventsource || ':' || r.eventname) AS distinct_actions,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(r.eventsource, '.', 1) || ':' || r.eventname)), 1, {{samples}}), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT r.sourceipaddress)), 1, {{samples}}), ', ') AS source_ips,
  min(r.eventtime) AS first_seen,
  max(r.eventtime) AS last_seen
FROM recent r
LEFT JOIN known k ON k.principal = r.principal
WHERE k.principal IS NULL
  AND r.principal IS NOT NULL
GROUP BY r.principal, r.principal_type
ORDER BY first_seen, r.principal, r.principal_type
LIMIT {{limit}}
