-- The most frequent failed calls: error code by principal and API, with whether the
-- code is an authorization failure, a throttle or something else.
SELECT
  errorcode,
  CASE
    WHEN {{> authorization_failure}} THEN 'authorization'
    WHEN {{> errors_throttling}} THEN 'throttling'
    ELSE 'other'
  END AS error_class,
  {{> actor}} AS principal,
  eventsource,
  eventname,
  count(*) AS errors,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  substr(min(errormessage), 1, 300) AS sample_error_message
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND errorcode IS NOT NULL
  AND errorcode <> ''
GROUP BY errorcode, {{> actor}}, eventsource, eventname
HAVING count(*) >= {{min_count}}
ORDER BY errors DESC, errorcode, principal, eventsource, eventname
LIMIT {{limit}}
