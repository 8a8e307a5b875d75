-- Incident timeline: one merged, time-ordered view of the window - CloudTrail calls that
-- changed something or failed (management events made with credentials, by default), sources with many rejected flows, and large accepted
-- transfers - optionally narrowed to some addresses (--ips) and/or one principal
-- (--principal; its flows are those from or to the addresses it called AWS from).
WITH
{{#if principal}}
principal_addresses AS (
  SELECT DISTINCT sourceipaddress AS ip
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND ({{> actor}} LIKE {{like_contains principal}} OR useridentity.accesskeyid = {{principal}})
),
{{/if}}
api AS (
  SELECT
    from_iso8601_timestamp(eventtime) AS time,
    from_iso8601_timestamp(eventtime) AS end_time,
    'cloudtrail' AS source,
    CASE WHEN errorcode IS NOT NULL THEN 'api-error' ELSE 'api-change' END AS kind,
    recipientaccountid AS account_id,
    awsregion AS region,
    {{> actor}} AS principal,
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
  WHERE {{window "cloudtrail"}}
    AND (errorcode IS NOT NULL
      OR readonly = 'false'
      OR (readonly IS NULL AND NOT regexp_like(eventname, '^(Get|List|Describe|Head|Lookup|Search|Scan|Query|Select|BatchGet|Check|Validate|Preview|Estimate|Test)')))
{{#unless include_data_events}}
    AND coalesce(eventcategory, 'Management') <> 'Data'
{{/unless}}
{{#unless include_service_calls}}
    AND useridentity.invokedby IS NULL
    AND coalesce(useridentity.type, '') <> 'AWSService'
{{/unless}}
{{#if ips}}
    AND sourceipaddress IN ({{ips}})
{{/if}}
{{#if principal}}
    AND ({{> actor}} LIKE {{like_contains principal}} OR useridentity.accesskeyid = {{principal}})
{{/if}}
),
flows AS (
  SELECT account_id, region, srcaddr, dstaddr, dstport, action, bytes, start, "end"
  FROM vpc_flow_logs
  WHERE {{window "vpc_flow_logs"}}
    AND log_status = 'OK'
{{#if ips}}
    AND (srcaddr IN ({{ips}}) OR dstaddr IN ({{ips}}))
{{/if}}
{{#if principal}}
    AND (srcaddr IN (SELECT ip FROM principal_addresses) OR dstaddr IN (SELECT ip FROM principal_addresses))
{{/if}}
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
  HAVING count(*) >= {{min_rejected_flows}}
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
  HAVING sum(bytes) >= {{min_bytes}}
)
SELECT * FROM (
  SELECT * FROM api
  UNION ALL
  SELECT * FROM rejected
  UNION ALL
  SELECT * FROM large
) AS timeline
ORDER BY time, source, kind, eventid, account_id, region, srcaddr, dstaddr, dstport
LIMIT {{limit}}
