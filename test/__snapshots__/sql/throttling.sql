-- casebook render throttling (example parameters, 2024-03-01 to 2024-03-15)
-- API calls refused for exceeding a rate limit, by principal and API: how many, the
-- busiest minute, and when. Bursts of throttling point at runaway automation, or at
-- enumeration faster than the service allows.
WITH per_minute AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    eventsource,
    eventname,
    substr(eventtime, 1, 16) AS minute,
    count(*) AS calls,
    array_agg(DISTINCT errorcode) AS error_codes,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND (errorcode IN ('ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'Client.RequestLimitExceeded',
    'TooManyRequestsException', 'TooManyRequests', 'SlowDown', 'RequestThrottled', 'RequestThrottledException',
    'ProvisionedThroughputExceededException', 'EC2ThrottledException', 'PriorRequestNotComplete', 'BandwidthLimitExceeded')
  OR regexp_like(errorcode, '(?i)(throttl|toomanyrequests|requestlimitexceeded|rateexceeded|slowdown)'))
  GROUP BY COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type), eventsource, eventname, substr(eventtime, 1, 16)
)
SELECT
  principal,
  eventsource,
  eventname,
  sum(calls) AS throttled_calls,
  max(calls) AS peak_per_minute,
  array_join(array_sort(array_distinct(flatten(array_agg(error_codes)))), ', ') AS error_codes,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen
FROM per_minute
GROUP BY principal, eventsource, eventname
HAVING sum(calls) >= 1
ORDER BY throttled_calls DESC, principal, eventsource, eventname
LIMIT 100
