-- Port scans: sources that reached many distinct destination ports (vertical scan) or
-- many distinct hosts (horizontal scan) in the window.
SELECT
  srcaddr,
  CASE
    WHEN count(DISTINCT dstport) >= {{min_ports}} AND count(DISTINCT dstaddr) >= {{min_hosts}} THEN 'ports and hosts'
    WHEN count(DISTINCT dstport) >= {{min_ports}} THEN 'many ports'
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
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
{{#unless include_accepted}}
  AND action = 'REJECT'
{{/unless}}
GROUP BY srcaddr
HAVING count(DISTINCT dstport) >= {{min_ports}} OR count(DISTINCT dstaddr) >= {{min_hosts}}
ORDER BY distinct_ports DESC, distinct_hosts DESC, flows DESC, srcaddr
LIMIT {{limit}}
