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
{{#if (has_column "vpc_flow_logs" "flow_direction")}}
  sum(CASE WHEN flow_direction = 'ingress' THEN bytes END) AS ingress_bytes,
  sum(CASE WHEN flow_direction = 'egress' THEN bytes END) AS egress_bytes,
{{else}}
  CAST(NULL AS BIGINT) AS ingress_bytes, -- the format has no flow-direction (v5)
  CAST(NULL AS BIGINT) AS egress_bytes,
{{/if}}
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
GROUP BY account_id, region, interface_id
ORDER BY bytes DESC, flows DESC, account_id, region, interface_id
LIMIT {{limit}}
