-- casebook render s3-public-access-block-changes (example parameters, 2024-03-01 to 2024-03-15)
-- S3 Block Public Access changed or removed, for a bucket or for the whole account (the
-- account-level calls go to S3 Control and are logged with eventsource s3.amazonaws.com).
-- The four settings are read from the request's PublicAccessBlockConfiguration; a change
-- is "weakened" when the configuration is deleted or any setting is false.
WITH changes AS (
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
    CASE WHEN eventname LIKE '%Account%' OR json_extract_scalar(requestparameters, '$.bucketName') IS NULL
      THEN 'account' ELSE 'bucket' END AS scope,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    lower(json_extract_scalar(requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicAcls')) = 'true' AS block_public_acls,
    lower(json_extract_scalar(requestparameters, '$.PublicAccessBlockConfiguration.IgnorePublicAcls')) = 'true' AS ignore_public_acls,
    lower(json_extract_scalar(requestparameters, '$.PublicAccessBlockConfiguration.BlockPublicPolicy')) = 'true' AS block_public_policy,
    lower(json_extract_scalar(requestparameters, '$.PublicAccessBlockConfiguration.RestrictPublicBuckets')) = 'true' AS restrict_public_buckets,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock', 'PutAccountPublicAccessBlock',
                      'DeleteAccountPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock')
),
judged AS (
  SELECT *,
    eventname LIKE 'Delete%'
      OR NOT COALESCE(block_public_acls, true) OR NOT COALESCE(ignore_public_acls, true)
      OR NOT COALESCE(block_public_policy, true) OR NOT COALESCE(restrict_public_buckets, true) AS weakened
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, scope, bucket,
  block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets, weakened,
  eventid
FROM judged
ORDER BY eventtime, eventid
LIMIT 1000
