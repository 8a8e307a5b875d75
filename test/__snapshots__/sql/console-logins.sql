-- casebook render console-logins (example parameters, 2024-03-01 to 2024-03-15)
-- AWS console sign-ins: who signed in, from where, with what result, and whether MFA was
-- used. Failed sign-ins of a mistyped user name show user_name HIDDEN_DUE_TO_SECURITY_REASONS.
WITH logins AS (
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
    useridentity.username AS user_name,
    COALESCE(json_extract_scalar(responseelements, '$.ConsoleLogin'),
      CASE WHEN errormessage IS NOT NULL OR errorcode IS NOT NULL THEN 'Failure' END) AS login_result,
    json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
    errormessage,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  user_name, login_result, mfa_used, errormessage, eventid
FROM logins
WHERE ('any' = 'any' OR lower(login_result) = 'any')
ORDER BY eventtime, eventid
LIMIT 1000
