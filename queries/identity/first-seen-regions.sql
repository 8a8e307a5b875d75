-- Regions an account used in the window that it did not use at all in a lookback period
-- just before it: the first sign of resources launched where nobody looks.
WITH recent AS (
  SELECT
    recipientaccountid,
    awsregion,
    {{> actor}} AS principal,
    eventsource,
    eventname,
    eventtime,
    {{> identity_is_write}} AS is_write
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
),
-- The lookback period [since - lookback, since), partition-filtered like the window.
known AS (
  SELECT DISTINCT recipientaccountid, awsregion
  FROM cloudtrail
  WHERE day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
    AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
    AND eventtime < {{since.iso}}
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
)
SELECT
  r.recipientaccountid,
  r.awsregion,
  count(*) AS calls,
  count_if(r.is_write) AS write_calls,
  count(DISTINCT r.principal) AS principals,
  array_join(slice(array_sort(array_agg(DISTINCT r.principal)), 1, {{samples}}), ', ') AS sample_principals,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(r.eventsource, '.', 1) || ':' || r.eventname)), 1, {{samples}}), ', ') AS sample_actions,
  min(r.eventtime) AS first_seen,
  max(r.eventtime) AS last_seen
FROM recent r
LEFT JOIN known k ON k.recipientaccountid = r.recipientaccountid AND k.awsregion = r.awsregion
WHERE k.awsregion IS NULL
GROUP BY r.recipientaccountid, r.awsregion
ORDER BY first_seen, r.recipientaccountid, r.awsregion
LIMIT {{limit}}
