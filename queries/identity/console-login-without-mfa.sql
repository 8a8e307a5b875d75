-- Successful console sign-ins without MFA. By default only IAM users and the root user:
-- federated sign-ins (IAM Identity Center, SAML, web identity) do MFA at the identity
-- provider, and CloudTrail reports MFAUsed "No" for them.
SELECT
  {{> event_columns}},
  useridentity.username AS user_name,
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'signin.amazonaws.com'
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND lower(COALESCE(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'no')) <> 'yes'
{{#unless include_federated}}
  AND useridentity.type IN ('IAMUser', 'Root')
{{/unless}}
ORDER BY eventtime, eventid
