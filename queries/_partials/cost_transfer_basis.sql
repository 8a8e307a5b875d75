{{!-- Whether a record's category (cost_transfer_category, same branches in the same
     order) was read from flow-log fields (pkt-srcaddr/pkt-dstaddr, traffic-path,
     pkt-*-aws-service, az-id of both ends, flow-direction) or inferred from addresses
     (private/public ranges, --nat-interfaces). --}}
CASE
  WHEN on_nat_interface AND src_private AND dst_private THEN 'inferred from addresses'
  WHEN (pkt_srcaddr IS NOT NULL AND pkt_srcaddr <> srcaddr) OR (pkt_dstaddr IS NOT NULL AND pkt_dstaddr <> dstaddr) THEN 'flow-log fields'
  WHEN traffic_path IN (1, 3, 4, 5, 6, 7) THEN 'flow-log fields'
  WHEN coalesce(pkt_dst_aws_service, pkt_src_aws_service, 'AMAZON') NOT IN ('AMAZON', 'EC2') THEN 'flow-log fields'
  WHEN src_private AND dst_private THEN CASE WHEN az_id IS NOT NULL AND peer_az IS NOT NULL THEN 'flow-log fields' ELSE 'inferred from addresses' END
  WHEN flow_direction IN ('egress', 'ingress') THEN 'flow-log fields'
  ELSE 'inferred from addresses'
END
