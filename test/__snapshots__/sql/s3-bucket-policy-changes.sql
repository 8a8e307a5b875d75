-- casebook render s3-bucket-policy-changes (example parameters, 2024-03-01 to 2024-03-15)
-- S3 bucket policies set or deleted. For PutBucketPolicy the policy is read from the
-- request: each statement is cut out of the JSON text with a balanced-brace pattern (four
-- levels deep: statement > Condition > operator > key), and its Allow statements are
-- checked for a wildcard principal ("*" or {"AWS": "*"}) without a Condition, and for
-- principals in other accounts (account ids in the Principal block other than the
-- bucket owner's account).
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
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    json_format(json_extract(requestparameters, '$.bucketPolicy')) AS policy,
    filter(
      regexp_extract_all(json_format(json_extract(requestparameters, '$.bucketPolicy.Statement')),
                         '\{(?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*\}'),
      s -> regexp_like(s, '"Effect"\s*:\s*"Allow"')) AS allow_statements,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutBucketPolicy', 'DeleteBucketPolicy')
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ('casebook-prod-audit-logs')
),
judged AS (
  SELECT *,
    cardinality(filter(allow_statements, s ->
      regexp_like(s, '"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*("\*"|\[[^\]]*"\*")[^{}]*\})')
      AND NOT regexp_like(s, '"Condition"\s*:'))) > 0 AS allows_anyone,
    array_sort(array_distinct(filter(
      flatten(transform(allow_statements, s ->
        regexp_extract_all(COALESCE(regexp_extract(s, '"Principal"\s*:\s*("[^"]*"|\{[^{}]*\})', 1), ''), '[0-9]{12}'))),
      a -> a <> recipientaccountid))) AS accounts
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, bucket,
  COALESCE(allows_anyone, false) AS allows_anyone,
  NULLIF(array_join(accounts, ', '), '') AS other_accounts,
  policy,
  eventid
FROM judged
ORDER BY eventtime, eventid
LIMIT 1000
