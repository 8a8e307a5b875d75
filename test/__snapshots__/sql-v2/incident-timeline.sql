-- casebook render incident-timeline (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Incident timeline: one merged, time-ordered view of the window - CloudTrail calls that
-- changed something or failed (management events made with credentials, by default), sources with many rejected flows, and large accepted
-- transfers - optionally narrowed to some addresses (--ips) and/or one principal
-- (--principal; its flows are those from or to the addresses it called AWS from).
WITH
api AS (
  SELECT
    from_iso8601_timestamp(eventtime) AS time,
    from_iso8601_timestamp(eventtime) AS end_time,
    'cloudtrail' AS source,
    CASE WHEN errorcode IS NOT NULL THEN 'api-error' ELSE 'api-change' END AS kind,
    recipientaccountid AS account_id,
    awsregion AS region,
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    eventname AS action,
    errorcode,
    sourceipaddress AS srcaddr,
    CAST(NULL AS VARCHAR) AS dstaddr,
    CAST(NULL AS INTEGER) AS dstport,
    CAST(NULL AS BIGINT) AS flows,
    CAST(NULL AS BIGINT) AS bytes,
    eventsource AS detail,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND (errorcode IS NOT NULL
      OR readonly = 'false'
      OR (readonly IS NULL AND NOT regexp_like(eventname, '^(Get|List|Describe|Head|Lookup|Search|Scan|Query|Select|BatchGet|Check|Validate|Preview|Estimate|Test)')))
    AND coalesce(eventcategory, 'Management') <> 'Data'
    AND useridentity.invokedby IS NULL
    AND coalesce(useridentity.type, '') <> 'AWSService'
),
flows AS (
  SELECT account_id, region, srcaddr, dstaddr, dstport, action, bytes, start, "end"
  FROM vpc_flow_logs
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
    AND log_status = 'OK'
),
rejected AS (
  SELECT
    from_unixtime(min(start)) AS time,
    from_unixtime(max("end")) AS end_time,
    'vpc_flow_logs' AS source,
    'rejected-flows' AS kind,
    account_id,
    region,
    CAST(NULL AS VARCHAR) AS principal,
    'REJECT' AS action,
    CAST(NULL AS VARCHAR) AS errorcode,
    srcaddr,
    dstaddr,
    CASE WHEN count(DISTINCT dstport) = 1 THEN min(dstport) END AS dstport,
    count(*) AS flows,
    sum(bytes) AS bytes,
    CAST(count(DISTINCT dstport) AS VARCHAR) || ' distinct ports, ' || CAST(min(dstport) AS VARCHAR) || '-' || CAST(max(dstport) AS VARCHAR) AS detail,
    CAST(NULL AS VARCHAR) AS eventid
  FROM flows
  WHERE action = 'REJECT'
  GROUP BY account_id, region, srcaddr, dstaddr
  HAVING count(*) >= 10
),
large AS (
  SELECT
    from_unixtime(min(start)) AS time,
    from_unixtime(max("end")) AS end_time,
    'vpc_flow_logs' AS source,
    'large-transfer' AS kind,
    account_id,
    region,
    CAST(NULL AS VARCHAR) AS principal,
    'ACCEPT' AS action,
    CAST(NULL AS VARCHAR) AS errorcode,
    srcaddr,
    dstaddr,
    dstport,
    count(*) AS flows,
    sum(bytes) AS bytes,
    CAST(NULL AS VARCHAR) AS detail,
    CAST(NULL AS VARCHAR) AS eventid
  FROM flows
  WHERE action = 'ACCEPT'
  GROUP BY account_id, region, srcaddr, dstaddr, dstport
  HAVING sum(bytes) >= 1073741824
)
SELECT * FROM (
  SELECT * FROM api
  UNION ALL
  SELECT * FROM rejected
  UNION ALL
  SELECT * FROM large
) AS timeline
ORDER BY time, source, kind, eventid, account_id, region, srcaddr, dstaddr, dstport
LIMIT 1000
