-- casebook render dynamodb-config-changes (example parameters, 2024-03-01 to 2024-03-15)
-- DynamoDB tables deleted or changed in ways that matter for recovery and exposure:
-- DeleteTable, UpdateTable (deletion protection, streams, encryption), point-in-time
-- recovery switched (UpdateContinuousBackups), TTL switched (UpdateTimeToLive, which
-- deletes expired items), backups deleted, tables exported to S3, resource policies set or
-- deleted, Kinesis streaming turned off.
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
    COALESCE(json_extract_scalar(requestparameters, '$.tableName'),
             NULLIF(regexp_extract(COALESCE(json_extract_scalar(requestparameters, '$.tableArn'),
                                            json_extract_scalar(requestparameters, '$.resourceArn'),
                                            json_extract_scalar(requestparameters, '$.backupArn'), ''), ':table/([^/]+)', 1), '')) AS table_name,
    json_extract_scalar(requestparameters, '$.pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled') AS pitr,
    json_extract_scalar(requestparameters, '$.deletionProtectionEnabled') AS deletion_protection,
    CASE eventname
      WHEN 'UpdateContinuousBackups'
        THEN 'pointInTimeRecovery=' || json_extract_scalar(requestparameters, '$.pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled')
      WHEN 'UpdateTimeToLive'
        THEN concat_ws(' ', 'ttl=' || json_extract_scalar(requestparameters, '$.timeToLiveSpecification.enabled'),
                       'attribute=' || json_extract_scalar(requestparameters, '$.timeToLiveSpecification.attributeName'))
      WHEN 'UpdateTable'
        THEN NULLIF(concat_ws(' ',
               'deletionProtection=' || json_extract_scalar(requestparameters, '$.deletionProtectionEnabled'),
               'stream=' || json_extract_scalar(requestparameters, '$.streamSpecification.streamEnabled'),
               'sse=' || json_extract_scalar(requestparameters, '$.sSESpecification.enabled'),
               'billingMode=' || json_extract_scalar(requestparameters, '$.billingMode')), '')
      WHEN 'ExportTableToPointInTime'
        THEN concat_ws(' ', 's3Bucket=' || json_extract_scalar(requestparameters, '$.s3Bucket'),
                       's3BucketOwner=' || json_extract_scalar(requestparameters, '$.s3BucketOwner'))
      WHEN 'DeleteBackup' THEN 'backup=' || json_extract_scalar(requestparameters, '$.backupArn')
      WHEN 'DisableKinesisStreamingDestination' THEN 'stream=' || json_extract_scalar(requestparameters, '$.streamArn')
    END AS detail,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'dynamodb.amazonaws.com'
    AND eventname IN ('DeleteTable', 'UpdateTable', 'UpdateContinuousBackups', 'UpdateTimeToLive', 'DeleteBackup',
                      'ExportTableToPointInTime', 'PutResourcePolicy', 'DeleteResourcePolicy', 'DisableKinesisStreamingDestination')
),
judged AS (
  SELECT *,
    eventname IN ('DeleteTable', 'DeleteBackup')
      OR COALESCE(lower(pitr) = 'false', false)
      OR COALESCE(lower(deletion_protection) = 'false', false) AS reduces_recovery
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, table_name, detail, reduces_recovery, eventid
FROM judged
ORDER BY eventtime, eventid
LIMIT 1000
