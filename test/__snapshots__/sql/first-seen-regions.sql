-- casebook render first-seen-regions (example parameters, 2024-03-01 to 2024-03-15)
-- Regions an account used in the window that it did not use at all in a lookback period
-- just before it: the first sign of resources launched where nobody looks. One scan
-- reads the window and the lookback period.
WITH events AS (
  SELECT
    recipientaccountid,
    awsregion,
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    eventsource,
    eventname,
    eventtime,
    (COALESCE(readonly,
    CASE WHEN regexp_like(eventname, '^(Get|List|Describe|Head|Lookup|Search|BatchGet|Check|Simulate|Preview|View|Validate)') THEN 'true' ELSE 'false' END
  ) <> 'true') AS is_write,
    eventtime >= '2024-03-01T00:00:00Z' AS in_window
  FROM cloudtrail
  WHERE ((day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR (day BETWEEN '2024/01/31' AND '2024/03/01' AND eventtime >= '2024-01-31T00:00:00Z' AND eventtime < '2024-03-01T00:00:00Z'))
    AND COALESCE(useridentity.type, '') <> 'AWSService'
),
-- One row per key and period (window or lookback); a key is new when its only row is the window's.
per_period AS (
  SELECT
    recipientaccountid, awsregion,
    in_window,
    count(*) AS calls,
    count_if(is_write) AS write_calls,
    count(DISTINCT principal) AS principals,
    array_join(slice(array_sort(array_agg(DISTINCT principal)), 1, 10), ', ') AS sample_principals,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
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
LIMIT 100
