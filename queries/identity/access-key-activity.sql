-- Everything done with one access key: every call signed with it, the call that created
-- it (CreateAccessKey, or the STS call that issued a temporary key) and the calls that
-- name it (UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, ...).
SELECT
  {{> event_columns}},
  CASE
    WHEN useridentity.accesskeyid = {{access_key}} THEN 'used'
    WHEN json_extract_scalar(responseelements, '$.accessKey.accessKeyId') = {{access_key}}
      OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') = {{access_key}} THEN 'created'
    ELSE 'named'
  END AS relation,
  COALESCE(json_extract_scalar(responseelements, '$.accessKey.userName'), json_extract_scalar(requestparameters, '$.userName'), useridentity.username) AS key_user,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (useridentity.accesskeyid = {{access_key}}
    OR json_extract_scalar(responseelements, '$.accessKey.accessKeyId') = {{access_key}}
    OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') = {{access_key}}
    OR json_extract_scalar(requestparameters, '$.accessKeyId') = {{access_key}})
ORDER BY eventtime, eventid
LIMIT {{limit}}
