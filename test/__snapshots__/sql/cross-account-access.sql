-- casebook render cross-account-access (example parameters, 2024-03-01 to 2024-03-15)
-- Calls made into an account by principals of another account (userIdentity.accountId
-- differs from recipientAccountId), grouped by calling account and principal: who from
-- outside is using this account, how much, and what they did.
SELECT
  useridentity.accountid AS caller_account,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  useridentity.type AS principal_type,
  recipientaccountid,
  count(*) AS calls,
  count_if(COALESCE((errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_like(errorcode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)')), false)) AS denied_calls,
  count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, 10), ', ') AS source_ips,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND regexp_like(useridentity.accountid, '^[0-9]{12}$')
  AND useridentity.accountid <> recipientaccountid
GROUP BY useridentity.accountid, COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type), useridentity.type, recipientaccountid
ORDER BY calls DESC, caller_account, principal, principal_type, recipientaccountid
LIMIT 100
