-- casebook render root-account-activity (example parameters, 2024-03-01 to 2024-03-15)
-- Everything the root user of an account did: sign-ins (and failed sign-ins), API calls
-- and console actions. Root should almost never be used.
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
  useridentity.invokedby AS invoked_by,
  useridentity.sessioncontext.attributes.mfaauthenticated AS mfa_authenticated,
  readonly,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND useridentity.type = 'Root'
ORDER BY eventtime, eventid
LIMIT 1000
