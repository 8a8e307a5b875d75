-- casebook render accepted-traffic (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Accepted traffic: flows security groups and network ACLs let through, grouped by
-- source, destination, destination port and protocol, most bytes first.
SELECT
  srcaddr,
  dstaddr,
  dstport,
  protocol,
  count(*) AS flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND action = 'ACCEPT'
GROUP BY srcaddr, dstaddr, dstport, protocol
ORDER BY bytes DESC, packets DESC, flows DESC, srcaddr, dstaddr, dstport, protocol
LIMIT 100
