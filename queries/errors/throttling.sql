-- API calls refused for exceeding a rate limit, by principal and API: how many, the
-- busiest minute, and when. Bursts of throttling point at runaway automation, or at
-- enumeration faster than the service allows.
WITH per_minute AS (
  SELECT
    {{> actor}} AS principal,
    eventsource,
    eventname,
    substr(eventtime, 1, 16) AS minute,
    count(*) AS calls,
    array_agg(DISTINCT errorcode) AS error_codes,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND {{> errors_throttling}}
  GROUP BY {{> actor}}, eventsource, eventname, substr(eventtime, 1, 16)
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
HAVING sum(calls) >= {{min_count}}
ORDER BY throttled_calls DESC, principal, eventsource, eventname
LIMIT {{limit}}
