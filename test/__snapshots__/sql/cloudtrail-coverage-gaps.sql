-- casebook render cloudtrail-coverage-gaps (example parameters, 2024-03-01 to 2024-03-15)
-- CloudTrail coverage gaps: for each account, the expected regions with no CloudTrail
-- records in the window, or with records on fewer calendar days than the window spans.
-- A multi-region trail records AWS's own background calls in every enabled region, so
-- silence in a region usually means logging stopped, the trail does not cover it, or
-- its files are missing from the bucket.
WITH seen AS (
  SELECT
    recipientaccountid AS account_id,
    awsregion AS region,
    count(*) AS events,
    count(DISTINCT substr(eventtime, 1, 10)) AS days_with_events,
    min(eventtime) AS first_event,
    max(eventtime) AS last_event
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND recipientaccountid IS NOT NULL
    AND awsregion IS NOT NULL
  GROUP BY recipientaccountid, awsregion
),
expected_regions AS (
  SELECT DISTINCT region FROM seen
),
expected_accounts AS (
  SELECT DISTINCT account_id FROM seen
),
window_days AS (
  SELECT date_diff('day', CAST(from_iso8601_timestamp('2024-03-01T00:00:00Z') AS DATE), CAST(from_iso8601_timestamp('2024-03-15T00:00:00Z') - INTERVAL '1' SECOND AS DATE)) + 1 AS days_in_window
)
SELECT
  a.account_id,
  r.region,
  COALESCE(s.events, 0) AS events,
  COALESCE(s.days_with_events, 0) AS days_with_events,
  w.days_in_window,
  s.first_event,
  s.last_event,
  CASE WHEN s.events IS NULL THEN 'no records' ELSE 'records on some days only' END AS finding
FROM expected_accounts a
CROSS JOIN expected_regions r
CROSS JOIN window_days w
LEFT JOIN seen s ON s.account_id = a.account_id AND s.region = r.region
WHERE COALESCE(s.days_with_events, 0) < w.days_in_window
ORDER BY a.account_id, r.region
