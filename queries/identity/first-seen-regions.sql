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
    OR {{lookback_window "cloudtrail" lookback}})
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
),
-- One row per key and period (window or lookback); a key is new when its only row is the window's.
per_period AS (
  SELECT
    recipientaccountid, awsregion,
    in_window,
    count(*) AS calls,
    count_if(is_write) AS write_calls,
    count(DISTINCT principal) AS principals,
    array_join(slice(array_sort(array_agg(DISTINCT principal)), 1, {{samples}}), ', ') AS sample_principals,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM events
  GROUP BY recipientaccountid, awsregion, in_window
),
graded AS (
  SELECT
    recipientaccountid, awsregion, in_window,
    calls, write_calls, principals, sample_principals, sample_actions, first_seen, last_seen,
    count(*) OVER (PARTITION BY recipientaccountid, awsregion) AS periods
  FROM per_period
)
SELECT
  recipientaccountid, awsregion,
  calls, write_calls, principals, sample_principals, sample_actions, first_seen, last_seen
FROM graded
WHERE in_window
  AND periods = 1
ORDER BY first_seen, recipientaccountid, awsregion
LIMIT {{limit}}
