-- casebook render kms-key-disabled-or-deletion (example parameters, 2024-03-01 to 2024-03-15)
-- KMS keys disabled or set to be destroyed: DisableKey, ScheduleKeyDeletion (with its
-- waiting period and deletion date) and DeleteImportedKeyMaterial. Data encrypted under a
-- destroyed key is lost for good; a disabled key stops every service that uses it.
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
  COALESCE(json_extract_scalar(responseelements, '$.keyId'),
           json_extract_scalar(requestparameters, '$.keyId'),
           element_at(filter(resources, r -> r.arn LIKE 'arn:%:kms:%:key/%'), 1).arn) AS key_id,
  try_cast(COALESCE(json_extract_scalar(responseelements, '$.pendingWindowInDays'),
                    json_extract_scalar(requestparameters, '$.pendingWindowInDays'),
                    CASE WHEN eventname = 'ScheduleKeyDeletion' AND errorcode IS NULL THEN '30' END) AS integer) AS pending_window_days,
  json_extract_scalar(responseelements, '$.deletionDate') AS deletion_date,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN ('DisableKey', 'ScheduleKeyDeletion', 'DeleteImportedKeyMaterial')
ORDER BY eventtime, eventid
LIMIT 1000
