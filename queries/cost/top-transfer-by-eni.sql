-- Top network interfaces (ENIs) by bytes transferred, with the GB in each billable transfer category
-- and the estimated cost.
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
  region,
  interface_id,
  count(*) AS flows,
  sum(bytes) AS bytes,
  round(CAST(sum(bytes) AS DOUBLE) / 1073741824, 6) AS gb,
  round(CAST(sum(CASE WHEN category = 'internet-egress' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS internet_egress_gb,
  round(CAST(sum(CASE WHEN category = 'cross-az' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS cross_az_gb,
  round(CAST(sum(CASE WHEN category = 'nat-gateway' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS nat_gb,
  round(CAST(sum(CASE WHEN category = 'inter-region' THEN bytes ELSE 0 END) AS DOUBLE) / 1073741824, 6) AS inter_region_gb,
  round(sum(CAST(bytes AS DOUBLE) / 1073741824 * price_per_gb), 6) AS estimated_cost_usd
FROM priced
GROUP BY account_id, region, interface_id
ORDER BY bytes DESC, estimated_cost_usd DESC, account_id, region, interface_id
LIMIT {{limit}}
