-- casebook render ip-family-traffic (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- IPv4 or IPv6 traffic: flows of one address family, per source, destination, port,
-- protocol and action.
SELECT
  srcaddr,
  dstaddr,
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
  AND srcaddr IS NOT NULL
  AND (strpos(srcaddr, ':') > 0) = ('IPv6' = 'IPv6')
GROUP BY srcaddr, dstaddr, dstport, protocol, action
ORDER BY bytes DESC, flows DESC, srcaddr, dstaddr, dstport, protocol, action
LIMIT 100
