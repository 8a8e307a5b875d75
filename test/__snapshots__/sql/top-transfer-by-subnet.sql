-- casebook render top-transfer-by-subnet (example parameters, 2024-03-01 to 2024-03-15)
-- Top subnets by bytes transferred, with the GB in each billable transfer category
-- and the estimated cost. Needs v3+ fields (subnet-id).
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
    (CASE WHEN strpos(srcaddr, ':') > 0 THEN contains('fc00::/7', CAST(srcaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(srcaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(srcaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(srcaddr AS IPADDRESS))) END) AS src_private,
    (CASE WHEN strpos(dstaddr, ':') > 0 THEN contains('fc00::/7', CAST(dstaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(dstaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(dstaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(dstaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(dstaddr AS IPADDRESS))) END) AS dst_private,
    false AS on_nat_interface
  FROM vpc_flow_logs
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
    AND log_status = 'OK'
    AND action = 'ACCEPT'
),
-- CTEs address_az, with_peer and classified over a CTE named `accepted` (accepted flow
-- records): each record's transfer category and whether it was read or inferred.
-- The availability zone of each address, learned from its own interface's records
-- (v4 az-id with v5 flow-direction: the local side is the source of egress records and
-- the destination of ingress records).
address_az AS (
  SELECT vpc_id, local_addr, min(az_id) AS az_id
  FROM (
    SELECT vpc_id, CASE flow_direction WHEN 'egress' THEN srcaddr ELSE dstaddr END AS local_addr, az_id
    FROM accepted
    WHERE az_id IS NOT NULL AND vpc_id IS NOT NULL AND flow_direction IN ('egress', 'ingress')
  ) AS local_sides
  GROUP BY vpc_id, local_addr
),
with_peer AS (
  SELECT a.*, p.az_id AS peer_az
  FROM accepted a
  LEFT JOIN address_az p
    ON p.vpc_id = a.vpc_id
    AND p.local_addr = CASE a.flow_direction WHEN 'egress' THEN a.dstaddr WHEN 'ingress' THEN a.srcaddr END
),
classified AS (
  SELECT
    with_peer.*,
    CASE
  WHEN on_nat_interface AND src_private AND dst_private THEN 'nat-gateway'
  WHEN (pkt_srcaddr IS NOT NULL AND pkt_srcaddr <> srcaddr) OR (pkt_dstaddr IS NOT NULL AND pkt_dstaddr <> dstaddr) THEN 'nat-gateway'
  WHEN traffic_path = 5 THEN 'inter-region'
  WHEN traffic_path = 4 THEN 'peering'
  WHEN traffic_path = 3 THEN 'vpn-or-direct-connect'
  WHEN traffic_path = 6 THEN 'local-gateway'
  WHEN traffic_path = 7 OR coalesce(pkt_dst_aws_service, pkt_src_aws_service, 'AMAZON') NOT IN ('AMAZON', 'EC2') THEN 'aws-service'
  WHEN traffic_path = 1 OR (src_private AND dst_private) THEN
    CASE
      WHEN az_id IS NULL OR peer_az IS NULL THEN 'private-az-unknown'
      WHEN az_id = peer_az THEN 'same-az'
      ELSE 'cross-az'
    END
  WHEN flow_direction = 'egress' OR (flow_direction IS NULL AND src_private AND NOT dst_private) THEN 'internet-egress'
  WHEN flow_direction = 'ingress' OR (flow_direction IS NULL AND dst_private AND NOT src_private) THEN 'internet-ingress'
  ELSE 'unclassified'
END AS category,
    CASE
  WHEN on_nat_interface AND src_private AND dst_private THEN 'inferred from addresses'
  WHEN (pkt_srcaddr IS NOT NULL AND pkt_srcaddr <> srcaddr) OR (pkt_dstaddr IS NOT NULL AND pkt_dstaddr <> dstaddr) THEN 'flow-log fields'
  WHEN traffic_path IN (1, 3, 4, 5, 6, 7) THEN 'flow-log fields'
  WHEN coalesce(pkt_dst_aws_service, pkt_src_aws_service, 'AMAZON') NOT IN ('AMAZON', 'EC2') THEN 'flow-log fields'
  WHEN src_private AND dst_private THEN CASE WHEN az_id IS NOT NULL AND peer_az IS NOT NULL THEN 'flow-log fields' ELSE 'inferred from addresses' END
  WHEN flow_direction IN ('egress', 'ingress') THEN 'flow-log fields'
  ELSE 'inferred from addresses'
END AS basis
  FROM with_peer
),
-- CTE priced over `classified`: the list price per GB of each record's category, from the
-- query's --price-* parameters (a query including this declares them all).
priced AS (
  SELECT
    classified.*,
    CASE category
      WHEN 'cross-az' THEN CAST(0.01 AS DOUBLE)
      WHEN 'internet-egress' THEN CAST(0.09 AS DOUBLE)
      WHEN 'nat-gateway' THEN CAST(0.045 AS DOUBLE)
      WHEN 'inter-region' THEN CAST(0.02 AS DOUBLE)
      WHEN 'peering' THEN CAST(0.01 AS DOUBLE)
      WHEN 'private-az-unknown' THEN CAST(0 AS DOUBLE)
      ELSE CAST(0 AS DOUBLE)
    END AS price_per_gb
  FROM classified
) -- accepted flows, their transfer category and price
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
LIMIT 50
