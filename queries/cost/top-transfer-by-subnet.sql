-- Top subnets by bytes transferred, with the GB in each billable transfer category
-- and the estimated cost. Needs v3+ fields (subnet-id).
{{require_column "vpc_flow_logs" "subnet_id"}}WITH {{> cost_priced_flows}} -- accepted flows, their transfer category and price
SELECT
  account_id,
  vpc_id,
  subnet_id,
  count(DISTINCT interface_id) AS interfaces,
  count(*) AS flows,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb,
  round(CAST(sum(CASE WHEN category = 'internet-egress' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS internet_egress_gb,
  round(CAST(sum(CASE WHEN category = 'cross-az' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS cross_az_gb,
  round(CAST(sum(CASE WHEN category = 'nat-gateway' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS nat_gb,
  round(CAST(sum(CASE WHEN category = 'inter-region' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS inter_region_gb,
  round(sum(CAST(bytes AS DOUBLE) / 1073741824 * price_per_gb), 6) AS estimated_cost_usd
FROM priced
WHERE subnet_id IS NOT NULL
GROUP BY account_id, vpc_id, subnet_id
ORDER BY bytes DESC, estimated_cost_usd DESC, account_id, vpc_id, subnet_id
LIMIT {{limit}}
