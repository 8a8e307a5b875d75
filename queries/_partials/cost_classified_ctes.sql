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
    CASE WHEN flow_direction IS NOT NULL OR traffic_path IS NOT NULL THEN 'flow-log fields' ELSE 'inferred from addresses' END AS basis
  FROM with_peer
)
