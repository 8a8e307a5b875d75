-- casebook render who-deleted (example parameters, 2024-03-01 to 2024-03-15)
-- Who deleted a resource: delete-style API calls (Delete*, Terminate*, Remove*,
-- Disable*, Deregister*, Detach*, ScheduleKeyDeletion, ...) whose request
-- parameters, response or resources name it. Failed attempts are kept: they are
-- evidence too, and a denied call often names its target only in its error message
-- (requestParameters null), so that is searched for calls that failed.
SELECT
  eventtime,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  useridentity.type AS principal_type,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode,
  recipientaccountid,
  awsregion,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND regexp_like(eventname, '^(Delete|Terminate|Remove|Disable|Deregister|Detach|Disassociate|Purge|Revoke|Release|ScheduleKeyDeletion|DeactivateMFADevice)')
  AND (requestparameters LIKE '%casebook-prod-audit-logs%' ESCAPE '\'
    OR responseelements LIKE '%casebook-prod-audit-logs%' ESCAPE '\'
    OR cardinality(filter(resources, r -> r.arn LIKE '%casebook-prod-audit-logs%' ESCAPE '\')) > 0
    OR (errorcode IS NOT NULL AND errormessage LIKE '%casebook-prod-audit-logs%' ESCAPE '\'))
ORDER BY eventtime, eventid
