-- casebook render access-key-new-source-ips (example parameters, 2024-03-01 to 2024-03-15)
-- Access keys used from a source address they were not used from during a lookback
-- period just before the window: a leaked key at work from somewhere new. By default
-- long-term keys (AKIA...) only: every temporary key is new by nature. One scan reads
-- the window and the lookback period.
WITH uses AS (
  SELECT
    useridentity.accesskeyid AS access_key_id,
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    sourceipaddress AS source_ip,
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
    AND (('long_term' = 'long_term' AND useridentity.accesskeyid LIKE 'AKIA%')
      OR ('long_term' = 'temporary' AND useridentity.accesskeyid LIKE 'ASIA%')
      OR ('long_term' = 'any' AND useridentity.accesskeyid <> ''))
),
-- One row per key, address and period (window or lookback): a pair is new when its only row is the window's.
per_period AS (
  SELECT
    access_key_id,
    source_ip,
    in_window,
    max(principal) AS principal,
    count(*) AS calls,
    count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
    array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM uses
  GROUP BY access_key_id, source_ip, in_window
),
graded AS (
  SELECT
    access_key_id, source_ip, in_window, principal, calls, distinct_actions, sample_actions, accounts, first_seen, last_seen,
    count(*) OVER (PARTITION BY access_key_id, source_ip) AS periods,
    sum(CASE WHEN in_window THEN 0 ELSE 1 END) OVER (PARTITION BY access_key_id) > 0 AS key_seen_before
  FROM per_period
)
SELECT
  access_key_id,
  principal,
  source_ip,
  key_seen_before,
  calls,
  distinct_actions,
  sample_actions,
  accounts,
  first_seen,
  last_seen
FROM graded
WHERE in_window
  AND periods = 1
ORDER BY first_seen, access_key_id, source_ip
LIMIT 100
