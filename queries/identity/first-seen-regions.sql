-- Regions an account used in the window that it did not use at all in a lookback period
-- just before it: the first sign of resources launched where nobody looks. One scan
-- reads the window and the lookback period.
WITH events AS (
  SELECT
    recipientaccountid,
    awsregion,
    {{> actor}} AS principal,
    eventsource,
    eventname,
    eventtime,
    {{> identity_is_write}} AS is_write,
    eventtime >= {{since.iso}} AS in_window
  FROM cloudtrail
  WHERE ({{window "cloudtrail"}}
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR (day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
      AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
      AND eventtime < {{since.iso}}))
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
)
SELECT
  recipientaccountid,
  awsregion,
  count(*) FILTER (WHERE in_window) AS calls,
  count(*) FILTER (WHERE in_window AND is_write) AS write_calls,
  count(DISTINCT principal) FILTER (WHERE in_window) AS principals,
  array_join(slice(array_sort(array_agg(DISTINCT principal) FILTER (WHERE in_window)), 1, {{samples}}), ', ') AS sample_principals,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname) FILTER (WHERE in_window)), 1, {{samples}}), ', ') AS sample_actions,
  min(eventtime) FILTER (WHERE in_window) AS first_seen,
  max(eventtime) FILTER (WHERE in_window) AS last_seen
FROM events
GROUP BY recipientaccountid, awsregion
HAVING count(*) FILTER (WHERE NOT in_window) = 0
  AND count(*) FILTER (WHERE in_window) > 0
ORDER BY first_seen, recipientaccountid, awsregion
LIMIT {{limit}}
