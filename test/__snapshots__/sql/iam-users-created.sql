-- casebook render iam-users-created (example parameters, 2024-03-01 to 2024-03-15)
-- IAM users created: who created which user, from where, and whether it succeeded.
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
  COALESCE(json_extract_scalar(responseelements, '$.user.userName'), json_extract_scalar(requestparameters, '$.userName')) AS user_name,
  json_extract_scalar(responseelements, '$.user.arn') AS user_arn,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateUser'
ORDER BY eventtime, eventid
