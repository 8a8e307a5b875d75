-- casebook render bytes-per-interface (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Total traffic per network interface (ENI): flow records, packets and bytes, with the
-- ingress/egress split where the format records flow-direction (v5).
SELECT
  account_id,
  region,
  interface_id,
  count(*) AS flows,
  count_if(action = 'ACCEPT') AS accepted_flows,
  count_if(action = 'REJECT') AS rejected_flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb,
  CAST(NULL AS BIGINT) AS ingress_bytes, -- the format has no flow-direction (v5)
  CAST(NULL AS BIGINT) AS egress_bytes,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
GROUP BY account_id, region, interface_id
ORDER BY bytes DESC, flows DESC, account_id, region, interface_id
LIMIT 100
