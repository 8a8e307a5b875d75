-- casebook render assume-role-chains (example parameters, 2024-03-01 to 2024-03-15)
-- Role assumptions worth a look: role chaining (a role session assuming another role)
-- and cross-account AssumeRole (the role belongs to another account than the caller).
-- Both are how access moves sideways between roles and accounts.
WITH assumed AS (
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
    useridentity.sessioncontext.sessionissuer.arn AS caller_role,
    json_extract_scalar(requestparameters, '$.roleArn') AS role_arn,
    json_extract_scalar(requestparameters, '$.roleSessionName') AS role_session_name,
    useridentity.accountid AS caller_account,
    NULLIF(regexp_extract(json_extract_scalar(requestparameters, '$.roleArn'), '^arn:[^:]+:iam::([0-9]{12}):', 1), '') AS role_account,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'sts.amazonaws.com'
    AND eventname = 'AssumeRole'
),
graded AS (
  SELECT
    eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
    caller_role, role_arn, role_session_name, caller_account, role_account,
    COALESCE(principal_type = 'AssumedRole', false) AS chained,
    COALESCE(role_account <> caller_account, false)
      AS cross_account,
    eventid
  FROM assumed
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  caller_role, role_arn, role_session_name, caller_account, role_account, chained, cross_account, eventid
FROM graded
WHERE ('any' = 'any' AND (chained OR cross_account))
  OR ('any' = 'chained' AND chained)
  OR ('any' = 'cross_account' AND cross_account)
ORDER BY eventtime, eventid
LIMIT 1000
