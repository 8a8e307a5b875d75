-- CloudWatch Logs evidence destroyed or cut short: log groups and streams deleted,
-- subscription filters (log forwarding) and metric filters (alarm feeds) deleted, log
-- destinations deleted, and retention set below --min-retention-days.
SELECT
  {{> event_columns}},
  COALESCE(json_extract_scalar(requestparameters, '$.logGroupName'),
           json_extract_scalar(requestparameters, '$.logGroupIdentifier'),
           json_extract_scalar(requestparameters, '$.destinationName')) AS log_group,
  COALESCE(json_extract_scalar(requestparameters, '$.logStreamName'),
           json_extract_scalar(requestparameters, '$.filterName')) AS stream_or_filter,
  try_cast(json_extract_scalar(requestparameters, '$.retentionInDays') AS integer) AS retention_days,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'logs.amazonaws.com'
  AND (eventname IN ('DeleteLogGroup', 'DeleteLogStream', 'DeleteSubscriptionFilter', 'DeleteMetricFilter', 'DeleteDestination')
    OR (eventname = 'PutRetentionPolicy'
        AND try_cast(json_extract_scalar(requestparameters, '$.retentionInDays') AS integer) < {{min_retention_days}}))
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
