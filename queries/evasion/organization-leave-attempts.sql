-- Accounts leaving, or being removed from, the AWS Organization: outside the organization
-- its service control policies, delegated security services and organization trail no
-- longer apply.
SELECT
  {{> event_columns}},
  CASE WHEN eventname = 'LeaveOrganization' THEN recipientaccountid
       ELSE json_extract_scalar(requestparameters, '$.accountId') END AS leaving_account,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'organizations.amazonaws.com'
  AND eventname IN ('LeaveOrganization', 'RemoveAccountFromOrganization')
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
