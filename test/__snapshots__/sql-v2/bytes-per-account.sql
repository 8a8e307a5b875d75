-- casebook render bytes-per-account (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Total traffic per account and region: interfaces seen, flow records, packets and bytes.
SELECT
  account_id,
  region,
  count(DISTINCT interface_id) AS interfaces,
  count(*) AS flows,
  count_if(action = 'REJECT') AS rejected_flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
GROUP BY account_id, region
ORDER BY bytes DESC, account_id, region
