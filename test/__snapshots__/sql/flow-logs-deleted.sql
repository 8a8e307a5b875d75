-- casebook render flow-logs-deleted (example parameters, 2024-03-01 to 2024-03-15)
-- VPC flow logs deleted: one row per DeleteFlowLogs call, with the flow-log ids asked for
-- and those the response reports as not deleted. EC2 logs the ids as
-- {"DeleteFlowLogsRequest":{"FlowLogId":{"content":"fl-...","tag":1}}}, or a list of such
-- items when several are deleted at once.
WITH calls AS (
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
    array_sort(array_distinct(
      CASE
        WHEN regexp_like(requestparameters, '"content"\s*:\s*"')
          THEN regexp_extract_all(requestparameters, '"content"\s*:\s*"([^"]*)"', 1)
        ELSE regexp_extract_all(requestparameters, 'fl-[0-9a-zA-Z]+')
      END)) AS ids,
    array_sort(array_distinct(regexp_extract_all(responseelements, '"resourceId"\s*:\s*"([^"]*)"', 1))) AS failed_ids,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'DeleteFlowLogs'
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion,
  NULLIF(array_join(ids, ', '), '') AS flow_log_ids,
  NULLIF(array_join(failed_ids, ', '), '') AS not_deleted,
  eventid
FROM calls
ORDER BY eventtime, eventid
LIMIT 1000
