-- casebook render principal-network-footprint (example parameters, 2024-03-01 to 2024-03-15)
-- A principal's network footprint: every IP address a principal called AWS from
-- (CloudTrail sourceIPAddress), and the VPC flows from or to each of those addresses.
-- An address with API calls but no flows is listed too (flows = 0). `matched_field` lists
-- the flow-log fields the address was found in. When the table's format has the
-- packet-level addresses (pkt-srcaddr, pkt-dstaddr), those are matched too: traffic
-- through a NAT gateway shows the internet address only there on the NAT gateway
-- interface's side facing the instance. A record counts once per address: a
-- packet-level match is used only when the interface-level fields do not hold it.
WITH calls AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    sourceipaddress,
    eventname,
    errorcode,
    eventtime
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND (COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) LIKE '%arn:aws:iam::111122223333:user/mallory%' ESCAPE '\' OR useridentity.accesskeyid = 'arn:aws:iam::111122223333:user/mallory')
    AND (regexp_like(sourceipaddress, '^[0-9]{1,3}(\.[0-9]{1,3}){3}$') OR strpos(sourceipaddress, ':') > 0)
),
addresses AS (
  SELECT
    principal,
    sourceipaddress,
    count(*) AS api_calls,
    count_if(errorcode IS NOT NULL) AS failed_calls,
    count(DISTINCT eventname) AS distinct_actions,
    min(eventtime) AS first_call,
    max(eventtime) AS last_call
  FROM calls
  GROUP BY principal, sourceipaddress
),
flows AS (
  SELECT f.srcaddr AS ip, 'from' AS side, 'srcaddr' AS matched_field, f.dstaddr AS peer, f.action, f.bytes, f.start, f."end"
  FROM vpc_flow_logs f
  WHERE (f.day BETWEEN '2024/03/01' AND '2024/03/15' AND f.start >= 1709251200 AND f.start < 1710460800)
    AND f.srcaddr IN (SELECT sourceipaddress FROM calls)
  UNION ALL
  SELECT f.dstaddr AS ip, 'to' AS side, 'dstaddr' AS matched_field, f.srcaddr AS peer, f.action, f.bytes, f.start, f."end"
  FROM vpc_flow_logs f
  WHERE (f.day BETWEEN '2024/03/01' AND '2024/03/15' AND f.start >= 1709251200 AND f.start < 1710460800)
    AND f.dstaddr IN (SELECT sourceipaddress FROM calls)
  UNION ALL
  SELECT f.pkt_srcaddr AS ip, 'from' AS side, 'pkt_srcaddr' AS matched_field, coalesce(f.pkt_dstaddr, f.dstaddr) AS peer, f.action, f.bytes, f.start, f."end"
  FROM vpc_flow_logs f
  WHERE (f.day BETWEEN '2024/03/01' AND '2024/03/15' AND f.start >= 1709251200 AND f.start < 1710460800)
    AND f.pkt_srcaddr IN (SELECT sourceipaddress FROM calls)
    AND f.pkt_srcaddr IS DISTINCT FROM f.srcaddr
    AND f.pkt_srcaddr IS DISTINCT FROM f.dstaddr
  UNION ALL
  SELECT f.pkt_dstaddr AS ip, 'to' AS side, 'pkt_dstaddr' AS matched_field, coalesce(f.pkt_srcaddr, f.srcaddr) AS peer, f.action, f.bytes, f.start, f."end"
  FROM vpc_flow_logs f
  WHERE (f.day BETWEEN '2024/03/01' AND '2024/03/15' AND f.start >= 1709251200 AND f.start < 1710460800)
    AND f.pkt_dstaddr IN (SELECT sourceipaddress FROM calls)
    AND f.pkt_dstaddr IS DISTINCT FROM f.srcaddr
    AND f.pkt_dstaddr IS DISTINCT FROM f.dstaddr
    AND f.pkt_dstaddr IS DISTINCT FROM f.pkt_srcaddr
),
flow_totals AS (
  SELECT
    ip,
    count(*) AS flows,
    concat_ws(',',
      CASE WHEN count_if(matched_field = 'srcaddr') > 0 THEN 'srcaddr' END,
      CASE WHEN count_if(matched_field = 'dstaddr') > 0 THEN 'dstaddr' END,
      CASE WHEN count_if(matched_field = 'pkt_srcaddr') > 0 THEN 'pkt_srcaddr' END,
      CASE WHEN count_if(matched_field = 'pkt_dstaddr') > 0 THEN 'pkt_dstaddr' END) AS matched_field,
    count_if(action = 'ACCEPT') AS accepted_flows,
    count_if(action = 'REJECT') AS rejected_flows,
    sum(CASE WHEN side = 'from' THEN bytes ELSE 0 END) AS bytes_from_ip,
    sum(CASE WHEN side = 'to' THEN bytes ELSE 0 END) AS bytes_to_ip,
    count(DISTINCT peer) AS distinct_peers,
    min(start) AS first_start,
    max("end") AS last_end
  FROM flows
  GROUP BY ip
)
SELECT
  a.principal,
  a.sourceipaddress,
  a.api_calls,
  a.failed_calls,
  a.distinct_actions,
  from_iso8601_timestamp(a.first_call) AS first_api_call,
  from_iso8601_timestamp(a.last_call) AS last_api_call,
  coalesce(t.flows, 0) AS flows,
  t.matched_field,
  coalesce(t.accepted_flows, 0) AS accepted_flows,
  coalesce(t.rejected_flows, 0) AS rejected_flows,
  coalesce(t.bytes_from_ip, 0) AS bytes_from_ip,
  coalesce(t.bytes_to_ip, 0) AS bytes_to_ip,
  coalesce(t.distinct_peers, 0) AS distinct_peers,
  from_unixtime(t.first_start) AS first_flow,
  from_unixtime(t.last_end) AS last_flow
FROM addresses a
LEFT JOIN flow_totals t ON t.ip = a.sourceipaddress
ORDER BY first_api_call, a.principal, a.sourceipaddress
