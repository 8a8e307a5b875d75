-- S3 object deletions per principal and bucket, from S3 data events: DeleteObject calls
-- (one key each; with a versionId the version is destroyed for good) and DeleteObjects
-- calls (up to 1,000 keys each, which the log does not list).
WITH deletes AS (
  SELECT
    {{> actor}} AS principal,
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
  WHERE {{window "cloudtrail"}}
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('DeleteObject', 'DeleteObjects')
{{#if buckets}}
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ({{buckets}})
{{/if}}
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
HAVING count(*) >= {{min_calls}}
ORDER BY count(*) DESC, principal, recipientaccountid, bucket
LIMIT {{limit}}
