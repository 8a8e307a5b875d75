-- casebook render mfa-deactivated (example parameters, 2024-03-01 to 2024-03-15)
-- MFA devices deactivated or deleted: whose, which device, by whom.
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
  COALESCE(json_extract_scalar(requestparameters, '$.userName'), useridentity.username, useridentity.type) AS user_name,
  json_extract_scalar(requestparameters, '$.serialNumber') AS serial_number,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN ('DeactivateMFADevice', 'DeleteVirtualMFADevice')
ORDER BY eventtime, eventid
