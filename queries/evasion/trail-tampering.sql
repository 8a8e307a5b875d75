-- Audit-log tampering: CloudTrail trails stopped, deleted, redirected or narrowed, event
-- data stores deleted or stopped, VPC flow logs deleted, Route 53 Resolver query logging
-- removed. The target is read from the request: the trail name or ARN, the event data
-- store, the flow-log ids or the query-log configuration.
SELECT
  {{> event_columns}},
  CASE
    WHEN eventname = 'DeleteFlowLogs' THEN NULLIF(array_join(array_sort(array_distinct(
      CASE
        WHEN regexp_like(requestparameters, '"content"\s*:\s*"')
          THEN regexp_extract_all(requestparameters, '"content"\s*:\s*"([^"]*)"', 1)
        ELSE regexp_extract_all(requestparameters, 'fl-[0-9a-zA-Z]+')
      END)), ', '), '')
    ELSE COALESCE(
      json_extract_scalar(requestparameters, '$.name'),
      json_extract_scalar(requestparameters, '$.trailName'),
      json_extract_scalar(requestparameters, '$.eventDataStore'),
      json_extract_scalar(requestparameters, '$.resolverQueryLogConfigId'))
  END AS target,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND ((eventsource = 'cloudtrail.amazonaws.com'
        AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors',
                          'DeleteEventDataStore', 'StopEventDataStoreIngestion', 'UpdateEventDataStore'))
    OR (eventsource = 'ec2.amazonaws.com' AND eventname = 'DeleteFlowLogs')
    OR (eventsource = 'route53resolver.amazonaws.com'
        AND eventname IN ('DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig')))
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
