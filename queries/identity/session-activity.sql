-- Everything done with one set of temporary credentials: the call that issued them
-- (AssumeRole*, GetSessionToken, GetFederationToken) and every call made with them. The
-- session is named by its ARN, its session name or its temporary access key id (ASIA...).
SELECT
  {{> event_columns}},
  CASE
    WHEN useridentity.arn = {{session}} OR useridentity.accesskeyid = {{session}}
      OR (useridentity.type IN ('AssumedRole', 'FederatedUser')
        AND (element_at(split(useridentity.arn, '/'), -1) = {{session}} OR useridentity.principalid LIKE {{like_suffix session ":"}}))
      THEN 'used'
    ELSE 'issued'
  END AS relation,
  COALESCE(useridentity.sessioncontext.sessionissuer.arn, json_extract_scalar(requestparameters, '$.roleArn')) AS session_issuer,
  COALESCE(json_extract_scalar(responseelements, '$.credentials.accessKeyId'), useridentity.accesskeyid) AS access_key_id,
  useridentity.sessioncontext.attributes.creationdate AS session_created,
  useridentity.sessioncontext.attributes.mfaauthenticated AS mfa_authenticated,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (useridentity.arn = {{session}}
    OR useridentity.accesskeyid = {{session}}
    OR (useridentity.type IN ('AssumedRole', 'FederatedUser')
      AND (element_at(split(useridentity.arn, '/'), -1) = {{session}} OR useridentity.principalid LIKE {{like_suffix session ":"}}))
    OR (eventsource = 'sts.amazonaws.com'
      AND (json_extract_scalar(responseelements, '$.credentials.accessKeyId') = {{session}}
        OR json_extract_scalar(responseelements, '$.assumedRoleUser.arn') = {{session}}
        OR json_extract_scalar(responseelements, '$.federatedUser.arn') = {{session}}
        OR json_extract_scalar(requestparameters, '$.roleSessionName') = {{session}})))
ORDER BY eventtime, eventid
LIMIT {{limit}}
