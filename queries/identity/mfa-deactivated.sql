-- MFA devices deactivated or deleted: whose, which device, by whom.
SELECT
  {{> event_columns}},
  COALESCE(json_extract_scalar(requestparameters, '$.userName'), useridentity.username, useridentity.type) AS user_name,
  json_extract_scalar(requestparameters, '$.serialNumber') AS serial_number,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN ('DeactivateMFADevice', 'DeleteVirtualMFADevice')
{{#if successful_only}}
  AND (errorcode IS NULL OR errorcode = '')
{{/if}}
ORDER BY eventtime, eventid
