-- casebook render admin-port-traffic (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Admin-port traffic: flows to remote-administration ports (SSH 22 and RDP 3389 by
-- default), accepted and rejected, per source, destination, port and action.
SELECT
  srcaddr,
  dstaddr,
  dstport,
  CASE dstport
    WHEN 22 THEN 'ssh'
    WHEN 23 THEN 'telnet'
    WHEN 3389 THEN 'rdp'
    WHEN 5900 THEN 'vnc'
    WHEN 5985 THEN 'winrm'
    WHEN 5986 THEN 'winrm-https'
  END AS service,
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
  AND dstport IN (22, 3389)
GROUP BY srcaddr, dstaddr, dstport, protocol, action
ORDER BY flows DESC, bytes DESC, srcaddr, dstaddr, dstport, protocol, action
LIMIT 100
