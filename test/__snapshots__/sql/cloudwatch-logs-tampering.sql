-- casebook render cloudwatch-logs-tampering (example parameters, 2024-03-01 to 2024-03-15)
-- CloudWatch Logs evidence destroyed or cut short: log groups and streams deleted,
-- subscription filters (log forwarding) and metric filters (alarm feeds) deleted, log
-- destinations deleted, and retention set below --min-retention-days.
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
  COALESCE(json_extract_scalar(requestparameters, '$.logGroupName'),
           json_extract_scalar(requestparameters, '$.logGroupIdentifier'),
           json_extract_scalar(requestparameters, '$.destinationName')) AS log_group,
  COALESCE(json_extract_scalar(requestparameters, '$.logStreamName'),
           json_extract_scalar(requestparameters, '$.filterName')) AS stream_or_filter,
  try_cast(json_extract_scalar(requestparameters, '$.retentionInDays') AS integer) AS retention_days,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'logs.amazonaws.com'
  AND (eventname IN ('DeleteLogGroup', 'DeleteLogStream', 'DeleteSubscriptionFilter', 'DeleteMetricFilter', 'DeleteDestination')
    OR (eventname = 'PutRetentionPolicy'
        AND try_cast(json_extract_scalar(requestparameters, '$.retentionInDays') AS integer) < 90))
ORDER BY eventtime, eventid
LIMIT 1000
