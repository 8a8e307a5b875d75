-- casebook render ip-investigation (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Everything one IP address did: its API calls (CloudTrail calls made from it, and calls
-- whose request names it, such as a security-group rule opened to it) and its VPC flows,
-- as one time-ordered result with a `source` column, and in `matched_field` the field
-- the address was found in. When the table's format has the packet-level addresses
-- (pkt-srcaddr, pkt-dstaddr), flows are matched on those too: traffic through a NAT
-- gateway shows the internet address only there on the NAT gateway interface's side
-- facing the instance.
SELECT
  from_iso8601_timestamp(eventtime) AS time,
  'cloudtrail' AS source,
  CASE WHEN sourceipaddress = '203.0.113.66' THEN 'called from ip' ELSE 'named in request' END AS relation,
  CASE WHEN sourceipaddress = '203.0.113.66' THEN 'sourceipaddress' ELSE 'requestparameters' END AS matched_field,
  recipientaccountid AS account_id,
  awsregion AS region,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
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
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND (sourceipaddress = '203.0.113.66'
    OR strpos(requestparameters, '"' || '203.0.113.66' || '"') > 0
    OR strpos(requestparameters, '"' || '203.0.113.66' || '/') > 0)
UNION ALL
SELECT
  from_unixtime(start) AS time,
  'vpc_flow_logs' AS source,
  CASE
    WHEN srcaddr = '203.0.113.66' THEN 'from ip'
    WHEN dstaddr = '203.0.113.66' THEN 'to ip'
    ELSE 'to ip'
  END AS relation,
  CASE
    WHEN srcaddr = '203.0.113.66' THEN 'srcaddr'
    WHEN dstaddr = '203.0.113.66' THEN 'dstaddr'
  END AS matched_field,
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
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND (srcaddr = '203.0.113.66' OR dstaddr = '203.0.113.66')
ORDER BY time, source, eventid, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, action, bytes, packets, relation, matched_field
LIMIT 1000
