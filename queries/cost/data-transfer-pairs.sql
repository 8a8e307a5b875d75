-- Data transfer by pair: source/destination pairs with the category of transfer AWS
-- bills them under (same-AZ, cross-AZ, internet egress/ingress, NAT gateway, AWS
-- service, inter-region, peering, ...), GB and an estimated cost from a price table
-- the user can override. Categories come from the v3-v5 fields where the format has
-- them (traffic-path, flow-direction, az-id, pkt-*addr, pkt-*-aws-service) and are
-- inferred from private/public address ranges where it does not.
WITH {{> cost_priced_flows}} -- accepted flows, their transfer category and price
SELECT
  account_id,
  srcaddr,
  dstaddr,
  category,
  basis,
  count(*) AS flows,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb,
  max(price_per_gb) AS price_per_gb,
  round(sum(CAST(bytes AS DOUBLE) / 1073741824 * price_per_gb), 6) AS estimated_cost_usd
FROM priced
GROUP BY account_id, srcaddr, dstaddr, category, basis
ORDER BY estimated_cost_usd DESC, bytes DESC, account_id, srcaddr, dstaddr, category, basis
LIMIT {{limit}}
