-- S3 bucket policies set or deleted. For PutBucketPolicy the policy is read from the
-- request: each statement is cut out of the JSON text with a balanced-brace pattern (four
-- levels deep: statement > Condition > operator > key), and its Allow statements are
-- checked for a wildcard principal ("*" or {"AWS": "*"}) without a Condition, and for
-- principals in other accounts (account ids in the Principal block other than the
-- bucket owner's account).
WITH changes AS (
  SELECT
    eventtime,
    {{> actor}} AS principal,
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
  WHERE {{window "cloudtrail"}}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutBucketPolicy', 'DeleteBucketPolicy')
{{#if buckets}}
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ({{buckets}})
{{/if}}
{{#unless include_failed}}
    AND errorcode IS NULL
{{/unless}}
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
{{#if exposing_only}}
WHERE allows_anyone OR cardinality(accounts) > 0
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
