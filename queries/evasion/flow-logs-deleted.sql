-- VPC flow logs deleted: one row per DeleteFlowLogs call, with the flow-log ids asked for
-- and those the response reports as not deleted. EC2 logs the ids as
-- {"DeleteFlowLogsRequest":{"FlowLogId":{"content":"fl-...","tag":1}}}, or a list of such
-- items when several are deleted at once.
WITH calls AS (
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
    array_sort(array_distinct(
      CASE
        WHEN regexp_like(requestparameters, '"content"\s*:\s*"')
          THEN regexp_extract_all(requestparameters, '"content"\s*:\s*"([^"]*)"', 1)
        ELSE regexp_extract_all(requestparameters, 'fl-[0-9a-zA-Z]+')
      END)) AS ids,
    array_sort(array_distinct(regexp_extract_all(responseelements, '"resourceId"\s*:\s*"([^"]*)"', 1))) AS failed_ids,
    eventid
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'DeleteFlowLogs'
{{#unless include_failed}}
    AND errorcode IS NULL
{{/unless}}
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion,
  NULLIF(array_join(ids, ', '), '') AS flow_log_ids,
  NULLIF(array_join(failed_ids, ', '), '') AS not_deleted,
  eventid
FROM calls
{{#if flow_log_ids}}
WHERE cardinality(filter(ids, i -> i IN ({{flow_log_ids}}))) > 0
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
