-- casebook render connectivity-diagnosis (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Connectivity diagnosis between two endpoints: for each direction (src to dst, and the
-- responses dst to src), were flows accepted, rejected, or was there no traffic at all?
-- One row per direction, even when nothing was logged.
WITH matched AS (
  SELECT
    CASE
      WHEN (CASE WHEN (strpos('192.0.2.45/32', ':') > 0) = (strpos(srcaddr, ':') > 0) THEN contains('192.0.2.45/32', CAST(srcaddr AS IPADDRESS)) ELSE false END)
        AND (CASE WHEN (strpos('10.0.1.0/24', ':') > 0) = (strpos(dstaddr, ':') > 0) THEN contains('10.0.1.0/24', CAST(dstaddr AS IPADDRESS)) ELSE false END)
        THEN 'src to dst'
      WHEN (CASE WHEN (strpos('10.0.1.0/24', ':') > 0) = (strpos(srcaddr, ':') > 0) THEN contains('10.0.1.0/24', CAST(srcaddr AS IPADDRESS)) ELSE false END)
        AND (CASE WHEN (strpos('192.0.2.45/32', ':') > 0) = (strpos(dstaddr, ':') > 0) THEN contains('192.0.2.45/32', CAST(dstaddr AS IPADDRESS)) ELSE false END)
        THEN 'dst to src'
    END AS direction,
    action,
    bytes,
    interface_id,
    start,
    "end"
  FROM vpc_flow_logs
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
    AND log_status = 'OK'
),
totals AS (
  SELECT
    direction,
    count_if(action = 'ACCEPT') AS accepted_flows,
    count_if(action = 'REJECT') AS rejected_flows,
    sum(CASE WHEN action = 'ACCEPT' THEN bytes ELSE 0 END) AS accepted_bytes,
    count(DISTINCT interface_id) AS reporting_interfaces,
    min(start) AS first_start,
    max("end") AS last_end
  FROM matched
  WHERE direction IS NOT NULL
  GROUP BY direction
)
SELECT
  d.direction,
  d.from_network,
  d.to_network,
  coalesce(t.accepted_flows, 0) AS accepted_flows,
  coalesce(t.rejected_flows, 0) AS rejected_flows,
  coalesce(t.accepted_bytes, 0) AS accepted_bytes,
  coalesce(t.reporting_interfaces, 0) AS reporting_interfaces,
  from_unixtime(t.first_start) AS first_seen,
  from_unixtime(t.last_end) AS last_seen,
  CASE
    WHEN coalesce(t.accepted_flows, 0) > 0 AND coalesce(t.rejected_flows, 0) > 0 THEN 'accepted and rejected'
    WHEN coalesce(t.accepted_flows, 0) > 0 THEN 'accepted'
    WHEN coalesce(t.rejected_flows, 0) > 0 THEN 'rejected'
    ELSE 'no traffic'
  END AS verdict
FROM (VALUES (1, 'src to dst', '192.0.2.45/32', '10.0.1.0/24'), (2, 'dst to src', '10.0.1.0/24', '192.0.2.45/32')) AS d(ord, direction, from_network, to_network)
LEFT JOIN totals t ON t.direction = d.direction
ORDER BY d.ord
