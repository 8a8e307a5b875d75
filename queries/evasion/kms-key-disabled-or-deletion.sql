-- KMS keys disabled or set to be destroyed: DisableKey, ScheduleKeyDeletion (with its
-- waiting period and deletion date) and DeleteImportedKeyMaterial. Data encrypted under a
-- destroyed key is lost for good; a disabled key stops every service that uses it.
SELECT
  {{> event_columns}},
  COALESCE(json_extract_scalar(responseelements, '$.keyId'),
           json_extract_scalar(requestparameters, '$.keyId'),
           element_at(filter(resources, r -> r.arn LIKE 'arn:%:kms:%:key/%'), 1).arn) AS key_id,
  try_cast(COALESCE(json_extract_scalar(responseelements, '$.pendingWindowInDays'),
                    json_extract_scalar(requestparameters, '$.pendingWindowInDays'),
                    CASE WHEN eventname = 'ScheduleKeyDeletion' AND errorcode IS NULL THEN '30' END) AS integer) AS pending_window_days,
  json_extract_scalar(responseelements, '$.deletionDate') AS deletion_date,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN ('DisableKey', 'ScheduleKeyDeletion', 'DeleteImportedKeyMaterial')
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
