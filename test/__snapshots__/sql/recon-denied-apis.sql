-- casebook render recon-denied-apis (example parameters, 2024-03-01 to 2024-03-15)
-- One principal denied many different APIs in a short period: the pattern of a stolen
-- credential being tried against everything to learn what it may do. Denied calls are
-- counted in fixed periods laid twice, the second layer shifted by half a period, so a
-- burst shorter than half a period always falls whole into one of them; each principal
-- is listed once, with its busiest period.
WITH denied AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    useridentity.type AS principal_type,
    eventsource,
    eventname,
    sourceipaddress,
    eventtime,
    to_unixtime(from_iso8601_timestamp(eventtime)) AS t
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND (errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_like(errorcode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)'))
),
periods AS (
  SELECT
    principal,
    principal_type,
    layer,
    floor((t - layer * 3600 / 2.0) / 3600) AS period_index,
    count(*) AS denied_calls,
    count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
    count(DISTINCT eventsource) AS distinct_services,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 15), ', ') AS sample_actions,
    array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, 15), ', ') AS source_ips
  FROM denied
  CROSS JOIN (VALUES (0), (1)) AS layers (layer)
  GROUP BY principal, principal_type, layer, floor((t - layer * 3600 / 2.0) / 3600)
  HAVING count(DISTINCT eventsource || ':' || eventname) >= 10
    AND count(DISTINCT eventsource) >= 1
),
ranked AS (
  SELECT
    principal, principal_type, distinct_actions, distinct_services, denied_calls, first_seen, last_seen, sample_actions, source_ips,
    row_number() OVER (PARTITION BY principal, principal_type
      ORDER BY distinct_actions DESC, denied_calls DESC, first_seen, layer) AS rn
  FROM periods
)
SELECT
  principal,
  principal_type,
  distinct_actions,
  distinct_services,
  denied_calls,
  first_seen,
  last_seen,
  sample_actions,
  source_ips
FROM ranked
WHERE rn = 1
ORDER BY distinct_actions DESC, denied_calls DESC, principal, principal_type
LIMIT 100
