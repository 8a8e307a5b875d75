-- Role assumptions worth a look: role chaining (a role session assuming another role)
-- and cross-account AssumeRole (the role belongs to another account than the caller).
-- Both are how access moves sideways between roles and accounts.
WITH assumed AS (
  SELECT
    eventtime,
    {{> actor}} AS principal,
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
  WHERE {{window "cloudtrail"}}
    AND eventsource = 'sts.amazonaws.com'
    AND eventname = 'AssumeRole'
),
graded AS (
  SELECT
    eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
    caller_role, role_arn, role_session_name, caller_account, role_account,
    COALESCE(principal_type = 'AssumedRole', false) AS chained,
    COALESCE(role_account <> caller_account, false)
{{#if trusted_accounts}}
      AND COALESCE(caller_account NOT IN ({{trusted_accounts}}), true)
{{/if}}
      AS cross_account,
    eventid
  FROM assumed
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  caller_role, role_arn, role_session_name, caller_account, role_account, chained, cross_account, eventid
FROM graded
WHERE ({{kind}} = 'any' AND (chained OR cross_account))
  OR ({{kind}} = 'chained' AND chained)
  OR ({{kind}} = 'cross_account' AND cross_account)
ORDER BY eventtime, eventid
LIMIT {{limit}}
