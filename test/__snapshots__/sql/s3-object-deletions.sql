-- casebook render s3-object-deletions (example parameters, 2024-03-01 to 2024-03-15)
-- S3 object deletions per principal and bucket, from S3 data events: DeleteObject calls
-- (one key each; with a versionId the version is destroyed for good) and DeleteObjects
-- calls (up to 1,000 keys each, which the log does not list).
WITH deletes AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    eventname,
    eventtime,
    errorcode,
    sourceipaddress,
    json_extract_scalar(requestparameters, '$.key') AS object_key,
    json_extract_scalar(requestparameters, '$.versionId') AS version_id
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('DeleteObject', 'DeleteObjects')
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ('casebook-prod-data')
)
SELECT
  principal,
  max(principal_type) AS principal_type,
  recipientaccountid,
  bucket,
  count_if(eventname = 'DeleteObject') AS delete_object_calls,
  count_if(eventname = 'DeleteObjects') AS batch_delete_calls,
  count(DISTINCT object_key) AS distinct_keys,
  count_if(eventname = 'DeleteObject' AND version_id IS NOT NULL) AS version_deletes,
  count_if(errorcode IS NOT NULL) AS failed_calls,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  array_join(slice(array_sort(array_distinct(array_agg(sourceipaddress))), 1, 10), ', ') AS source_ips,
  NULLIF(array_join(slice(array_sort(array_distinct(filter(array_agg(object_key), k -> k IS NOT NULL))), 1, 5), ', '), '') AS sample_keys
FROM deletes
GROUP BY principal, recipientaccountid, bucket
HAVING count(*) >= 1
ORDER BY count(*) DESC, principal, recipientaccountid, bucket
LIMIT 100
