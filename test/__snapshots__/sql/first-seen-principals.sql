-- casebook render first-seen-principals (example parameters, 2024-03-01 to 2024-03-15)
-- Principals active in the window that made no call at all in a lookback period just
-- before it: new users and roles, dormant identities woken up, stolen credentials used
-- for the first time. Role sessions count as their role unless --sessions. One scan
-- reads the window and the lookback period; a principal with any call in the lookback
-- is known.
WITH events AS (
  SELECT
    COALESCE(useridentity.sessioncontext.sessionissuer.arn, COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type)) AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventsource,
    eventname,
    sourceipaddress,
    eventtime,
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
    principal,
    in_window,
    max(principal_type) AS principal_type,
    array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
    count(*) AS calls,
    count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
    array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, 10), ', ') AS source_ips,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM events
  GROUP BY principal, in_window
),
graded AS (
  SELECT
    principal, in_window,
    principal_type, accounts, calls, distinct_actions, sample_actions, source_ips, first_seen, last_seen,
    count(*) OVER (PARTITION BY principal) AS periods
  FROM per_period
)
SELECT
  principal,
  principal_type, accounts, calls, distinct_actions, sample_actions, source_ips, first_seen, last_seen
FROM graded
WHERE in_window
  AND periods = 1
  AND principal IS NOT NULL
ORDER BY first_seen, principal
LIMIT 100
