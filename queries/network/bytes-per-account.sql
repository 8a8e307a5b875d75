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
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
GROUP BY account_id, region
ORDER BY bytes DESC, account_id, region
