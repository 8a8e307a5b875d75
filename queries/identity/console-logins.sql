-- AWS console sign-ins: who signed in, from where, with what result, and whether MFA was
-- used. Failed sign-ins of a mistyped user name show user_name HIDDEN_DUE_TO_SECURITY_REASONS.
WITH logins AS (
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
    useridentity.username AS user_name,
    COALESCE(json_extract_scalar(responseelements, '$.ConsoleLogin'),
      CASE WHEN errormessage IS NOT NULL OR errorcode IS NOT NULL THEN 'Failure' END) AS login_result,
    json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
    errormessage,
    eventid
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  user_name, login_result, mfa_used, errormessage, eventid
FROM logins
WHERE ({{outcome}} = 'any' OR lower(login_result) = {{outcome}})
ORDER BY eventtime, eventid
LIMIT {{limit}}
