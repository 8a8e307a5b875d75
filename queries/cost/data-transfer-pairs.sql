-- Data transfer by pair: source/destination pairs with the category of transfer AWS
-- bills them under (same-AZ, cross-AZ, internet egress/ingress, NAT gateway, AWS
-- service, inter-region, peering, ...), GB and an estimated cost from a price table
-- the user can override. Categories come from the v3-v5 fields where the format has
-- them (traffic-path, flow-direction, az-id, pkt-*addr, pkt-*-aws-service) and are
-- inferred from private/public address ranges where it does not.
WITH accepted AS (
  SELECT
    account_id,
    region,
    interface_id,
    vpc_id,
    subnet_id,
    instance_id,
    srcaddr,
    dstaddr,
    bytes,
    az_id,
    flow_direction,
    traffic_path,
    pkt_srcaddr,
    pkt_dstaddr,
    pkt_src_aws_service,
    pkt_dst_aws_service,
    {{> network_src_private}} AS src_private,
    {{> network_dst_private}} AS dst_private,
{{#if nat_interfaces}}
    interface_id IN ({{nat_interfaces}}) AS on_nat_interface
{{else}}
    false AS on_nat_interface
{{/if}}
  FROM vpc_flow_logs
  WHERE {{window "vpc_flow_logs"}}
    AND log_status = 'OK'
    AND action = 'ACCEPT'
),
{{> cost_classified_ctes}},
{{> cost_priced_cte}} -- the price per GB of each record
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
