-- casebook render access-keys-created (example parameters, 2024-03-01 to 2024-03-15)
-- Access keys created: for which user, by whom, the new key id, and whether the caller
-- made a key for someone else (a common persistence step).
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
  COALESCE(json_extract_scalar(responseelements, '$.accessKey.userName'), json_extract_scalar(requestparameters, '$.userName'), useridentity.username, useridentity.type) AS key_user,
  json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS access_key_id,
  COALESCE(json_extract_scalar(requestparameters, '$.userName') <> COALESCE(useridentity.username, ''), false) AS for_other_user,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateAccessKey'
ORDER BY eventtime, eventid
