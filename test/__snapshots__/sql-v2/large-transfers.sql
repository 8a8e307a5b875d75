-- casebook render large-transfers (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Large transfers: accepted traffic between a source and a destination (per port and
-- protocol) that adds up to at least --min-bytes in the window.
WITH pairs AS (
  SELECT
    srcaddr,
    dstaddr,
    dstport,
    protocol,
    count(*) AS flows,
    sum(packets) AS packets,
    sum(bytes) AS bytes,
    max(bytes) AS largest_record_bytes,
    min(start) AS first_start,
    max("end") AS last_end
  FROM vpc_flow_logs
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
    AND action = 'ACCEPT'
  GROUP BY srcaddr, dstaddr, dstport, protocol
  HAVING sum(bytes) >= 1073741824
)
SELECT
  srcaddr,
  dstaddr,
  dstport,
  protocol,
  CASE WHEN (CASE WHEN strpos(srcaddr, ':') > 0 THEN contains('fc00::/7', CAST(srcaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(srcaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(srcaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(srcaddr AS IPADDRESS))) END) THEN 'private' ELSE 'public' END
    || ' to '
    || CASE WHEN (CASE WHEN strpos(dstaddr, ':') > 0 THEN contains('fc00::/7', CAST(dstaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(dstaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(dstaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(dstaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(dstaddr AS IPADDRESS))) END) THEN 'private' ELSE 'public' END AS path,
  flows,
  packets,
  bytes,
  round(CAST(bytes AS DOUBLE) / 1073741824, 6) AS gb,
  largest_record_bytes,
  from_unixtime(first_start) AS first_seen,
  from_unixtime(last_end) AS last_seen
FROM pairs
ORDER BY bytes DESC, srcaddr, dstaddr, dstport, protocol
LIMIT 100
