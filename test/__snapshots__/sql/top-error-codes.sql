-- casebook render top-error-codes (example parameters, 2024-03-01 to 2024-03-15)
-- The most frequent failed calls: error code by principal and API, with whether the
-- code is an authorization failure, a throttle or something else.
SELECT
  errorcode,
  CASE
    WHEN (errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_like(errorcode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)')) THEN 'authorization'
    WHEN (errorcode IN ('ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'Client.RequestLimitExceeded',
    'TooManyRequestsException', 'TooManyRequests', 'SlowDown', 'RequestThrottled', 'RequestThrottledException',
    'ProvisionedThroughputExceededException', 'EC2ThrottledException', 'PriorRequestNotComplete', 'BandwidthLimitExceeded')
  OR regexp_like(errorcode, '(?i)(throttl|toomanyrequests|requestlimitexceeded|rateexceeded|slowdown)')) THEN 'throttling'
    ELSE 'other'
  END AS error_class,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  eventsource,
  eventname,
  count(*) AS errors,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  substr(min(errormessage), 1, 300) AS sample_error_message
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND errorcode IS NOT NULL
  AND errorcode <> ''
GROUP BY errorcode, COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type), eventsource, eventname
HAVING count(*) >= 1
ORDER BY errors DESC, errorcode, principal, eventsource, eventname
LIMIT 50
