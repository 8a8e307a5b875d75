-- Traffic from or to one address: every flow with it as source or destination,
-- per direction, peer, port, protocol and action.
SELECT
  CASE WHEN CAST(srcaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) THEN 'from address' ELSE 'to address' END AS direction,
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
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND (CAST(srcaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) OR CAST(dstaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS))
GROUP BY 1, srcaddr, dstaddr, srcport, dstport, protocol, action
ORDER BY bytes DESC, flows DESC, direction, srcaddr, dstaddr, srcport, dstport, protocol, action
LIMIT {{limit}}
