-- casebook render access-key-activity (example parameters, 2024-03-01 to 2024-03-15)
-- Everything done with one access key: every call signed with it, the call that created
-- it (CreateAccessKey, or the STS call that issued a temporary key) and the calls that
-- name it (UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, ...).
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
  CASE
    WHEN useridentity.accesskeyid = 'AKIAMALLORYEXAMPLE01' THEN 'used'
    WHEN json_extract_scalar(responseelements, '$.accessKey.accessKeyId') = 'AKIAMALLORYEXAMPLE01'
      OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') = 'AKIAMALLORYEXAMPLE01' THEN 'created'
    ELSE 'named'
  END AS relation,
  COALESCE(json_extract_scalar(responseelements, '$.accessKey.userName'), json_extract_scalar(requestparameters, '$.userName'), useridentity.username) AS key_user,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND (useridentity.accesskeyid = 'AKIAMALLORYEXAMPLE01'
    OR json_extract_scalar(responseelements, '$.accessKey.accessKeyId') = 'AKIAMALLORYEXAMPLE01'
    OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') = 'AKIAMALLORYEXAMPLE01'
    OR json_extract_scalar(requestparameters, '$.accessKeyId') = 'AKIAMALLORYEXAMPLE01')
ORDER BY eventtime, eventid
LIMIT 1000
