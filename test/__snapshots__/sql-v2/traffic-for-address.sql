-- casebook render traffic-for-address (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Traffic from or to one address: every flow with it as source or destination,
-- per direction, peer, port, protocol and action.
SELECT
  CASE WHEN CAST(srcaddr AS IPADDRESS) = CAST('203.0.113.200' AS IPADDRESS) THEN 'from address' ELSE 'to address' END AS direction,
  srcaddr,
  dstaddr,
  srcport,
  dstport,
  protocol,
  action,
  count(*) AS flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND (CAST(srcaddr AS IPADDRESS) = CAST('203.0.113.200' AS IPADDRESS) OR CAST(dstaddr AS IPADDRESS) = CAST('203.0.113.200' AS IPADDRESS))
GROUP BY 1, srcaddr, dstaddr, srcport, dstport, protocol, action
ORDER BY bytes DESC, flows DESC, direction, srcaddr, dstaddr, srcport, dstport, protocol, action
LIMIT 200
