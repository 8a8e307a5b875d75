-- casebook render first-seen-source-ips (example parameters, 2024-03-01 to 2024-03-15)
-- Source addresses seen in the window that made no call at all in a lookback period
-- just before it, with who used them and for what. Service host names and
-- "AWS Internal" are not addresses and are left out. One scan reads the window and the
-- lookback period.
WITH events AS (
  SELECT
    sourceipaddress AS source_ip,
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    recipientaccountid,
    eventsource,
    eventname,
    eventtime,
    eventtime >= '2024-03-01T00:00:00Z' AS in_window
  FROM cloudtrail
  WHERE ((day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR (day BETWEEN '2024/01/31' AND '2024/03/01' AND eventtime >= '2024-01-31T00:00:00Z' AND eventtime < '2024-03-01T00:00:00Z'))
    AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
),
-- One row per key and period (window or lookback); a key is new when its only row is the window's.
per_period AS (
  SELECT
    source_ip,
    in_window,
    count(*) AS calls,
    count(DISTINCT principal) AS principals,
    array_join(slice(array_sort(array_agg(DISTINCT principal)), 1, 10), ', ') AS sample_principals,
    array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM events
  GROUP BY source_ip, in_window
),
graded AS (
  SELECT
    source_ip, in_window,
    calls, principals, sample_principals, accounts, sample_actions, first_seen, last_seen,
    count(*) OVER (PARTITION BY source_ip) AS periods
  FROM per_period
)
SELECT
  source_ip,
  calls, principals, sample_principals, accounts, sample_actions, first_seen, last_seen
FROM graded
WHERE in_window
  AND periods = 1
ORDER BY first_seen, source_ip
LIMIT 100
