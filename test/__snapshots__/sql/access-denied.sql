-- casebook render access-denied (example parameters, 2024-03-01 to 2024-03-15)
-- Authorization failures grouped by principal: how many calls were denied, how many
-- different actions, with which error codes, from where, and when.
SELECT
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  useridentity.type AS principal_type,
  count(*) AS denied_calls,
  count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
  array_join(array_sort(array_agg(DISTINCT errorcode)), ', ') AS error_codes,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, 10), ', ') AS source_ips,
  array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND (errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_like(errorcode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)'))
GROUP BY COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type), useridentity.type
HAVING count(*) >= 1
ORDER BY denied_calls DESC, principal, principal_type
LIMIT 100
