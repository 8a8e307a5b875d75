-- Data transfer by category: GB and estimated cost per account and transfer category
-- (same-AZ, cross-AZ, internet egress/ingress, NAT gateway, AWS service, inter-region,
-- peering, ...), from the v3-v5 flow-log fields where present, inferred otherwise.
WITH {{> cost_priced_flows}} -- accepted flows, their transfer category and price
SELECT
  account_id,
  category,
  count(*) AS flows,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb,
  max(price_per_gb) AS price_per_gb,
  round(sum(CAST(bytes AS DOUBLE) / 1073741824 * price_per_gb), 6) AS estimated_cost_usd,
  count_if(basis = 'inferred from addresses') AS inferred_flows
FROM priced
GROUP BY account_id, category
ORDER BY estimated_cost_usd DESC, bytes DESC, account_id, category
