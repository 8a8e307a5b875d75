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
  CASE WHEN sourceipaddress = {{ip}} THEN 'called from ip' ELSE 'named in request' END AS relation,
  CASE WHEN sourceipaddress = {{ip}} THEN 'sourceipaddress' ELSE 'requestparameters' END AS matched_field,
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
  CASE
    WHEN srcaddr = {{ip}} THEN 'from ip'
    WHEN dstaddr = {{ip}} THEN 'to ip'
{{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}}
    WHEN pkt_srcaddr = {{ip}} THEN 'from ip'
{{/if}}
    ELSE 'to ip'
  END AS relation,
  CASE
    WHEN srcaddr = {{ip}} THEN 'srcaddr'
    WHEN dstaddr = {{ip}} THEN 'dstaddr'
{{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}}
    WHEN pkt_srcaddr = {{ip}} THEN 'pkt_srcaddr'
{{/if}}
{{#if (has_column "vpc_flow_logs" "pkt_dstaddr")}}
    WHEN pkt_dstaddr = {{ip}} THEN 'pkt_dstaddr'
{{/if}}
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
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND (srcaddr = {{ip}} OR dstaddr = {{ip}}{{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}} OR pkt_srcaddr = {{ip}}{{/if}}{{#if (has_column "vpc_flow_logs" "pkt_dstaddr")}} OR pkt_dstaddr = {{ip}}{{/if}})
ORDER BY time, source, eventid, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, action, bytes, packets, relation, matched_field
LIMIT {{limit}}
