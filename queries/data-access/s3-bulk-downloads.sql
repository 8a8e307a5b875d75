-- S3 objects downloaded in bulk, per principal and bucket, from S3 data events: GetObject
-- calls, distinct objects read and bytes sent (additionalEventData.bytesTransferredOut).
WITH gets AS (
  SELECT
    {{> actor}} AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    json_extract_scalar(requestparameters, '$.key') AS object_key,
    eventtime,
    errorcode,
    sourceipaddress,
    CAST(try_cast(json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS double) AS bigint) AS bytes_out
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'GetObject'
{{#if buckets}}
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ({{buckets}})
{{/if}}
)
SELECT
  principal,
  max(principal_type) AS principal_type,
  recipientaccountid,
  bucket,
  count(*) AS get_requests,
  count(DISTINCT CASE WHEN errorcode IS NULL THEN object_key END) AS distinct_objects,
  COALESCE(sum(CASE WHEN errorcode IS NULL THEN bytes_out END), 0) AS bytes,
  count_if(errorcode IS NOT NULL) AS failed_requests,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  array_join(slice(array_sort(array_distinct(array_agg(sourceipaddress))), 1, 10), ', ') AS source_ips
FROM gets
GROUP BY principal, recipientaccountid, bucket
HAVING count(DISTINCT CASE WHEN errorcode IS NULL THEN object_key END) >= {{min_objects}}
ORDER BY distinct_objects DESC, bytes DESC, principal, recipientaccountid, bucket
LIMIT {{limit}}
