-- casebook render s3-bulk-downloads (example parameters, 2024-03-01 to 2024-03-15)
-- S3 objects downloaded in bulk, per principal and bucket, from S3 data events: GetObject
-- calls, distinct objects read and bytes sent (additionalEventData.bytesTransferredOut).
WITH gets AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    json_extract_scalar(requestparameters, '$.key') AS object_key,
    eventtime,
    errorcode,
    sourceipaddress,
    CAST(try_cast(json_extract_scalar(additionaleventdata, '$.bytesTransferredOut') AS double) AS bigint) AS bytes_out
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 's3.amazonaws.com'
    AND eventname = 'GetObject'
    AND json_extract_scalar(requestparameters, '$.bucketName') IN ('casebook-prod-data')
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
HAVING count(DISTINCT CASE WHEN errorcode IS NULL THEN object_key END) >= 100
ORDER BY distinct_objects DESC, bytes DESC, principal, recipientaccountid, bucket
LIMIT 100
