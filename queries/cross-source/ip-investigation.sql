-- Everything one IP address did: its API calls (CloudTrail calls made from it, and calls
-- whose request names it, such as a security-group rule opened to it) and its VPC flows,
-- as one time-ordered result with a `source` column.
SELECT
  from_iso8601_timestamp(eventtime) AS time,
  'cloudtrail' AS source,
  CASE WHEN sourceipaddress = {{ip}} THEN 'called from ip' ELSE 'named in request' END AS relation,
  recipientaccountid AS account_id,
  awsregion AS region,
  {{> actor}} AS principal,
  eventsource,
  eventname AS action,
  errorcode,
  sourceipaddress AS srcaddr,
  CAST(NULL AS INTEGER) AS srcport,
  CAST(NULL AS VARCHAR) AS dstaddr,
  CAST(NULL AS INTEGER) AS dstport,
  CAST(NULL AS INTEGER) AS protocol,
  CAST(NULL AS BIGINT) AS packets,
  CAST(NULL AS BIGINT) AS bytes,
  CAST(NULL AS VARCHAR) AS interface_id,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (sourceipaddress = {{ip}}
    OR strpos(requestparameters, '"' || {{ip}} || '"') > 0
    OR strpos(requestparameters, '"' || {{ip}} || '/') > 0)
UNION ALL
SELECT
  from_unixtime(start) AS time,
  'vpc_flow_logs' AS source,
  CASE WHEN srcaddr = {{ip}} THEN 'from ip' ELSE 'to ip' END AS relation,
  account_id,
  region,
  CAST(NULL AS VARCHAR) AS principal,
  CAST(NULL AS VARCHAR) AS eventsource,
  action,
  CAST(NULL AS VARCHAR) AS errorcode,
  srcaddr,
  srcport,
  dstaddr,
  dstport,
  protocol,
  packets,
  bytes,
  interface_id,
  CAST(NULL AS VARCHAR) AS eventid
FROM vpc_flow_logs
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND (srcaddr = {{ip}} OR dstaddr = {{ip}})
ORDER BY time, source, eventid, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, action, bytes, packets, relation
LIMIT {{limit}}
