-- casebook render unusual-protocols (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Unusual protocols: flows whose IP protocol is not in the expected list (TCP, UDP and
-- ICMP by default), per protocol, source, destination and action.
SELECT
  protocol,
  CASE protocol
    WHEN 0 THEN 'HOPOPT'
    WHEN 1 THEN 'ICMP'
    WHEN 2 THEN 'IGMP'
    WHEN 4 THEN 'IP-in-IP'
    WHEN 6 THEN 'TCP'
    WHEN 17 THEN 'UDP'
    WHEN 41 THEN 'IPv6 encapsulation'
    WHEN 47 THEN 'GRE'
    WHEN 50 THEN 'ESP'
    WHEN 51 THEN 'AH'
    WHEN 58 THEN 'ICMPv6'
    WHEN 89 THEN 'OSPF'
    WHEN 103 THEN 'PIM'
    WHEN 112 THEN 'VRRP'
    WHEN 132 THEN 'SCTP'
    WHEN 136 THEN 'UDP-Lite'
  END AS protocol_name,
  srcaddr,
  dstaddr,
  action,
  count(*) AS flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND protocol NOT IN (6, 17, 1)
GROUP BY protocol, srcaddr, dstaddr, action
ORDER BY bytes DESC, flows DESC, protocol, srcaddr, dstaddr, action
LIMIT 100
