-- casebook render console-login-without-mfa (example parameters, 2024-03-01 to 2024-03-15)
-- Successful console sign-ins without MFA. By default only IAM users and the root user:
-- federated sign-ins (IAM Identity Center, SAML, web identity) do MFA at the identity
-- provider, and CloudTrail reports MFAUsed "No" for them.
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
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND lower(COALESCE(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'no')) <> 'yes'
  AND useridentity.type IN ('IAMUser', 'Root')
ORDER BY eventtime, eventid
