-- Access keys created: for which user, by whom, the new key id, and whether the caller
-- made a key for someone else (a common persistence step).
SELECT
  {{> event_columns}},
  COALESCE(json_extract_scalar(responseelements, '$.accessKey.userName'), json_extract_scalar(requestparameters, '$.userName'), useridentity.username, useridentity.type) AS key_user,
  json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS access_key_id,
  COALESCE(json_extract_scalar(requestparameters, '$.userName') <> COALESCE(useridentity.username, ''), false) AS for_other_user,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateAccessKey'
{{#if successful_only}}
  AND (errorcode IS NULL OR errorcode = '')
{{/if}}
ORDER BY eventtime, eventid
