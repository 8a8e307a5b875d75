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
WHERE {{window "vpc_flow_logs"}}
  AND action = 'ACCEPT'
{{#if port}}
  AND dstport = {{port}}
{{/if}}
{{#if protocol}}
  AND protocol = {{protocol}}
{{/if}}
GROUP BY srcaddr, dstaddr, dstport, protocol
ORDER BY bytes DESC, packets DESC, flows DESC, srcaddr, dstaddr, dstport, protocol
LIMIT {{limit}}
