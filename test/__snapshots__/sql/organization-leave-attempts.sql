-- casebook render organization-leave-attempts (example parameters, 2024-03-01 to 2024-03-15)
-- Accounts leaving, or being removed from, the AWS Organization: outside the organization
-- its service control policies, delegated security services and organization trail no
-- longer apply.
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
  CASE WHEN eventname = 'LeaveOrganization' THEN recipientaccountid
       ELSE json_extract_scalar(requestparameters, '$.accountId') END AS leaving_account,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'organizations.amazonaws.com'
  AND eventname IN ('LeaveOrganization', 'RemoveAccountFromOrganization')
ORDER BY eventtime, eventid
LIMIT 1000
