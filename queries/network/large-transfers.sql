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
  WHERE {{window "vpc_flow_logs"}}
    AND action = 'ACCEPT'
  GROUP BY srcaddr, dstaddr, dstport, protocol
  HAVING sum(bytes) >= {{min_bytes}}
)
SELECT
  srcaddr,
  dstaddr,
  dstport,
  protocol,
  CASE WHEN {{> network_src_private}} THEN 'private' ELSE 'public' END
    || ' to '
    || CASE WHEN {{> network_dst_private}} THEN 'private' ELSE 'public' END AS path,
  flows,
  packets,
  bytes,
  round(CAST(bytes AS DOUBLE) / 1073741824, 6) AS gb,
  largest_record_bytes,
  from_unixtime(first_start) AS first_seen,
  from_unixtime(last_end) AS last_seen
FROM pairs
ORDER BY bytes DESC, srcaddr, dstaddr, dstport, protocol
LIMIT {{limit}}
