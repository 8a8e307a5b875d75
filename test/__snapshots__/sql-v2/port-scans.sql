-- casebook render port-scans (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Port scans: sources that reached many distinct destination ports (vertical scan) or
-- many distinct hosts (horizontal scan) in the window.
SELECT
  srcaddr,
  CASE
    WHEN count(DISTINCT dstport) >= 20 AND count(DISTINCT dstaddr) >= 20 THEN 'ports and hosts'
    WHEN count(DISTINCT dstport) >= 20 THEN 'many ports'
    ELSE 'many hosts'
  END AS scan_type,
  count(DISTINCT dstport) AS distinct_ports,
  count(DISTINCT dstaddr) AS distinct_hosts,
  min(dstport) AS lowest_port,
  max(dstport) AS highest_port,
  count(*) AS flows,
  count_if(action = 'REJECT') AS rejected_flows,
  count_if(action = 'ACCEPT') AS accepted_flows,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
  AND action = 'REJECT'
GROUP BY srcaddr
HAVING count(DISTINCT dstport) >= 20 OR count(DISTINCT dstaddr) >= 20
ORDER BY distinct_ports DESC, distinct_hosts DESC, flows DESC, srcaddr
LIMIT 100
