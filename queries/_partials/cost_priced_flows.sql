{{!-- The CTEs every cost query starts from (after WITH): `accepted` (the window's accepted
     flow records), `address_az`, `with_peer` and `classified` (each record's transfer
     category, read from flow-log fields or inferred from addresses) and `priced` (its list
     price per GB from the query's --price-* parameters; a query including this declares
     them all, and --nat-interfaces). A field the table's format lacks (the default v2 format
     has none of them) is a typed NULL here, so the categories below fall back to what the
     addresses tell; the SQL names only the columns the table has. --}}
accepted AS (
  SELECT
    account_id,
    region,
    interface_id,
    {{#if (has_column "vpc_flow_logs" "vpc_id")}}vpc_id{{else}}CAST(NULL AS VARCHAR) AS vpc_id{{/if}},
    {{#if (has_column "vpc_flow_logs" "subnet_id")}}subnet_id{{else}}CAST(NULL AS VARCHAR) AS subnet_id{{/if}},
    {{#if (has_column "vpc_flow_logs" "instance_id")}}instance_id{{else}}CAST(NULL AS VARCHAR) AS instance_id{{/if}},
    srcaddr,
    dstaddr,
    bytes,
    {{#if (has_column "vpc_flow_logs" "az_id")}}az_id{{else}}CAST(NULL AS VARCHAR) AS az_id{{/if}},
    {{#if (has_column "vpc_flow_logs" "flow_direction")}}flow_direction{{else}}CAST(NULL AS VARCHAR) AS flow_direction{{/if}},
    {{#if (has_column "vpc_flow_logs" "traffic_path")}}traffic_path{{else}}CAST(NULL AS INTEGER) AS traffic_path{{/if}},
    {{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}}pkt_srcaddr{{else}}CAST(NULL AS VARCHAR) AS pkt_srcaddr{{/if}},
    {{#if (has_column "vpc_flow_logs" "pkt_dstaddr")}}pkt_dstaddr{{else}}CAST(NULL AS VARCHAR) AS pkt_dstaddr{{/if}},
    {{#if (has_column "vpc_flow_logs" "pkt_src_aws_service")}}pkt_src_aws_service{{else}}CAST(NULL AS VARCHAR) AS pkt_src_aws_service{{/if}},
    {{#if (has_column "vpc_flow_logs" "pkt_dst_aws_service")}}pkt_dst_aws_service{{else}}CAST(NULL AS VARCHAR) AS pkt_dst_aws_service{{/if}},
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
    {{> cost_transfer_category}} AS category,
    {{> cost_transfer_basis}} AS basis
  FROM with_peer
),
-- CTE priced over `classified`: the list price per GB of each record's category, from the
-- query's --price-* parameters (a query including this declares them all).
priced AS (
  SELECT
    classified.*,
    CASE category
      WHEN 'cross-az' THEN {{price_cross_az_gb}}
      WHEN 'internet-egress' THEN {{price_internet_egress_gb}}
      WHEN 'nat-gateway' THEN {{price_nat_gb}}
      WHEN 'inter-region' THEN {{price_inter_region_gb}}
      WHEN 'peering' THEN {{price_peering_gb}}
      WHEN 'private-az-unknown' THEN {{price_unknown_az_gb}}
      ELSE CAST(0 AS DOUBLE)
    END AS price_per_gb
  FROM classified
)
