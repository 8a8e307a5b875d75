-- Source addresses seen in the window that made no call at all in a lookback period
-- just before it, with who used them and for what. Service host names and
-- "AWS Internal" are not addresses and are left out. One scan reads the window and the
-- lookback period.
WITH events AS (
  SELECT
    sourceipaddress AS source_ip,
    {{> actor}} AS principal,
    recipientaccountid,
    eventsource,
    eventname,
    eventtime,
    eventtime >= {{since.iso}} AS in_window
  FROM cloudtrail
  WHERE ({{window "cloudtrail"}}
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR {{lookback_window "cloudtrail" lookback}})
    AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
),
-- One row per key and period (window or lookback); a key is new when its only row is the window's.
per_period AS (
  SELECT
    source_ip,
    in_window,
    count(*) AS calls,
    count(DISTINCT principal) AS principals,
    array_join(slice(array_sort(array_agg(DISTINCT principal)), 1, {{samples}}), ', ') AS sample_principals,
    array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
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
LIMIT {{limit}}
