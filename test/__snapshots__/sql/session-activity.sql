-- casebook render session-activity (example parameters, 2024-03-01 to 2024-03-15)
-- Everything done with one set of temporary credentials: the call that issued them
-- (AssumeRole*, GetSessionToken, GetFederationToken) and every call made with them. The
-- session is named by its ARN, its session name or its temporary access key id (ASIA...).
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
    WHEN useridentity.arn = 'i-0a1b2c3d4e5f60718' OR useridentity.accesskeyid = 'i-0a1b2c3d4e5f60718'
      OR (useridentity.type IN ('AssumedRole', 'FederatedUser')
        AND (element_at(split(useridentity.arn, '/'), -1) = 'i-0a1b2c3d4e5f60718' OR useridentity.principalid LIKE '%:i-0a1b2c3d4e5f60718' ESCAPE '\'))
      THEN 'used'
    ELSE 'issued'
  END AS relation,
  COALESCE(useridentity.sessioncontext.sessionissuer.arn, json_extract_scalar(requestparameters, '$.roleArn')) AS session_issuer,
  COALESCE(json_extract_scalar(responseelements, '$.credentials.accessKeyId'), useridentity.accesskeyid) AS access_key_id,
  useridentity.sessioncontext.attributes.creationdate AS session_created,
  useridentity.sessioncontext.attributes.mfaauthenticated AS mfa_authenticated,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND (useridentity.arn = 'i-0a1b2c3d4e5f60718'
    OR useridentity.accesskeyid = 'i-0a1b2c3d4e5f60718'
    OR (useridentity.type IN ('AssumedRole', 'FederatedUser')
      AND (element_at(split(useridentity.arn, '/'), -1) = 'i-0a1b2c3d4e5f60718' OR useridentity.principalid LIKE '%:i-0a1b2c3d4e5f60718' ESCAPE '\'))
    OR (eventsource = 'sts.amazonaws.com'
      AND (json_extract_scalar(responseelements, '$.credentials.accessKeyId') = 'i-0a1b2c3d4e5f60718'
        OR json_extract_scalar(responseelements, '$.assumedRoleUser.arn') = 'i-0a1b2c3d4e5f60718'
        OR json_extract_scalar(responseelements, '$.federatedUser.arn') = 'i-0a1b2c3d4e5f60718'
        OR json_extract_scalar(requestparameters, '$.roleSessionName') = 'i-0a1b2c3d4e5f60718')))
ORDER BY eventtime, eventid
LIMIT 1000
